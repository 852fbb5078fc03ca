//! lrv §3.3 over TCP: CRLF, unterminated lines, empty lines, over-long
//! lines, glued and split requests.

use std::time::Duration;

use crate::client::*;

#[tokio::test]
async fn crlf_and_unterminated_requests_are_answered_in_lf() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(b"ESGOTOU\r\n").await;
    assert_eq!(c.raw_line().await, b"206\n", "§3.5: the reply is LF");
    // L4: no LF; the pause (the server's 20 ms settle time) ends it.
    c.send(b"ESGOTOU").await;
    assert_eq!(c.raw_line().await, b"206\n");
    // L5: a line split over two writes is one request.
    c.send(b"ESGO").await;
    c.send(b"TOU\n").await;
    assert_eq!(c.raw_line().await, b"206\n");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn empty_lines_are_not_answered() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(b"\n\r\n\n").await;
    c.expect_silence().await;
    c.send(b"ESGOTOU\n\n\n").await;
    assert_eq!(c.line().await, "206");
    c.expect_silence().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn an_over_long_line_is_answered_400_once() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(&[b'A'; 1000]).await;
    assert_eq!(
        c.line().await,
        "400",
        "§9.1: as soon as it is over 256 bytes"
    );
    c.send(&[b'B'; 5000]).await;
    c.send(b"BBB\nESGOTOU\n").await;
    assert_eq!(c.line().await, "206", "dropped up to its LF, then read on");
    c.expect_silence().await;
    // 256 bytes of content is within the limit: one line, one 400.
    c.send(format!("{}\r\n", "C".repeat(256)).as_bytes()).await;
    assert_eq!(c.line().await, "400");
    c.expect_silence().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn glued_requests_are_answered_each_in_order() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config).await;
    let me = cpf(1);
    let mut c = Lrv::greeted(server.addr).await;
    c.send(
        format!("REGISTRAR {me}\nCOMPRAR 3\nCOMPRAR 3\nHELP\nCOMPRAR 1\nCOMPRADOS\nESGOTOU\n")
            .as_bytes(),
    )
    .await;
    let mut got = Vec::new();
    for _ in 0..7 {
        got.push(c.line().await);
    }
    assert_eq!(
        got,
        ["200", "202", "401", "400", "202", "208 1,3", "206"],
        "§8.5"
    );
    // Many at once: every one answered, in order.
    let burst: String = (0..500).map(|_| "ESGOTOU\nSORTEIO\n").collect();
    c.send(burst.as_bytes()).await;
    for i in 0..1000 {
        let want = if i % 2 == 0 { "206" } else { "402" };
        assert_eq!(c.line().await, want, "reply {i}");
    }
    c.expect_silence().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_connection_idle_past_the_timeout_is_closed() {
    let (_dir, mut config) = lrv(10);
    config.limits.idle_timeout = Duration::from_millis(300);
    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert!(
        c.expect_closed().await.is_empty(),
        "§10.2: closed without a reply"
    );
    server.stop().await.expect("clean stop");
}
