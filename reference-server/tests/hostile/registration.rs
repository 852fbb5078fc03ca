//! Attack 8b: 50,000 pipelined `01`s registered 50,000 ids, each a row in
//! the store forever. Bound (zap §11.2): one connection registers 100 ids
//! at once, then 10 a second; the rest wait in the kernel, the connection
//! stays open, and an unrelated client is served meanwhile.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::peer::{Proto, canaries_until, connect};
use crate::server::{Server, Stderr};

/// How long the 02s are counted.
const WATCH: Duration = Duration::from_secs(2);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_registrations_are_rate_limited_per_connection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), &["--protocol", "zap"], Stderr::Captured).await;
    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let canaries = tokio::spawn(canaries_until(Proto::Zap, server.addr, done_rx));
    let s = connect(server.addr).await;
    let (mut rd, mut wr) = s.into_split();
    let start = Instant::now();
    let writer = tokio::spawn(async move {
        // The kernel takes what it can; the rest may block, which is the
        // limit working.
        let _ = tokio::time::timeout(WATCH, wr.write_all(&b"01".repeat(50_000))).await;
        wr
    });
    let mut got = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = start + WATCH;
    while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, rd.read(&mut buf)).await {
        if n == 0 {
            break;
        }
        got += n;
    }
    let took = start.elapsed();
    let registered = got / 15;
    let _wr = writer.await.expect("writer");
    let _ = done_tx.send(true);
    let canaries = canaries.await.expect("canaries");
    let allowed = 100 + (took.as_secs_f64() * 10.0) as usize + 5;
    eprintln!(
        "measured: 50,000 pipelined 01s: {registered} ids registered in {took:?} (allowed {allowed}); canary worst {:?} of {}, {} not served",
        canaries.worst,
        canaries.ran,
        canaries.failed.len()
    );
    assert!(registered >= 100, "the burst is served: {registered}");
    assert!(registered <= allowed, "{registered} ids in {took:?}");
    canaries.assert_within(Duration::from_secs(2));
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}
