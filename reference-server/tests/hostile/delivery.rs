//! Attack 9, the delivery promise (zap §9.4, §11.1): a stored item leaves
//! the store in the same commit that stores the 07 it causes, once the
//! recipient's connection has taken it. So:
//!
//! - across a clean stop (SIGTERM) every item is delivered exactly once;
//! - across `kill -9` nothing is lost, and an item is delivered again only
//!   if the kill came between its write and that commit — never one whose
//!   07 the sender had already received.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use gabarito_codec::zap::{Direction, End, Message, StreamDecoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedReadHalf;
use tokio::task::JoinHandle;

use crate::peer::{connect, zap_register};
use crate::server::{PATIENCE, Server, Stderr};

/// Messages sent from a to b.
const N: u64 = 3_000;
const T0: u64 = 1_700_000_000;

/// Reads zap frames until EOF, or until nothing comes for `quiet`; returns
/// the timestamps of the 06s and 07s, in order. `seen` counts 06s as they
/// come.
fn collect(
    mut rd: OwnedReadHalf,
    quiet: Duration,
    seen: Arc<AtomicUsize>,
) -> JoinHandle<(Vec<u64>, Vec<u64>)> {
    tokio::spawn(async move {
        let mut dec = StreamDecoder::new(Direction::ToClient);
        let (mut sixes, mut sevens) = (Vec::new(), Vec::new());
        let mut buf = vec![0u8; 64 * 1024];
        let mut take = |dec: &mut StreamDecoder, end| {
            while let Ok(Some(d)) = dec.next(end) {
                match d.message {
                    Message::Deliver(c) => {
                        sixes.push(c.timestamp.secs());
                        seen.fetch_add(1, Ordering::Relaxed);
                    }
                    Message::Delivered { timestamp, .. } => sevens.push(timestamp.secs()),
                    _ => {}
                }
            }
        };
        loop {
            match tokio::time::timeout(quiet, rd.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => {
                    dec.push(&buf[..n]);
                    take(&mut dec, End::More);
                }
                _ => break,
            }
        }
        take(&mut dec, End::Boundary);
        (sixes, sevens)
    })
}

/// A connection online as `id`, confirmed by the 02 after its 03.
async fn online(addr: SocketAddr, id: &str) -> tokio::net::TcpStream {
    let mut s = connect(addr).await;
    s.write_all(format!("03{id}01").as_bytes())
        .await
        .expect("03");
    let mut got = [0u8; 15];
    tokio::time::timeout(PATIENCE, s.read_exact(&mut got))
        .await
        .expect("the 02 in time")
        .expect("the 02");
    assert!(got.starts_with(b"02"), "{got:?}");
    s
}

/// What a and b received before and after a stop in the middle of a
/// stream of N messages from a to b, b reading all along.
struct Run {
    b_before: Vec<u64>,
    b_after: Vec<u64>,
    a_before: Vec<u64>,
    a_after: Vec<u64>,
}

async fn stop_mid_stream(kill: bool) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(dir.path(), &["--protocol", "zap"], Stderr::Captured).await;
    let (a, b) = (
        zap_register(server.addr).await,
        zap_register(server.addr).await,
    );
    let seen = Arc::new(AtomicUsize::new(0));
    let (rb, _wb) = online(server.addr, &b).await.into_split();
    let b_task = collect(rb, PATIENCE, Arc::clone(&seen));
    let (ra, mut wa) = online(server.addr, &a).await.into_split();
    let a_task = collect(ra, PATIENCE, Arc::new(AtomicUsize::new(0)));
    let burst: Vec<u8> = (0..N)
        .flat_map(|i| format!("05{a}{b}{}m{i}!", T0 + i).into_bytes())
        .collect();
    let writer = tokio::spawn(async move {
        let _ = wa.write_all(&burst).await;
        wa
    });
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while seen.load(Ordering::Relaxed) < (N / 3) as usize {
        assert!(tokio::time::Instant::now() < deadline, "b receives");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    if kill {
        server.kill9().await;
    } else {
        assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
    }
    let (b_before, _) = b_task.await.expect("b");
    let (_, a_before) = a_task.await.expect("a");
    drop(writer.await.expect("writer"));

    let server = Server::start(dir.path(), &["--protocol", "zap"], Stderr::Captured).await;
    let quiet = Duration::from_millis(500);
    let (rb, _wb) = online(server.addr, &b).await.into_split();
    let (b_after, _) = collect(rb, quiet, Arc::new(AtomicUsize::new(0)))
        .await
        .expect("b");
    let (ra, _wa) = online(server.addr, &a).await.into_split();
    let (_, a_after) = collect(ra, quiet, Arc::new(AtomicUsize::new(0)))
        .await
        .expect("a");
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
    Run {
        b_before,
        b_after,
        a_before,
        a_after,
    }
}

fn is_ascending(v: &[u64]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn across_a_clean_stop_every_message_is_delivered_exactly_once() {
    let r = stop_mid_stream(false).await;
    let b: Vec<u64> = r.b_before.iter().chain(&r.b_after).copied().collect();
    let a: BTreeSet<u64> = r.a_before.iter().chain(&r.a_after).copied().collect();
    eprintln!(
        "measured: SIGTERM mid-stream: b got {} then {} 06s, a got {} then {} 07s",
        r.b_before.len(),
        r.b_after.len(),
        r.a_before.len(),
        r.a_after.len()
    );
    assert!(is_ascending(&b), "exactly once, in order (zap §9.4)");
    assert_eq!(
        a,
        b.iter().copied().collect::<BTreeSet<_>>(),
        "a 07 for every 06 written, and only for those (zap §7.1)"
    );
    assert_eq!(a.len(), r.a_before.len() + r.a_after.len(), "no 07 twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn across_kill_9_nothing_is_lost_and_nothing_acknowledged_comes_again() {
    let r = stop_mid_stream(true).await;
    let before: BTreeSet<u64> = r.b_before.iter().copied().collect();
    let again: Vec<u64> = r
        .b_after
        .iter()
        .copied()
        .filter(|t| before.contains(t))
        .collect();
    eprintln!(
        "measured: kill -9 mid-stream: b got {} then {} 06s ({} again), a got {} then {} 07s",
        r.b_before.len(),
        r.b_after.len(),
        again.len(),
        r.a_before.len(),
        r.a_after.len()
    );
    assert!(
        is_ascending(&r.b_before) && is_ascending(&r.b_after),
        "in order"
    );
    for t in &r.a_before {
        assert!(before.contains(t), "a 07 only for what b was written");
        assert!(
            !r.b_after.contains(t),
            "{t}: delivered again although its 07 had reached the sender"
        );
    }
    // Whatever b was written comes back as a 07 to a, before or after.
    let acked: BTreeSet<u64> = r.a_before.iter().chain(&r.a_after).copied().collect();
    let all_b: BTreeSet<u64> = before.iter().chain(&r.b_after).copied().collect();
    assert!(acked.is_subset(&all_b), "no 07 for something b never got");
}
