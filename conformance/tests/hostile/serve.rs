//! Attack 5 on `serve`: a client that sends valid frames as fast as the
//! connection takes them. serve buffered without bound (3.8 GB) and, under
//! that load, failed a correct client with a framing FAIL when its own
//! relay stalled past the settle time; its report listed every offence
//! (20,000 glued frames: a JSON line of megabytes). Bound: serve grows by
//! less than [`RSS_BOUND_KIB`], the report stays under [`REPORT_BOUND`],
//! the client earns no FAIL, and serve exits 0.

use std::time::Duration;

use tokio::time::Instant;

use crate::child::{Conformance, PATIENCE};
use crate::peer::{barrier, blast, online};

const RSS_BOUND_KIB: u64 = 128 * 1024;

/// The report's size, whatever the client sent.
const REPORT_BOUND: usize = 256 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fast_client_costs_bounded_memory_and_is_not_blamed_for_serve_stalls() {
    let mut serve = Conformance::start(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--once",
            "--format",
            "json",
        ],
        true,
    )
    .await;
    let hwm0 = serve.status_kib("VmHWM");
    let (mut r, mut wr, id) = online(&serve.addr).await;
    let delivered = std::sync::Arc::clone(&r.delivered);
    let reader = tokio::spawn(async move {
        r.registered().await;
        r
    });
    let start = Instant::now();
    let sent = blast(&mut wr, &id, Duration::from_secs(3), 20_000, PATIENCE).await;
    barrier(&mut wr, &id).await;
    let r = tokio::time::timeout(PATIENCE * 6, reader)
        .await
        .expect("the barrier's 02 comes")
        .expect("reader");
    let took = start.elapsed();
    let hwm = serve.status_kib("VmHWM");
    drop((r, wr));
    let status = serve.exit_within(PATIENCE).await;
    let out = serve.stdout();
    let printed = serve.out_bytes.load(std::sync::atomic::Ordering::Relaxed);
    let report: serde_json::Value = out
        .lines()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| {
            panic!(
                "a JSON report of under {REPORT_BOUND} bytes; {printed} bytes began:\n{}",
                out.chars().take(2000).collect::<String>()
            )
        });
    let framing = report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "framing"))
        .map(|c| c["verdict"].clone());
    eprintln!(
        "measured: serve, {sent} 05s as fast as taken ({} 06s back) in {took:?}: peak RSS +{} KiB; report {printed} bytes, verdict {}, framing {framing:?}, relay stalls {}, exit {status:?}",
        delivered.load(std::sync::atomic::Ordering::Relaxed),
        hwm.saturating_sub(hwm0),
        report["verdict"],
        report["relay_stalls"]
    );
    assert!(printed < REPORT_BOUND, "a report of {printed} bytes");
    assert_ne!(report["verdict"], "FAIL", "{}", report["checks"]);
    assert_eq!(framing, Some("PASS".into()), "{}", report["checks"]);
    assert!(
        hwm.saturating_sub(hwm0) < RSS_BOUND_KIB,
        "peak RSS grew by {} KiB",
        hwm - hwm0
    );
    assert_eq!(status.and_then(|s| s.code()), Some(0));
}
