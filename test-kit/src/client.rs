//! The reference client library in tests: no pacing, one event at a time
//! and nothing when nothing must come, each bounded; a clean goodbye; and
//! [`Users`], clients of a server a test started.

use std::time::Duration;

use gabarito_client::zap::{Client, ClientConfig, Event, Id};
use tokio::time::timeout;

use crate::server::Server;
use crate::{PATIENCE, QUIET};

/// Timing for tests: no pacing (the reference server splits glued frames).
pub fn fast() -> ClientConfig {
    ClientConfig {
        pace: Duration::ZERO,
        ..ClientConfig::default()
    }
}

/// The next event within [`PATIENCE`], skipping nothing.
pub async fn event(c: &mut Client) -> Event {
    match timeout(PATIENCE, c.next_event()).await {
        Ok(Ok(Some(e))) => e,
        Ok(Ok(None)) => panic!("the server closed the connection"),
        Ok(Err(e)) => panic!("client error: {e}"),
        Err(_) => panic!("no event within {PATIENCE:?}"),
    }
}

/// Nothing arrives for [`QUIET`].
pub async fn silence(c: &mut Client) {
    if let Ok(r) = timeout(QUIET, c.next_event()).await {
        panic!("expected silence, got {r:?}");
    }
}

/// Half-closes and reads until the server closes too.
pub async fn leave(c: &mut Client) {
    c.shutdown().await.expect("shutdown");
    while let Ok(Ok(Some(_))) = timeout(PATIENCE, c.next_event()).await {}
}

/// Library clients of a server a test started.
#[allow(async_fn_in_trait)]
pub trait Users {
    /// A client connected without pacing.
    async fn client(&self) -> Client;

    /// A client registered and logged in, and its id.
    async fn user(&self) -> (Id<'static>, Client) {
        let mut c = self.client().await;
        let id = c.register().await.expect("register");
        c.login(id.clone()).await.expect("login");
        (id, c)
    }
}

impl Users for Server {
    async fn client(&self) -> Client {
        Client::connect_with(&self.addr(), fast())
            .await
            .expect("connect")
    }
}
