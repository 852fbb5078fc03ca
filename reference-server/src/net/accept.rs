//! The accept loop: one task per connection, a connection limit, and a
//! graceful shutdown that lets every connection finish.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc};

use super::conn::serve_conn;
use super::{Registry, Service, Signals};
use crate::ConnId;
use crate::config::Limits;

/// Accepts until `shutdown` resolves or `signals.abort` fires, then stops
/// every reader (`signals.shutdown`) and waits for every connection task to
/// finish: what was read is acted on, committed and flushed.
///
/// Past `max_connections` a connection is accepted and closed at once, so
/// the peer sees EOF instead of hanging in the listen backlog.
pub(crate) async fn accept_loop<S: Service>(
    listener: TcpListener,
    service: Arc<S>,
    registry: Arc<Registry>,
    limits: Limits,
    signals: Signals,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (done_tx, mut done_rx) = mpsc::channel::<()>(1);
    let mut next = 1u64;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            _ = signals.abort.cancelled() => break,
            r = listener.accept() => r,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Usually out of file descriptors: back off, do not spin.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            tracing::warn!(%peer, max = limits.max_connections, "connection limit reached; closing the new connection");
            drop(stream);
            continue;
        };
        let conn = ConnId(next);
        next += 1;
        let (service, registry, limits, signals, done) = (
            Arc::clone(&service),
            Arc::clone(&registry),
            limits.clone(),
            signals.clone(),
            done_tx.clone(),
        );
        tokio::spawn(async move {
            serve_conn(stream, peer, conn, service, registry, limits, signals).await;
            drop(permit);
            drop(done);
        });
    }
    drop(listener);
    signals.shutdown.cancel();
    drop(done_tx);
    let _ = done_rx.recv().await;
    tracing::debug!(remaining = registry.len(), "all connections finished");
}
