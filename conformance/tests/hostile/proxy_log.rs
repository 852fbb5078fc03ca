//! Attack 6: `proxy --log` rewrote the whole session file after every
//! connection (2,000 connections: 20 s instead of 0.5 s). Bound: the file
//! is only appended to — every look at it during the run sees a prefix of
//! the next look — and it is a valid script at the end.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use gabarito_conformance::cli::reference::Reference;
use gabarito_conformance::script::parse_suite;
use gabarito_conformance::zap::Zap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::child::{Conformance, PATIENCE};

const CONNECTIONS: usize = 300;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_is_appended_to_never_rewritten() {
    let server = Reference::start().await.expect("a reference server");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("recorded.session");
    let upstream = server.addr.to_string();
    let log = path.to_string_lossy().into_owned();
    let mut proxy = Conformance::start(
        &[
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            &upstream,
            "--log",
            &log,
        ],
        true,
    )
    .await;
    // Looks at the file as often as it can while connections come and go.
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (done, path) = (Arc::clone(&done), path.clone());
        std::thread::spawn(move || {
            let mut last = Vec::new();
            let mut looks = 0usize;
            while !done.load(Ordering::Relaxed) {
                let now = std::fs::read(&path).unwrap_or_default();
                if !now.starts_with(&last) {
                    return Err(format!(
                        "look {looks}: {} bytes, no longer starting with the {} bytes before",
                        now.len(),
                        last.len()
                    ));
                }
                last = now;
                looks += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            Ok(looks)
        })
    };
    let start = Instant::now();
    for _ in 0..CONNECTIONS {
        let mut s = tokio::net::TcpStream::connect(&proxy.addr)
            .await
            .expect("connect");
        s.write_all(b"01").await.expect("01");
        let mut got = [0u8; 15];
        tokio::time::timeout(PATIENCE, s.read_exact(&mut got))
            .await
            .expect("the 02 in time")
            .expect("the 02");
    }
    let took = start.elapsed();
    // The last connections' ends reach the proxy; then Ctrl-C completes it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.interrupt();
    let status = proxy.exit_within(PATIENCE).await;
    done.store(true, Ordering::Relaxed);
    let looks = watcher.join().expect("watcher");
    let script = std::fs::read_to_string(&path).expect("the log");
    eprintln!(
        "measured: proxy --log, {CONNECTIONS} connections of 01/02 in {took:?}; file {} bytes; looks {looks:?}; exit {status:?}",
        script.len()
    );
    let looks = looks.expect("the file only grows");
    assert!(looks > 0);
    let suite = parse_suite("recorded.session", &script, &Zap)
        .unwrap_or_else(|e| panic!("the log parses: {e}\n{script}"));
    assert_eq!(suite.cases.len(), 1);
    assert_eq!(script.matches("\n  open ").count(), CONNECTIONS, "{script}");
    assert_eq!(status.and_then(|s| s.code()), Some(0));
    let _ = server.stop().await;
}
