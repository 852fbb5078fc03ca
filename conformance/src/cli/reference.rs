//! The built-in reference server, started in-process on 127.0.0.1 port 0
//! with a throw-away data directory: what `conformance` runs against when
//! no `--target` is given. It can be restarted on the same port and data
//! directory, so the durability cases (zap §11.1) run against it too.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context, Result};
use gabarito_server::Config;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::run::{BoxFuture, Restart};

/// A running in-process reference server; [`Reference::stop`] shuts it down,
/// and its data directory is removed when it is dropped.
#[derive(Debug)]
pub struct Reference {
    pub addr: SocketAddr,
    config: Config,
    running: Mutex<Option<Running>>,
    /// Restarts so far, for [`Restart::generation`].
    generation: std::sync::atomic::AtomicU64,
    _data: tempfile::TempDir,
}

#[derive(Debug)]
struct Running {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<()>>,
}

impl Reference {
    /// The reference server with default behaviour.
    pub async fn start() -> Result<Reference> {
        Self::start_with(|c| c).await
    }

    /// The reference server with a configuration adjusted by `adjust` (for
    /// faults and quirks in tests); the data directory is fresh.
    pub async fn start_with(adjust: impl FnOnce(Config) -> Config) -> Result<Reference> {
        let data = tempfile::Builder::new()
            .prefix("gabarito-reference-")
            .tempdir()
            .context("creating a temporary data directory")?;
        let config = adjust(Config::new(data.path()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding 127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let running = spawn(listener, config.clone());
        Ok(Reference {
            addr,
            config,
            running: Mutex::new(Some(running)),
            generation: std::sync::atomic::AtomicU64::new(0),
            _data: data,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.config.data_dir
    }

    /// Stops the server gracefully and reports how its run ended.
    pub async fn stop(&self) -> Result<()> {
        let running = self
            .running
            .lock()
            .map_err(|_| anyhow::anyhow!("reference server lock poisoned"))?
            .take();
        match running {
            Some(r) => {
                let _ = r.stop.send(());
                r.task.await.context("the reference server task panicked")?
            }
            None => Ok(()),
        }
    }
}

fn spawn(listener: tokio::net::TcpListener, config: Config) -> Running {
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        gabarito_server::run(listener, config, async move {
            let _ = stopped.await;
        })
        .await
    });
    Running { stop, task }
}

impl Restart for Reference {
    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn restart(&self, kill: bool) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let running = self
                .running
                .lock()
                .map_err(|_| "reference server lock poisoned".to_string())?
                .take();
            if let Some(r) = running {
                if kill {
                    // The closest in-process analogue of SIGKILL: the task is
                    // dropped mid-flight, with no graceful shutdown.
                    r.task.abort();
                    let _ = r.task.await;
                } else {
                    let _ = r.stop.send(());
                    let _ = r.task.await;
                }
            }
            let mut last = String::new();
            for _ in 0..50 {
                match tokio::net::TcpListener::bind(self.addr).await {
                    Ok(listener) => {
                        let running = spawn(listener, self.config.clone());
                        *self
                            .running
                            .lock()
                            .map_err(|_| "reference server lock poisoned".to_string())? =
                            Some(running);
                        self.generation
                            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        return Ok(());
                    }
                    Err(e) => last = e.to_string(),
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            Err(format!("could not listen on {} again: {last}", self.addr))
        })
    }
}
