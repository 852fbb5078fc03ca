//! Attack 4: clients that ask and never read. lrv's slow-reader limit
//! counted lines, and one `DISPONIVEIS` reply of a raffle of 10,000 is
//! 48.9 KB: 117 KiB of requests grew the server by 470 MB. Bound: what
//! waits for a connection is at most `--max-queue-bytes` (1 MiB) past what
//! the kernel holds, so the server grows by less than [`RSS_BOUND`] for
//! two such clients, and an unrelated client is served meanwhile.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::peer::{Proto, canaries_until, connect, until_closed, zap_register};
use crate::server::{PATIENCE, Server, Stderr};

/// How much the server's peak resident memory may grow.
const RSS_BOUND_KIB: u64 = 64 * 1024;

/// Writes `bytes` without reading, giving up when the write blocks for a
/// while (the server stopped reading or closed).
async fn write_without_reading(s: &mut TcpStream, bytes: &[u8]) -> usize {
    let mut sent = 0;
    for chunk in bytes.chunks(16 * 1024) {
        match tokio::time::timeout(Duration::from_secs(3), s.write_all(chunk)).await {
            Ok(Ok(())) => sent += chunk.len(),
            _ => break,
        }
    }
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lrv_pipelined_lists_without_reading_cost_bounded_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        dir.path(),
        &["--protocol", "lrv", "--raffle-size", "10000"],
        Stderr::Captured,
    )
    .await;
    crate::peer::canary(Proto::Lrv, server.addr).await;
    let (rss0, hwm0) = (server.status_kib("VmRSS"), server.status_kib("VmHWM"));
    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let canaries = tokio::spawn(canaries_until(Proto::Lrv, server.addr, done_rx));
    let start = Instant::now();
    let mut attackers = Vec::new();
    for _ in 0..2 {
        let addr = server.addr;
        attackers.push(tokio::spawn(async move {
            let mut s = connect(addr).await;
            let sent = write_without_reading(&mut s, &b"DISPONIVEIS\n".repeat(10_000)).await;
            (s, sent)
        }));
    }
    let mut conns = Vec::new();
    for a in attackers {
        conns.push(a.await.expect("attacker"));
    }
    let mut closed_all = true;
    let mut received = 0;
    for (mut s, _) in conns.drain(..) {
        // A close with requests unread is a reset: what was waiting for
        // the client may be lost with it.
        let (closed, n) = until_closed(&mut s, PATIENCE).await;
        closed_all &= closed;
        received += n;
    }
    let hwm = server.status_kib("VmHWM");
    let took = start.elapsed();
    let _ = done_tx.send(true);
    let canaries = canaries.await.expect("canaries");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_after = server.status_kib("VmRSS");
    eprintln!(
        "measured: lrv 2 × 10,000 DISPONIVEIS unread (raffle 10,000): peak RSS +{} KiB (from {hwm0} KiB) in {took:?}, RSS after close {rss_after} KiB (from {rss0}), {received} bytes of replies were waiting, closed {closed_all}; canary worst {:?} of {}, {} not served",
        hwm.saturating_sub(hwm0),
        canaries.worst,
        canaries.ran,
        canaries.failed.len()
    );
    assert!(closed_all, "lrv §10.2: slow readers are disconnected");
    assert!(
        hwm.saturating_sub(hwm0) < RSS_BOUND_KIB,
        "peak RSS grew by {} KiB",
        hwm - hwm0
    );
    assert!(
        rss_after.saturating_sub(rss0) < RSS_BOUND_KIB,
        "RSS after the clients closed: {rss_after} KiB, from {rss0}"
    );
    canaries.assert_within(Duration::from_secs(2));
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zap_a_recipient_that_never_reads_costs_bounded_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), &["--protocol", "zap"], Stderr::Captured).await;
    let (a, b) = (
        zap_register(server.addr).await,
        zap_register(server.addr).await,
    );
    let hwm0 = server.status_kib("VmHWM");
    let mut rb = connect(server.addr).await;
    // Online once the 02 after its 03 is back (zap §11.1); then it never
    // reads again.
    rb.write_all(format!("03{b}01").as_bytes())
        .await
        .expect("03");
    assert_eq!(
        crate::peer::read_at_least(&mut rb, 15, PATIENCE)
            .await
            .len(),
        15
    );
    let sa = connect(server.addr).await;
    let (mut rd, mut wr) = sa.into_split();
    wr.write_all(format!("03{a}").as_bytes()).await.expect("03");
    // What a receives: 07s (25 bytes) for what b was written, then the 02
    // (15 bytes) that answers the 01 after the burst — by then every 05
    // was acted on (zap §11.1).
    let receipts = tokio::spawn(async move {
        let mut buf = Vec::new();
        let mut chunk = vec![0u8; 64 * 1024];
        let mut sevens = 0usize;
        loop {
            match buf.get(..2) {
                Some(b"07") if buf.len() >= 25 => {
                    buf.drain(..25);
                    sevens += 1;
                    continue;
                }
                Some(b"02") if buf.len() >= 15 => return Some(sevens),
                Some(b"07" | b"02") | None => {}
                Some(other) => panic!("unexpected {other:?}"),
            }
            match tokio::time::timeout(
                PATIENCE * 3,
                tokio::io::AsyncReadExt::read(&mut rd, &mut chunk),
            )
            .await
            {
                Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
                _ => return None,
            }
        }
    });
    // 20,000 05s of 218 characters each (5.1 MB).
    let data = "z".repeat(218);
    let one = format!("05{a}{b}1700000000{data}");
    let start = Instant::now();
    let mut sent = 0;
    for chunk in one.repeat(20_000).into_bytes().chunks(64 * 1024) {
        wr.write_all(chunk).await.expect("the sender is read");
        sent += chunk.len();
    }
    // A glued 03 ends the last 05's data (zap §3.4 R3) — a pause might
    // not, to a server still behind — and changes nothing (§5.3).
    wr.write_all(format!("03{a}01").as_bytes())
        .await
        .expect("01");
    let sevens = receipts
        .await
        .expect("receipts")
        .unwrap_or_else(|| panic!("no 02 after the burst; the log:\n{}", server.log_text()));
    let took = start.elapsed();
    let hwm = server.status_kib("VmHWM");
    let (closed, waiting) = until_closed(&mut rb, PATIENCE).await;
    eprintln!(
        "measured: zap 20,000 × 256-byte 05s to a recipient that never reads: peak RSS +{} KiB in {took:?}, {sent} bytes sent, {sevens} written to it (07s), recipient closed {closed} with {waiting} bytes waiting",
        hwm.saturating_sub(hwm0)
    );
    assert!(closed, "zap §11.2: the slow reader is disconnected");
    assert!(
        hwm.saturating_sub(hwm0) < RSS_BOUND_KIB,
        "peak RSS grew by {} KiB",
        hwm - hwm0
    );
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}
