//! Live connections by id: where dispatch finds a connection's outbound
//! queue and its cancellation tokens.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use tokio::sync::mpsc::UnboundedSender;
use tokio_util::sync::CancellationToken;

use super::Batch;
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
