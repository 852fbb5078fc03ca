//! Attack 2: the log cannot be written — stderr closed before the server
//! starts, closed while it runs, or a full disk. A failed log write used
//! to panic in the thread that logged: exit 101 before serving anyone, or
//! a server that accepted TCP and answered nothing. Bound: it keeps
//! serving every client, and SIGTERM still stops it cleanly (exit 0).

use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::peer::{Proto, canary, connect, until_closed};
use crate::server::{Server, Stderr};

/// What makes the server log: a bad frame, from a few connections.
async fn provoke(proto: Proto, addr: std::net::SocketAddr) {
    for _ in 0..5 {
        let mut s = connect(addr).await;
        let bad: &[u8] = match proto {
            Proto::Zap => b"99 not a frame",
            Proto::Lrv => b"\xff\xfe\nNOPE\n",
        };
        let _ = s.write_all(bad).await;
        let _ = s.shutdown().await;
        let (closed, _) = until_closed(&mut s, Duration::from_secs(5)).await;
        assert!(closed, "{proto:?}: the bad connection ends");
    }
}

/// The server keeps serving through failed log writes and exits 0 on
/// SIGTERM.
async fn keeps_serving(proto: Proto, stderr: Stderr, close_later: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut server = Server::start(dir.path(), &["--protocol", proto.flag()], stderr).await;
    if close_later {
        // Let it log at start, then take the log away.
        canary(proto, server.addr).await;
        assert!(server.log_bytes() > 0, "it logged while it could");
        server.close_stderr().await;
    }
    provoke(proto, server.addr).await;
    let latency = canary(proto, server.addr).await;
    let status = server.term().await;
    eprintln!(
        "measured: {proto:?} stderr {stderr:?} closed later {close_later}: canary {latency:?}, exit {status:?}"
    );
    let status = status.expect("SIGTERM stops it");
    assert_eq!(status.code(), Some(0), "{proto:?} {stderr:?}: {status}");
}

#[tokio::test]
async fn zap_serves_with_stderr_closed_at_start() {
    keeps_serving(Proto::Zap, Stderr::ClosedAtStart, false).await;
}

#[tokio::test]
async fn zap_serves_after_stderr_is_closed() {
    keeps_serving(Proto::Zap, Stderr::Captured, true).await;
}

#[tokio::test]
async fn zap_serves_with_the_disk_full() {
    keeps_serving(Proto::Zap, Stderr::DiskFull, false).await;
}

#[tokio::test]
async fn lrv_serves_with_stderr_closed_at_start() {
    keeps_serving(Proto::Lrv, Stderr::ClosedAtStart, false).await;
}

#[tokio::test]
async fn lrv_serves_after_stderr_is_closed() {
    keeps_serving(Proto::Lrv, Stderr::Captured, true).await;
}

#[tokio::test]
async fn lrv_serves_with_the_disk_full() {
    keeps_serving(Proto::Lrv, Stderr::DiskFull, false).await;
}
