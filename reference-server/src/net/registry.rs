//! Live connections by id: where dispatch finds a connection's outbound
//! queue, its cancellation tokens and its warning budget; [`Batches`], what
//! dispatch queues.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use tokio::sync::mpsc::UnboundedSender;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::Batch;
use crate::ConnId;
use crate::logging::{Admit, Budget};
use crate::sans_io::Frame;

#[derive(Debug)]
struct Entry {
    peer: SocketAddr,
    /// `None` once a flushing close was asked for: nothing more is queued.
    outbox: Option<UnboundedSender<Batch>>,
    /// Stops the reader only.
    stop: CancellationToken,
    /// Stops reader and writer at once.
    kill: CancellationToken,
    /// The warnings about it written so far.
    warnings: Budget,
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
                warnings: Budget::default(),
            },
        );
    }

    /// Forgets a connection; warnings about it that were only counted are
    /// summarised now.
    pub fn remove(&self, conn: ConnId) {
        let gone = self.lock().remove(&conn);
        if let Some(e) = gone {
            let held = e.warnings.held();
            if held > 0 {
                let peer = e.peer;
                tracing::warn!(%peer, %conn, "… and {} more like it from {peer}", Thousands(held));
            }
        }
    }

    /// Logs a warning about `conn` (an invalid or ignored frame) within its
    /// budget: the first few in full, the rest counted and summarised
    /// (see `logging/budget.rs`).
    pub fn warn(&self, conn: ConnId, what: &dyn fmt::Display) {
        let (peer, admit) = {
            let mut conns = self.lock();
            match conns.get_mut(&conn) {
                Some(e) => (Some(e.peer), e.warnings.admit(std::time::Instant::now())),
                None => (None, Admit::Write),
            }
        };
        let name = peer.map_or_else(|| "(gone)".to_owned(), |p| p.to_string());
        match admit {
            Admit::Write => tracing::warn!(peer = %name, %conn, "{what}"),
            Admit::Hold => {}
            Admit::Summarise { held } => tracing::warn!(
                peer = %name,
                %conn,
                "… and {} more like it from {name} (the last: {what})",
                Thousands(held)
            ),
        }
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

/// A count with thousands separators: `123,456`.
struct Thousands(u64);

impl fmt::Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                f.write_str(",")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (123_456, "123,456"),
        ] {
            assert_eq!(Thousands(n).to_string(), text);
        }
        assert_eq!(Thousands(1_234_567).to_string(), "1,234,567");
    }
}
