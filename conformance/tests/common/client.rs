//! Driving the reference client in tests: one event at a time, and a
//! clean goodbye, each bounded by [`PATIENCE`].

use std::time::Duration;

use gabarito_client::zap::{Client, Event};
use tokio::time::timeout;

/// How long a test waits for anything the peer should do.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub async fn next(c: &mut Client) -> Event {
    timeout(PATIENCE, c.next_event())
        .await
        .expect("an event in time")
        .expect("no error")
        .expect("the connection is open")
}

/// Half-closes and reads until the server closes too.
pub async fn leave(c: &mut Client) {
    c.shutdown().await.expect("shutdown");
    while let Ok(Ok(Some(_))) = timeout(PATIENCE, c.next_event()).await {}
}
