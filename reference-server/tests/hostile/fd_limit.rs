//! Attack 8c: running out of file descriptors. The server kept the soft
//! limit it was given (often 1,024, far below `--max-connections`), and at
//! the limit logged "accept failed" 20 times a second. Bound: the soft
//! limit is raised to the hard limit at start; at the hard limit, accept
//! failures are logged at most once per 10 s (here: at most [`LINES`] in
//! [`HOLD`]) and the server serves again once connections close.

use std::time::Duration;

use crate::peer::{Proto, canary, connect};
use crate::server::{Server, Stderr};

/// How long the limit is held.
const HOLD: Duration = Duration::from_secs(2);

/// "accept failed" lines allowed while it is held.
const LINES: usize = 2;

#[tokio::test]
async fn the_soft_fd_limit_is_raised_to_the_hard_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start_limited(256, true, dir.path(), &[], Stderr::Captured).await;
    let (soft, hard) = server.fd_limits();
    eprintln!("measured: started with a soft limit of 256: now soft {soft}, hard {hard}");
    assert_eq!(soft, hard, "soft {soft}, hard {hard}");
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}

#[tokio::test]
async fn at_the_fd_limit_accept_errors_are_paced_and_the_server_recovers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start_limited(48, false, dir.path(), &[], Stderr::Captured).await;
    canary(Proto::Zap, server.addr).await;
    let mut held = Vec::new();
    for _ in 0..80 {
        held.push(connect(server.addr).await);
    }
    tokio::time::sleep(HOLD).await;
    let text = server.log_text();
    let lines = text.matches("accept failed").count();
    drop(held);
    let latency = tokio::time::timeout(Duration::from_secs(10), canary(Proto::Zap, server.addr))
        .await
        .expect("served again once connections closed");
    eprintln!(
        "measured: 80 connections at a hard limit of 48 files for {HOLD:?}: {lines} 'accept failed' lines; canary after {latency:?}"
    );
    assert!(lines >= 1, "the failure is logged:\n{text}");
    assert!(lines <= LINES, "{lines} lines:\n{text}");
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}
