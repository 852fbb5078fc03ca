//! Live connections by id: where dispatch finds a connection's outbound
//! queue and its cancellation tokens; [`Batches`], what dispatch queues.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Batch, Frame};
use crate::ConnId;

#[derive(Debug)]
struct Entry {
    peer: SocketAddr,
    /// `None` once a flushing close was asked for: nothing more is queued.
    outbox: Option<UnboundedSender<Batch>>,
    /// Stops the reader only.
    stop: CancellationToken,
    /// Stops reader and writer at once.
    kill: CancellationToken,
}

/// The outbound queues are unbounded channels because the protocol core
/// bounds them: it counts what it sent and not yet heard written, and closes
/// a connection past its limit (zap §11.2).
#[derive(Debug, Default)]
pub(crate) struct Registry {
    conns: Mutex<HashMap<ConnId, Entry>>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ConnId, Entry>> {
        self.conns.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn insert(
        &self,
        conn: ConnId,
        peer: SocketAddr,
        outbox: UnboundedSender<Batch>,
        stop: CancellationToken,
        kill: CancellationToken,
    ) {
        self.lock().insert(
            conn,
            Entry {
                peer,
                outbox: Some(outbox),
                stop,
                kill,
            },
        );
    }

    pub fn remove(&self, conn: ConnId) {
        self.lock().remove(&conn);
    }

    pub fn peer(&self, conn: ConnId) -> Option<SocketAddr> {
        self.lock().get(&conn).map(|e| e.peer)
    }

    /// The peer's address for a log line, `(gone)` once it is.
    pub fn peer_name(&self, conn: ConnId) -> String {
        self.peer(conn)
            .map_or_else(|| "(gone)".to_owned(), |p| p.to_string())
    }

    /// Queues a batch; dropped if the connection is gone or closing.
    pub fn send(&self, conn: ConnId, batch: Batch) {
        if let Some(outbox) = self.lock().get(&conn).and_then(|e| e.outbox.as_ref()) {
            let _ = outbox.send(batch);
        }
    }

    /// Closes a connection: after writing what is queued (`flush`), or at
    /// once.
    pub fn close(&self, conn: ConnId, flush: bool) {
        if let Some(e) = self.lock().get_mut(&conn) {
            e.outbox = None;
            if flush {
                e.stop.cancel();
            } else {
                e.kill.cancel();
            }
        }
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

/// The frames one job produced, gathered into one batch per connection in
/// the order connections first appear, then queued together: a batch is
/// what quirk `glue` writes at once, and what the writer may coalesce.
#[derive(Debug, Default)]
pub(crate) struct Batches(Vec<(ConnId, Vec<Frame>)>);

impl Batches {
    pub fn add(&mut self, conn: ConnId, frames: impl IntoIterator<Item = Frame>) {
        match self.0.iter_mut().find(|(c, _)| *c == conn) {
            Some((_, b)) => b.extend(frames),
            None => self.0.push((conn, frames.into_iter().collect())),
        }
    }

    /// Queues every batch gathered so far, and starts again empty.
    pub fn send(&mut self, registry: &Registry, queued_at: Instant) {
        for (conn, frames) in self.0.drain(..) {
            registry.send(conn, Batch { frames, queued_at });
        }
    }
}
