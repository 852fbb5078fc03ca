//! Attack 5 on `proxy`: a client that sends valid frames as fast as the
//! connection takes them while nobody reads the proxy's output (a terminal
//! scrolled back, a pipe into a slow pager). The proxy kept relaying and
//! queued every copy for printing (GBs), and did not stop on Ctrl-C until
//! it had caught up. Bound: it stops reading from the client instead —
//! growing by less than [`RSS_BOUND_KIB`] — and exits on Ctrl-C within
//! [`STOP`].

use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio::time::Instant;

use crate::child::Conformance;
use crate::peer::blast;

const RSS_BOUND_KIB: u64 = 64 * 1024;
const STOP: Duration = Duration::from_secs(5);

/// An upstream that reads and drops everything: the proxy is the only
/// bottleneck.
async fn sink() -> String {
    let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = l.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_an_unread_stdout_the_proxy_stops_reading_and_stops_on_ctrl_c() {
    let upstream = sink().await;
    let mut proxy = Conformance::start(
        &["proxy", "--listen", "127.0.0.1:0", "--upstream", &upstream],
        false,
    )
    .await;
    let hwm0 = proxy.status_kib("VmHWM");
    let s = tokio::net::TcpStream::connect(&proxy.addr)
        .await
        .expect("connect");
    let (_rd, mut wr) = s.into_split();
    let start = Instant::now();
    let sent = blast(
        &mut wr,
        "2000000000001",
        Duration::from_secs(3),
        usize::MAX,
        Duration::from_secs(1),
    )
    .await;
    let took = start.elapsed();
    let hwm = proxy.status_kib("VmHWM");
    proxy.read_stdout();
    let stop = Instant::now();
    proxy.interrupt();
    let status = proxy.exit_within(Duration::from_secs(30)).await;
    let stopped = stop.elapsed();
    let relayed = sent * 59;
    let printed = proxy.out_bytes.load(std::sync::atomic::Ordering::Relaxed);
    eprintln!(
        "measured: proxy, stdout unread, client as fast as taken for {took:?}: {sent} 05s ({relayed} bytes) taken; peak RSS +{} KiB; {printed} bytes printed; Ctrl-C to exit {stopped:?}, exit {status:?}",
        hwm.saturating_sub(hwm0)
    );
    assert!(
        hwm.saturating_sub(hwm0) < RSS_BOUND_KIB,
        "peak RSS grew by {} KiB",
        hwm - hwm0
    );
    assert!(stopped < STOP, "Ctrl-C took {stopped:?}");
    assert_eq!(status.and_then(|s| s.code()), Some(0));
}
