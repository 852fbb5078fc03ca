//! [`run`]: one entry point for every protocol.

use std::future::Future;

use tokio::net::TcpListener;

use crate::config::Config;

/// Serves `config.protocol` on an already-bound `listener` until `shutdown`
/// resolves, then stops accepting, lets every connection finish what it
/// had read (acted on, committed, flushed), and closes the store.
///
/// Tests bind `127.0.0.1:0` and pass the listener; the binary binds
/// `--listen` and passes SIGINT/SIGTERM as `shutdown`.
///
/// # Errors
///
/// The data directory or database cannot be opened or written, or fault
/// `crash-on-malformed` stopped the server, or the configuration is not
/// valid ([`Config::validate`]: a fault or quirk of another protocol; for
/// lrv, a store created with another raffle size).
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    config.validate()?;
    crate::serve_protocol(listener, config, shutdown).await
}
