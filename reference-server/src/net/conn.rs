//! One connection from accept to close.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;

use super::reader::{Outcome, read_loop};
use super::writer::write_loop;
use super::{Registry, Service, Signals};
use crate::ConnId;
use crate::config::Limits;

/// How long a closing connection's writer may take to flush what was
/// already queued for it before it is cut.
const FLUSH_GRACE: Duration = Duration::from_secs(2);

/// Serves one connection: registers it, runs its reader here and its writer
/// beside it, then flushes, unregisters and reports it closed.
pub(super) async fn serve_conn<S: Service>(
    stream: TcpStream,
    peer: SocketAddr,
    conn: ConnId,
    service: Arc<S>,
    registry: Arc<Registry>,
    limits: Limits,
    signals: Signals,
) {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::debug!(%peer, %conn, error = %e, "TCP_NODELAY not set");
    }
    let (rd, wr) = stream.into_split();
    let kill = signals.abort.child_token();
    let stop = kill.child_token();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    registry.insert(conn, peer, tx, stop.clone(), kill.clone());
    tracing::debug!(%peer, %conn, "connected");
    let mut writer = tokio::spawn(write_loop(
        wr,
        rx,
        kill.clone(),
        service.style(),
        Arc::clone(&service),
        conn,
    ));
    let opened = service.opened(conn);
    let outcome = read_loop(
        rd,
        conn,
        &*service,
        &limits,
        &stop,
        &signals.shutdown,
        opened,
    )
    .await;
    match &outcome {
        Outcome::Eof | Outcome::Stopped | Outcome::Shutdown | Outcome::StoreGone => {
            tracing::debug!(%peer, %conn, "closing: {outcome}")
        }
        Outcome::Done => {} // the protocol already logged why
        Outcome::Idle | Outcome::Error(_) | Outcome::Overflow => {
            tracing::info!(%peer, %conn, "closing: {outcome}")
        }
    }
    // Dropping the registry's sender ends the writer once it has written
    // what is queued.
    registry.remove(conn);
    if tokio::time::timeout(FLUSH_GRACE, &mut writer)
        .await
        .is_err()
    {
        kill.cancel();
        let _ = writer.await;
    }
    service.closed(conn);
}
