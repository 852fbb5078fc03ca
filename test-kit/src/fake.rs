//! A fake server on 127.0.0.1:0 that answers the first bytes of each
//! connection with canned bytes: a server that misbehaves in a way no
//! reference server can be configured to.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::PATIENCE;

/// Answers the first thing each client says with `reply`, then closes
/// (`then_close`) or waits for the client to leave.
pub async fn fake(reply: &'static [u8], then_close: bool) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                if let Ok(Ok(n)) = tokio::time::timeout(PATIENCE, s.read(&mut buf)).await {
                    if n > 0 {
                        let _ = s.write_all(reply).await;
                    }
                }
                if !then_close {
                    let _ = tokio::time::timeout(PATIENCE, s.read(&mut buf)).await;
                }
            });
        }
    });
    (addr, task)
}
