//! The reference server in the test's own process, on 127.0.0.1 port 0
//! and a data directory the test chooses: started, stopped gracefully,
//! restarted on the same address and data (durability), or watched until
//! `run` returns by itself (a configuration it refuses, a fault).

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use gabarito_server::Config;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::PATIENCE;

/// A reference server running in this process.
#[derive(Debug)]
pub struct Server {
    pub addr: SocketAddr,
    /// What it was started with, to start it again the same way.
    pub config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl Server {
    /// Starts `config` (its `data_dir` is the test's).
    pub async fn start(config: Config) -> Server {
        // RUST_LOG=debug shows the server's log in a failing test's output.
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        Server::serve(listener, config)
    }

    fn serve(listener: TcpListener, config: Config) -> Server {
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(gabarito_server::run(listener, config.clone(), async move {
            let _ = stopped.await;
        }));
        Server {
            addr,
            config,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// `HOST:PORT`, as clients are given it.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// The data directory.
    pub fn data(&self) -> &Path {
        &self.config.data_dir
    }

    /// Graceful shutdown; what `run` returned.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.shut_down().await
    }

    /// Waits for `run` to return by itself; what it returned.
    pub async fn finished(mut self) -> anyhow::Result<()> {
        let task = self.task.take().expect("the server task");
        tokio::time::timeout(PATIENCE, task)
            .await
            .expect("server stops by itself")
            .expect("server task")
    }

    /// Stops (cleanly) and starts again on the same address and data.
    pub async fn restart(&mut self) {
        self.shut_down().await.expect("server ran cleanly");
        let deadline = tokio::time::Instant::now() + PATIENCE;
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(_) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot bind {} again: {e}", self.addr),
            }
        };
        *self = Server::serve(listener, self.config.clone());
    }

    async fn shut_down(&mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => tokio::time::timeout(PATIENCE, task)
                .await
                .expect("server stops in time")
                .expect("server task"),
            None => Ok(()),
        }
    }
}
