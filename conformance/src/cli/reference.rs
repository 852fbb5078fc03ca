//! The built-in reference server, started in-process on 127.0.0.1 port 0
//! with a throw-away data directory: what `conformance` runs against when
//! no `--target` is given.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running in-process reference server; dropped or [`stop`]ped, it shuts
/// down and removes its data.
#[derive(Debug)]
pub struct Reference {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<()>>>,
    _data: tempfile::TempDir,
}

impl Reference {
    pub async fn start() -> Result<Reference> {
        let data = tempfile::Builder::new().prefix("gabarito-reference-").tempdir().context("creating a temporary data directory")?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding 127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let config = gabarito_server::Config::new(data.path());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            gabarito_server::run(listener, config, async move {
                let _ = stopped.await;
            })
            .await
        });
        Ok(Reference { addr, stop: Some(stop), task: Some(task), _data: data })
    }

    pub async fn stop(mut self) -> Result<()> {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        match self.task.take() {
            Some(t) => t.await.context("the reference server task panicked")?,
            None => Ok(()),
        }
    }
}
