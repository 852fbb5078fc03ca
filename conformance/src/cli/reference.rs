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

/// One instance of the server, on a thread and runtime of its own: a kill
/// drops that runtime, and with it every task the instance spawned (its
/// connections, which hold its store open), as SIGKILL would.
#[derive(Debug)]
struct Running {
    stop: oneshot::Sender<()>,
    kill: oneshot::Sender<()>,
    done: oneshot::Receiver<Result<()>>,
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
            .context("binding 127.0.0.1:0")?
            .into_std()?;
        let addr = listener.local_addr()?;
        let running = spawn(listener, config.clone())?;
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
            Some(r) => r.end(false).await,
            None => Ok(()),
        }
    }
}

fn spawn(listener: std::net::TcpListener, config: Config) -> Result<Running> {
    let (stop, stopped) = oneshot::channel::<()>();
    let (kill, killed) = oneshot::channel::<()>();
    let (report, done) = oneshot::channel();
    listener
        .set_nonblocking(true)
        .context("setting the listener non-blocking")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("reference-server")
        .enable_all()
        .build()
        .context("starting the reference server's runtime")?;
    std::thread::Builder::new()
        .name("reference-server".into())
        .spawn(move || {
            let result = runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                tokio::select! {
                    r = gabarito_server::run(listener, config, async move {
                        let _ = stopped.await;
                    }) => r,
                    _ = killed => Ok(()),
                }
            });
            // After a kill, the connections' tasks are still spawned:
            // dropped here, not awaited.
            runtime.shutdown_background();
            let _ = report.send(result);
        })
        .context("starting the reference server's thread")?;
    Ok(Running { stop, kill, done })
}

impl Running {
    /// Stops gracefully, or drops everything at once with `kill`; resolves
    /// when the instance is gone, with how its run ended.
    async fn end(self, kill: bool) -> Result<()> {
        let _ = if kill {
            self.kill.send(())
        } else {
            self.stop.send(())
        };
        self.done
            .await
            .context("the reference server's thread panicked")?
    }
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
                // How the old instance ended does not matter here: a kill
                // is meant to end it badly.
                let _ = r.end(kill).await;
            }
            let mut last = String::new();
            for _ in 0..50 {
                // tokio's bind reuses the address, which the closed
                // instance's connections may still hold (TIME_WAIT).
                let bound = tokio::net::TcpListener::bind(self.addr)
                    .await
                    .and_then(|l| l.into_std());
                match bound {
                    Ok(listener) => {
                        let running =
                            spawn(listener, self.config.clone()).map_err(|e| e.to_string())?;
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
