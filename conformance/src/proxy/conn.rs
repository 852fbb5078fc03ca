//! One proxied connection: reach the upstream server, relay, inspect, and
//! end when both sides have closed or the proxy stops. Knows no protocol.

use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

use super::drive::{Inspector, drive};
use super::relay::{QUEUE, Relay, RelayStats};
use crate::lang::{Lang, t};

/// How long reaching the upstream server may take before the client is
/// turned away.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects to the upstream server; the error says why it could not.
pub async fn connect_upstream(upstream: &str) -> Result<TcpStream, String> {
    let cannot = match crate::lang::current() {
        Lang::En => format!("cannot reach upstream {upstream}"),
        Lang::PtBr => format!("não foi possível alcançar o servidor {upstream}"),
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(upstream)).await {
        Ok(Ok(s)) => Ok(s),
        Ok(Err(e)) => Err(format!("{cannot}: {e}")),
        Err(_) => Err(format!(
            "{cannot}: {} {}s",
            t("no answer within", "sem resposta em"),
            CONNECT_TIMEOUT.as_secs()
        )),
    }
}

/// Relays `client` ⇄ `server` and runs `inspector` over it until the
/// relay is over (see [`drive`]); returns how often the relay had to wait
/// for the inspector longer than `settle`.
pub async fn inspect(
    client: TcpStream,
    server: TcpStream,
    settle: Duration,
    inspector: &mut dyn Inspector,
    stop: watch::Receiver<bool>,
) -> RelayStats {
    let (tx, rx) = mpsc::channel(QUEUE);
    let relay = Relay::start(client, server, tx, settle);
    drive(inspector, rx, stop).await;
    relay.abort();
    relay.stats()
}
