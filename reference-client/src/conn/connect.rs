//! Opening a connection, the same for every protocol.

use std::time::Duration;

use tokio::net::TcpStream;

use crate::error::{ClientError, Result};

/// Connects to `addr` (`host:port`), waiting at most `within`, with
/// TCP_NODELAY set: every protocol here wants one write to be one message
/// on the wire, without Nagle's delay (zap §3.2, lrv §3.2).
pub async fn connect(addr: &str, within: Duration) -> Result<TcpStream> {
    let stream = match tokio::time::timeout(within, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(source)) => {
            return Err(ClientError::Connect {
                addr: addr.to_owned(),
                source,
            });
        }
        Err(_) => {
            return Err(ClientError::ConnectTimeout {
                addr: addr.to_owned(),
                after: within,
            });
        }
    };
    // Without NODELAY messages are only delayed, never lost: not fatal.
    let _ = stream.set_nodelay(true);
    Ok(stream)
}
