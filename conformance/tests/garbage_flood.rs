//! A target that streams garbage cannot make the harness's report grow
//! without bound (issue 18, item 1): notes, exchange entries and their
//! bytes are capped per case, and what was cut is said in one line.

mod common;

use std::io::Write as _;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::binary::conformance;

/// Writes about 6 MiB of non-frames to every connection, in 1 KiB writes
/// (each a read of its own for the harness), then holds it open a moment.
fn garbage_server() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4) {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let chunk = b"xx garbage, not a frame ".repeat(43);
                let started = Instant::now();
                for _ in 0..6_000 {
                    if s.write_all(&chunk).is_err() || started.elapsed() > Duration::from_secs(8) {
                        return;
                    }
                }
                std::thread::sleep(Duration::from_secs(1));
            });
        }
    });
    addr
}

#[test]
fn a_garbage_stream_leaves_a_bounded_report() {
    let addr = garbage_server().to_string();
    let out = std::env::temp_dir().join(format!("garbage-flood-{}.json", std::process::id()));
    let o = conformance(&[
        "--target",
        &addr,
        "--filter",
        "zap.5.2.register",
        "--timeout",
        "1s",
        "--format",
        "json",
        "--output",
        out.to_str().expect("utf-8 temp path"),
    ]);
    let report = std::fs::read_to_string(&out).expect("the JSON report is written");
    let _ = std::fs::remove_file(&out);
    assert!(
        report.len() < 600_000,
        "the report of one case is {} bytes",
        report.len()
    );
    assert!(
        o.stdout.len() + o.stderr.len() < 200_000,
        "the run printed {} bytes",
        o.stdout.len() + o.stderr.len()
    );
    let json: serde_json::Value = serde_json::from_str(&report).expect("valid JSON");
    let case = &json["cases"][0];
    assert_ne!(case["verdict"], "PASS", "garbage is not a 02");
    assert!(
        case["notes"].as_array().map_or(0, Vec::len) <= 100,
        "notes are capped"
    );
}
