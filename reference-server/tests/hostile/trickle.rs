//! Attack 8a: a byte every so often that never completes a frame kept a
//! connection open forever, since any byte restarted the idle timer.
//! Bound: with `--idle-timeout 1`, such a connection is closed about a
//! second after its last complete frame (within [`BOUND`]), however many
//! bytes it trickles.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::time::Instant;

use crate::peer::{Proto, connect, until_closed};
use crate::server::{Server, Stderr};

/// The idle timeout, and how late the close may come after it.
const BOUND: Duration = Duration::from_millis(2500);

/// Writes `lead` at once, then `trickle` a byte every 200 ms; returns when
/// the server closed (from the first trickled byte) and how many trickled
/// bytes were sent by then, or `None` if it never closed.
async fn trickle(proto: Proto, lead: &[u8], trickle: &[u8]) -> Option<(Duration, usize)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        dir.path(),
        &["--protocol", proto.flag(), "--idle-timeout", "1"],
        Stderr::Captured,
    )
    .await;
    let mut s = connect(server.addr).await;
    s.write_all(lead).await.expect("lead");
    let start = Instant::now();
    let mut closed_at = None;
    for (i, b) in trickle.iter().enumerate() {
        if s.write_all(&[*b]).await.is_err() {
            closed_at = Some((start.elapsed(), i));
            break;
        }
        if until_closed(&mut s, Duration::from_millis(200)).await.0 {
            closed_at = Some((start.elapsed(), i + 1));
            break;
        }
    }
    eprintln!(
        "measured: {proto:?} trickle, --idle-timeout 1: closed {closed_at:?} (after {} bytes were due over {:?})",
        trickle.len(),
        Duration::from_millis(200) * trickle.len() as u32
    );
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
    closed_at
}

#[tokio::test]
async fn zap_a_frame_trickled_a_byte_at_a_time_does_not_hold_the_connection() {
    // A 03 takes 15 bytes: 3 s at this pace, so the connection must idle
    // out before it is complete.
    let (at, sent) = trickle(Proto::Zap, b"", b"032999999999999")
        .await
        .expect("the server closes the trickling connection");
    assert!(at < BOUND, "closed after {at:?}");
    assert!(
        sent < 15,
        "closed before the frame was complete ({sent} bytes)"
    );
}

/// lrv §3.3 L4: a pause ends a line, so in lrv a trickle is a stream of
/// complete (invalid) lines, each answered `400` (§9.2) and each one
/// frame: what bounds it is `--max-rejected`, not the idle timeout.
#[tokio::test]
async fn lrv_a_trickle_of_invalid_lines_is_closed_at_max_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Server::start(
        dir.path(),
        &["--protocol", "lrv", "--max-rejected", "3"],
        Stderr::Captured,
    )
    .await;
    let mut s = connect(server.addr).await;
    let start = Instant::now();
    let mut closed_at = None;
    for i in 0..20 {
        if s.write_all(b"A").await.is_err()
            || until_closed(&mut s, Duration::from_millis(200)).await.0
        {
            closed_at = Some((start.elapsed(), i + 1));
            break;
        }
    }
    eprintln!("measured: Lrv trickle of 'A' every 200 ms, --max-rejected 3: closed {closed_at:?}");
    let (_, sent) = closed_at.expect("the server closes the trickling connection");
    assert!(sent <= 4, "closed after {sent} lines");
    assert_eq!(server.term().await.and_then(|s| s.code()), Some(0));
}
