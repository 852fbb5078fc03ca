//! Feeds what a [`Relay`](super::relay::Relay) saw to an [`Inspector`], in
//! the order each side's pump saw it. Read boundaries (zap §3.4 R5) come
//! from the pumps ([`RelayEvent::Paused`]): a pump knows whether it was
//! watching its socket through a silence, however busy the machine or the
//! inspector is. Knows no protocol.

use tokio::sync::mpsc::error::TryRecvError;
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
    /// The relay is over: both sides closed, or the proxy is stopping
    /// (`interrupted`).
    fn finish(&mut self, interrupted: bool);
    /// Every event the relay has sent so far was handled: what comes next
    /// was read from now on.
    fn idle(&mut self) {}
}

/// Runs `inspector` over the relay's events until both sides have closed
/// and every event is handled, or until `stop` turns true — checked before
/// every event, so a stop is honoured at once even by an inspector far
/// behind.
pub async fn drive(
    inspector: &mut dyn Inspector,
    mut rx: mpsc::Receiver<RelayEvent>,
    mut stop: watch::Receiver<bool>,
) {
    let mut closed = [false, false];
    let mut interrupted = false;
    loop {
        if *stop.borrow() {
            interrupted = true;
            break;
        }
        let event = match rx.try_recv() {
            Ok(e) => e,
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {
                inspector.idle();
                tokio::select! {
                    e = rx.recv() => match e {
                        Some(e) => e,
                        None => break,
                    },
                    _ = stop.wait_for(|s| *s) => {
                        interrupted = true;
                        break;
                    }
                }
            }
        };
        match event {
            RelayEvent::Data { from, bytes, at } => inspector.data(from, &bytes, at),
            RelayEvent::Paused { from } => inspector.pause(from),
            RelayEvent::Closed { side, how, at } => {
                // A failed write reports the far side gone; its own pump may
                // report it again.
                if !std::mem::replace(&mut closed[side.index()], true) {
                    inspector.closed(side, &how, at);
                }
            }
        }
    }
    inspector.finish(interrupted);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Count {
        data: usize,
        finished: Option<bool>,
    }

    impl Inspector for Count {
        fn data(&mut self, _: Side, _: &[u8], _: Instant) {
            self.data += 1;
        }
        fn pause(&mut self, _: Side) {}
        fn closed(&mut self, _: Side, _: &Closed, _: Instant) {}
        fn finish(&mut self, interrupted: bool) {
            self.finished = Some(interrupted);
        }
    }

    /// Ctrl-C while far behind: the stop is honoured before the next
    /// event, not after the backlog.
    #[tokio::test]
    async fn a_stop_is_honoured_before_the_backlog() {
        let (tx, rx) = mpsc::channel(100);
        for _ in 0..100 {
            tx.try_send(RelayEvent::Data {
                from: Side::Client,
                bytes: b"x".to_vec(),
                at: Instant::now(),
            })
            .expect("room");
        }
        let (stop_tx, stop) = watch::channel(false);
        stop_tx.send(true).expect("stop");
        let mut count = Count::default();
        drive(&mut count, rx, stop).await;
        assert_eq!((count.data, count.finished), (0, Some(true)));
    }

    #[tokio::test]
    async fn without_a_stop_everything_is_handled_then_finished() {
        let (tx, rx) = mpsc::channel(10);
        for _ in 0..3 {
            tx.try_send(RelayEvent::Data {
                from: Side::Server,
                bytes: b"x".to_vec(),
                at: Instant::now(),
            })
            .expect("room");
        }
        drop(tx);
        let (_stop_tx, stop) = watch::channel(false);
        let mut count = Count::default();
        drive(&mut count, rx, stop).await;
        assert_eq!((count.data, count.finished), (3, Some(false)));
    }
}
