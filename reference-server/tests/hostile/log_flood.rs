//! Attack 3: a client sends only frames the server ignores (zap §10.2) or
//! answers `400` (lrv §9.2), as fast as it can. One warning per frame made
//! 5 to 140 bytes of log per byte sent. Bound: the log about the attacker
//! stays under [`LOG_BOUND`] whatever it sends (the first warnings in full,
//! then a count), and past `--max-rejected` (1,000) the connection is
//! closed; an unrelated client is served meanwhile.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::time::Instant;

use crate::peer::{Proto, canaries_until, connect, until_closed};
use crate::server::{PATIENCE, Server, Stderr};

/// The most log one attacking connection may cause.
const LOG_BOUND: usize = 16 * 1024;

/// Sends `frame` `count` times in 64 KiB writes, draining replies, and
/// returns whether the server closed the connection, with the log bytes
/// and the time it took; a canary runs throughout.
async fn flood(proto: Proto, frame: &[u8], count: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), &["--protocol", proto.flag()], Stderr::Captured).await;
    // The start-up lines are not the attacker's.
    crate::peer::canary(proto, server.addr).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = server.log_bytes();
    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let canaries = tokio::spawn(canaries_until(proto, server.addr, done_rx));
    let start = Instant::now();
    let s = connect(server.addr).await;
    let (mut rd, mut wr) = s.into_split();
    let drain = tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        let mut total = 0usize;
        while let Ok(Ok(n)) =
            tokio::time::timeout(PATIENCE, tokio::io::AsyncReadExt::read(&mut rd, &mut buf)).await
        {
            if n == 0 {
                return (true, total);
            }
            total += n;
        }
        (false, total)
    });
    let all: Vec<u8> = frame.repeat(count);
    for chunk in all.chunks(64 * 1024) {
        if wr.write_all(chunk).await.is_err() {
            break; // closed by the server: what the bound wants
        }
    }
    let (closed, replies) = drain.await.expect("drain");
    let took = start.elapsed();
    let _ = done_tx.send(true);
    let canaries = canaries.await.expect("canaries");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logged = server.log_bytes() - before;
    let text = server.log_text();
    eprintln!(
        "measured: {proto:?} flood of {count} × {} bytes: log {logged} bytes, closed {closed} after {took:?}, {replies} reply bytes; canary worst {:?} of {}, {} not served",
        frame.len(),
        canaries.worst,
        canaries.ran,
        canaries.failed.len()
    );
    assert!(
        closed,
        "{proto:?}: past --max-rejected the connection is closed"
    );
    assert!(logged < LOG_BOUND, "{proto:?}: {logged} bytes of log");
    assert!(
        text.contains("more like it from 127.0.0.1:"),
        "the rest is summarised:\n{}",
        &text[text.len().saturating_sub(2000)..]
    );
    canaries.assert_within(Duration::from_secs(2));
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}

#[tokio::test]
async fn zap_ignored_frames_do_not_flood_the_log() {
    // A 03 for an id nobody has: well-formed, ignored (zap §5.3, §10.2).
    flood(Proto::Zap, b"032999999999999", 20_000).await;
}

#[tokio::test]
async fn lrv_invalid_requests_do_not_flood_the_log() {
    flood(Proto::Lrv, b"X\n", 100_000).await;
}

/// A connection closed by `--max-rejected` had sent nothing else: its
/// close is one line, not one per frame.
#[tokio::test]
async fn a_rejected_flood_on_many_connections_stays_bounded_per_connection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), &["--protocol", "zap"], Stderr::Captured).await;
    crate::peer::canary(Proto::Zap, server.addr).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = server.log_bytes();
    let conns = 20;
    for _ in 0..conns {
        let mut s = connect(server.addr).await;
        let _ = s.write_all(&b"032999999999999".repeat(2_000)).await;
        let (closed, _) = until_closed(&mut s, PATIENCE).await;
        assert!(closed);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logged = server.log_bytes() - before;
    eprintln!("measured: {conns} connections × 2,000 ignored 03s: log {logged} bytes");
    assert!(logged < conns * LOG_BOUND / 4, "{logged} bytes of log");
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}
