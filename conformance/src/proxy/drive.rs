//! Feeds what a [`Relay`](super::relay::Relay) saw to an [`Inspector`], with
//! read boundaries decided by the time bytes were *read*, not by when the
//! inspector got round to them: a side that sent nothing for the settle
//! time has paused (zap §3.4 R5), however busy the machine is. Knows no
//! protocol.

use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::relay::{Closed, RelayEvent, Side};

/// Something that watches one relayed connection.
pub trait Inspector: Send {
    /// Bytes `from` sent, read at `at`; more may follow.
    fn data(&mut self, from: Side, bytes: &[u8], at: Instant);
    /// `from` sent nothing for the settle time after its last bytes: a read
    /// boundary (zap §3.4 R5).
    fn pause(&mut self, from: Side);
    /// `side` will send nothing more.
    fn closed(&mut self, side: Side, how: &Closed, at: Instant);
    /// Whether bytes from `from` are undecided until a pause (so a settle
    /// deadline is worth keeping).
    fn waiting(&self, from: Side) -> bool;
    /// The relay is over: both sides closed, or the proxy is stopping
    /// (`interrupted`).
    fn finish(&mut self, interrupted: bool);
}

/// Runs `inspector` over the relay's events until both sides have closed
/// and every event is handled, or until `stop` turns true.
pub async fn drive(
    inspector: &mut dyn Inspector,
    mut rx: mpsc::UnboundedReceiver<RelayEvent>,
    settle: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let mut deadline: [Option<Instant>; 2] = [None, None];
    let mut closed = [false, false];
    let mut held: Option<RelayEvent> = None;
    let mut interrupted = false;
    loop {
        let due = Side::BOTH
            .into_iter()
            .filter_map(|s| deadline[s.index()].map(|d| (s, d)))
            .min_by_key(|(_, d)| *d);
        let next = match held.take() {
            Some(e) => Some(e),
            None => rx.try_recv().ok(),
        };
        let event = match (next, due) {
            // A pause that ended before this event was read came first.
            (Some(e), Some((side, at))) if e.at() > at => {
                held = Some(e);
                deadline[side.index()] = None;
                inspector.pause(side);
                continue;
            }
            (Some(e), _) => e,
            (None, due) => {
                let sleep = async {
                    match due {
                        Some((_, at)) => tokio::time::sleep_until(at).await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    e = rx.recv() => match e {
                        Some(e) => e,
                        None => break,
                    },
                    () = sleep => {
                        if let Some((side, _)) = due {
                            deadline[side.index()] = None;
                            inspector.pause(side);
                        }
                        continue;
                    }
                    _ = stop.wait_for(|s| *s) => {
                        interrupted = true;
                        break;
                    }
                }
            }
        };
        match event {
            RelayEvent::Data { from, bytes, at } => {
                inspector.data(from, &bytes, at);
                deadline[from.index()] = inspector.waiting(from).then(|| at + settle);
            }
            RelayEvent::Closed { side, how, at } => {
                // A failed write reports the far side gone; its own pump may
                // report it again.
                if !std::mem::replace(&mut closed[side.index()], true) {
                    deadline[side.index()] = None;
                    inspector.closed(side, &how, at);
                }
            }
        }
    }
    inspector.finish(interrupted);
}
