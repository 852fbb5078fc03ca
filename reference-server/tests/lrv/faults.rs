//! Each lrv fault over TCP: the behaviour it names, observably (the core
//! tests cover each one's rule; these show the server really does it).

use gabarito_server::Fault;

use crate::client::*;
use crate::protocol::race;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn double_sale_lets_racing_buyers_all_buy_one_number() {
    let (_dir, config) = with_fault(10, Fault::DoubleSale);
    let server = Server::start(config).await;
    let wins = race(server.addr, 20).await;
    assert!(wins > 1, "§8.3 broken: {wins} buyers got 202");
    // One after the other, the second still gets 401.
    let mut c = Lrv::registered(server.addr, &cpf(99)).await;
    assert_eq!(c.ask("COMPRAR 3").await, "202");
    c.send(b"COMPRAR 3\nESGOTOU\n").await;
    assert_eq!(
        (c.line().await, c.line().await),
        ("401".into(), "206".into())
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn no_greeting_sends_nothing_first() {
    let (_dir, config) = with_fault(10, Fault::NoGreeting);
    let server = Server::start(config).await;
    let mut c = Lrv::connect(server.addr).await;
    c.expect_silence().await;
    assert_eq!(c.ask("ESGOTOU").await, "206");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn crash_on_malformed_stops_the_whole_server() {
    let (_dir, config) = with_fault(10, Fault::CrashOnMalformed);
    let server = Server::start(config).await;
    let mut other = Lrv::greeted(server.addr).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.ask("ESGOTOU").await, "206");
    c.send(b"HELP\n").await;
    c.expect_closed().await;
    other.expect_closed().await;
    let err = format!("{:#}", server.finished().await.expect_err("stopped"));
    assert!(err.contains("crash-on-malformed"), "{err}");
}

#[tokio::test]
async fn recv_per_message_loses_the_second_request_of_a_read() {
    let (_dir, config) = with_fault(10, Fault::RecvPerMessage);
    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(b"ESGOTOU\nSORTEIO\n").await;
    assert_eq!(c.line().await, "206");
    c.expect_silence().await;
    server.stop().await.expect("clean stop");
}

/// The faults whose change one connection shows: the script, and the
/// replies the faulty server gives (a conformant one gives others).
#[tokio::test]
async fn each_single_connection_fault_changes_its_reply() {
    let me = cpf(1);
    let reg = format!("REGISTRAR {me}");
    let drawn = format!("207 2 {me}");
    let cases: [(Fault, &[&str], &[&str]); 6] = [
        (Fault::SilentInvalid, &["HELP", "ESGOTOU"], &["206"]),
        (
            Fault::BuyUnregistered,
            &["COMPRAR 1", "COMPRADOS"],
            &["202", "208 1"],
        ),
        (Fault::AlwaysNew, &[&reg, &reg], &["200", "200"]),
        (
            Fault::StaleList,
            &[&reg, "COMPRAR 2", "DISPONIVEIS"],
            &["200", "202", "203 1,2,3"],
        ),
        (
            Fault::ActOnExtra,
            &[&reg, "COMPRAR 2 3", "COMPRADOS"],
            &["200", "202", "208 2"],
        ),
        (
            Fault::EarlyDraw,
            &[&reg, "COMPRAR 2", "SORTEIO"],
            &["200", "202", &drawn],
        ),
    ];
    for (fault, script, want) in cases {
        let (_dir, config) = with_fault(3, fault);
        let server = Server::start(config).await;
        let mut c = Lrv::greeted(server.addr).await;
        let mut got = Vec::new();
        for request in script {
            c.send(format!("{request}\n").as_bytes()).await;
            if let Some(l) = c.try_raw_line(QUIET).await {
                got.push(String::from_utf8_lossy(&l).trim_end().to_owned());
            }
        }
        assert_eq!(got, want, "--fault {fault}");
        server.stop().await.expect("clean stop");
    }
}

#[tokio::test]
async fn resell_takes_a_number_from_its_owner() {
    let (_dir, config) = with_fault(10, Fault::Resell);
    let server = Server::start(config).await;
    let mut a = Lrv::registered(server.addr, &cpf(1)).await;
    let mut b = Lrv::registered(server.addr, &cpf(2)).await;
    assert_eq!(a.ask("COMPRAR 5").await, "202");
    assert_eq!(b.ask("COMPRAR 5").await, "202", "D15 broken");
    assert_eq!(a.ask("COMPRADOS").await, "208");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn sair_no_reply_closes_without_204() {
    let (_dir, config) = with_fault(10, Fault::SairNoReply);
    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(b"SAIR\n").await;
    assert!(c.expect_closed().await.is_empty(), "D20 broken");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_fault_of_another_protocol_is_refused() {
    let (_dir, config) = with_fault(10, Fault::SameId);
    let server = Server::start(config).await;
    let err = format!("{:#}", server.finished().await.expect_err("refused"));
    assert_eq!(err, "fault same-id is for zap; this server speaks lrv");
}
