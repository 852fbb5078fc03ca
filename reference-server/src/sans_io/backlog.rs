//! [`Backlog`]: what a connection was sent and has not yet been reported
//! written, in frames and in bytes — the measure of a slow reader
//! (zap §11.2, lrv §10.2). Shared by the protocol cores; knows no
//! protocol.
//!
//! Bytes are what memory costs: one lrv `DISPONIVEIS` reply of a raffle of
//! 10,000 is 48.9 KB, so a limit in lines alone let a client that pipelines
//! requests without reading grow the server by hundreds of megabytes.

use std::collections::VecDeque;

/// The most a connection may have waiting to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimit {
    pub frames: usize,
    /// Exceeded only by a single frame queued when nothing else waits: a
    /// reply is never refused for its size alone.
    pub bytes: usize,
}

impl QueueLimit {
    pub const fn new(frames: usize, bytes: usize) -> QueueLimit {
        QueueLimit { frames, bytes }
    }
}

/// Frames sent to one connection and not yet written, oldest first.
#[derive(Debug, Default)]
pub struct Backlog {
    lens: VecDeque<usize>,
    bytes: usize,
}

impl Backlog {
    pub fn frames(&self) -> usize {
        self.lens.len()
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether frames of these lengths can be added within `limit`.
    pub fn fits(&self, limit: QueueLimit, lens: &[usize]) -> bool {
        let bytes = self.bytes + lens.iter().sum::<usize>();
        let frames = self.lens.len() + lens.len();
        let lone = self.lens.is_empty() && lens.len() <= 1;
        frames <= limit.frames && (bytes <= limit.bytes || lone)
    }

    /// How many more frames of up to `each` bytes fit within `limit`.
    pub fn room(&self, limit: QueueLimit, each: usize) -> usize {
        let frames = limit.frames.saturating_sub(self.lens.len());
        let bytes = limit.bytes.saturating_sub(self.bytes) / each.max(1);
        let bytes = if self.lens.is_empty() {
            bytes.max(1)
        } else {
            bytes
        };
        frames.min(bytes)
    }

    pub fn push(&mut self, len: usize) {
        self.lens.push_back(len);
        self.bytes += len;
    }

    /// The oldest `frames` were written.
    pub fn written(&mut self, frames: usize) {
        for _ in 0..frames {
            match self.lens.pop_front() {
                Some(len) => self.bytes -= len,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: QueueLimit = QueueLimit {
        frames: 3,
        bytes: 100,
    };

    #[test]
    fn frames_and_bytes_both_bound_the_backlog() {
        let mut b = Backlog::default();
        assert!(b.fits(LIMIT, &[40, 40]));
        b.push(40);
        b.push(40);
        assert!(!b.fits(LIMIT, &[40]), "120 bytes");
        assert!(b.fits(LIMIT, &[20]));
        b.push(20);
        assert!(!b.fits(LIMIT, &[0]), "a 4th frame");
        b.written(2);
        assert_eq!((b.frames(), b.bytes()), (1, 20));
        b.written(5);
        assert_eq!((b.frames(), b.bytes()), (0, 0));
    }

    #[test]
    fn one_frame_larger_than_the_limit_goes_when_nothing_waits() {
        let mut b = Backlog::default();
        assert!(b.fits(LIMIT, &[500]));
        assert!(!b.fits(LIMIT, &[500, 1]));
        b.push(500);
        assert!(!b.fits(LIMIT, &[1]));
    }

    #[test]
    fn room_counts_frames_of_the_largest_size() {
        let mut b = Backlog::default();
        assert_eq!(b.room(LIMIT, 30), 3);
        assert_eq!(b.room(LIMIT, 1000), 1, "one always fits an empty backlog");
        b.push(50);
        assert_eq!(b.room(LIMIT, 30), 1);
        assert_eq!(b.room(LIMIT, 1000), 0);
    }
}
