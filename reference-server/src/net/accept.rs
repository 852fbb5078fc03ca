//! The accept loop: one task per connection, a connection limit, a paced
//! back-off while accepting fails, and a graceful shutdown that lets every
//! connection finish.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc};
use tokio::time::Instant;

use super::backoff::{self, Backoff, Paced};
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
    let mut backoff = Backoff::default();
    let mut over_limit = Paced::default();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            _ = signals.abort.cancelled() => break,
            r = listener.accept() => r,
        };
        let (stream, peer) = match accepted {
            Ok(a) => {
                if let Some(failures) = backoff.succeeded() {
                    tracing::info!(failures, "accepting again");
                }
                a
            }
            Err(e) => {
                // Usually out of file descriptors: back off, do not spin,
                // and do not fill the log either.
                let (wait, report) = backoff.failed(Instant::now());
                if let Some(failures) = report {
                    tracing::warn!(
                        error = %e,
                        failures,
                        "accept failed; retrying, backing off up to {:?}",
                        backoff::LONGEST
                    );
                }
                tokio::select! {
                    biased;
                    _ = &mut shutdown => break,
                    _ = signals.abort.cancelled() => break,
                    _ = tokio::time::sleep(wait) => {}
                }
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            if let Some(refused) = over_limit.tick(Instant::now()) {
                tracing::warn!(%peer, max = limits.max_connections, refused, "connection limit reached; closing new connections");
            }
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
