//! An optional bound on messages in flight per stream (sent, not yet
//! received). Unbounded, a pipelining sender fills every socket buffer on
//! the path and latency measures how deep those buffers are; a window
//! measures latency at a chosen load instead.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Notify;

#[derive(Debug)]
pub struct Window {
    /// `None`: unbounded.
    limit: Option<u64>,
    received: AtomicU64,
    progress: Notify,
}

impl Window {
    /// A window of `limit` messages; 0 means unbounded.
    pub fn new(limit: u64) -> Self {
        Window {
            limit: (limit > 0).then_some(limit),
            received: AtomicU64::new(0),
            progress: Notify::new(),
        }
    }

    /// Waits until message `seq` may be sent.
    pub async fn admit(&self, seq: u64) {
        let Some(limit) = self.limit else { return };
        loop {
            let progressed = self.progress.notified();
            if seq < self.received.load(Ordering::Acquire) + limit {
                return;
            }
            progressed.await;
        }
    }

    /// The receiver has `received` messages in all.
    pub fn advance(&self, received: u64) {
        if self.limit.is_some() {
            self.received.store(received, Ordering::Release);
            self.progress.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test]
    async fn a_window_holds_the_sender_until_the_receiver_catches_up() {
        let w = Arc::new(Window::new(2));
        w.admit(1).await;
        let held = tokio::time::timeout(Duration::from_millis(20), w.admit(2)).await;
        assert!(held.is_err(), "message 2 must wait for a receipt");
        let waiter = tokio::spawn({
            let w = Arc::clone(&w);
            async move { w.admit(2).await }
        });
        w.advance(1);
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("admitted after progress")
            .expect("no panic");
        Window::new(0).admit(1_000_000).await;
    }
}
