//! Each lrv quirk over TCP: a variation the spec tolerates, observably.

use gabarito_server::Quirk;

use crate::client::*;

async fn start(quirk: Quirk) -> (tempfile::TempDir, Server) {
    let (dir, config) = with_quirk(5, quirk);
    (dir, Server::start(config).await)
}

#[tokio::test]
async fn crlf_ends_every_line_in_crlf() {
    let (_dir, server) = start(Quirk::Crlf).await;
    let mut c = Lrv::connect(server.addr).await;
    assert_eq!(c.raw_line().await, format!("{GREETING}\r\n").as_bytes());
    assert_eq!(c.ask_raw("ESGOTOU").await, b"206\r\n");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn no_newline_writes_each_line_bare_in_its_own_write() {
    let (_dir, server) = start(Quirk::NoNewline).await;
    let mut c = Lrv::connect(server.addr).await;
    assert_eq!(c.read_once().await, GREETING.as_bytes());
    c.send(b"ESGOTOU\n").await;
    assert_eq!(c.read_once().await, b"206");
    // Pipelined requests: each bare reply is followed by a pause, so a
    // reader ends it there (L4) instead of reading "206402".
    c.send(b"ESGOTOU\nSORTEIO\n").await;
    assert_eq!(c.read_once().await, b"206");
    assert_eq!(c.read_once().await, b"402");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn human_text_carries_prose() {
    let (_dir, server) = start(Quirk::HumanText).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(
        c.ask(&format!("REGISTRAR {}", cpf(1))).await,
        "200 - Cliente registrado"
    );
    assert_eq!(
        c.ask("COMPRAR 3").await,
        "202 - Número comprado com sucesso"
    );
    assert_eq!(
        c.ask("DISPONIVEIS").await,
        "203 - Números disponíveis: 1, 2, 4, 5"
    );
    assert_eq!(c.ask("COMPRADOS").await, "208 - Seus números: 3");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn lenient_accepts_the_tolerated_spellings() {
    let (_dir, server) = start(Quirk::Lenient).await;
    let mut c = Lrv::greeted(server.addr).await;
    let me = gabarito_codec::lrv::Cpf::parse(&cpf(1))
        .expect("cpf")
        .formatted();
    assert_eq!(c.ask(&format!("registrar {me}")).await, "200");
    assert_eq!(
        c.ask(&format!("REGISTRAR {}", cpf(1))).await,
        "201",
        "the same CPF"
    );
    assert_eq!(c.ask("  comprar   003 ").await, "202", "D14: 3");
    assert_eq!(c.ask("disponíveis").await, "203 1,2,4,5");
    assert_eq!(
        c.ask("Comprados agora").await,
        "208 3",
        "D6: argument ignored"
    );
    assert_eq!(c.ask("COMPRAR 1 2").await, "400", "D6: never acted on");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn no_cpf_check_accepts_wrong_check_digits() {
    let (_dir, server) = start(Quirk::NoCpfCheck).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.ask("REGISTRAR 12345678900").await, "200");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn banner_adds_a_second_greeting_line() {
    let (_dir, server) = start(Quirk::Banner).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.line().await, "Digite um comando:");
    assert_eq!(c.ask("ESGOTOU").await, "206");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn close_on_invalid_closes_instead_of_400() {
    let (_dir, server) = start(Quirk::CloseOnInvalid).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(b"HELP\nESGOTOU\n").await;
    assert!(c.expect_closed().await.is_empty());
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn empty_line_400_answers_empty_lines() {
    let (_dir, server) = start(Quirk::EmptyLine400).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(b"\nESGOTOU\n").await;
    assert_eq!(
        (c.line().await, c.line().await),
        ("400".into(), "206".into())
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn unordered_lists_descend() {
    let (_dir, server) = start(Quirk::Unordered).await;
    let mut c = Lrv::registered(server.addr, &cpf(1)).await;
    assert_eq!(c.ask("COMPRAR 1").await, "202");
    assert_eq!(c.ask("COMPRAR 4").await, "202");
    assert_eq!(c.ask("COMPRADOS").await, "208 4,1");
    assert_eq!(c.ask("DISPONIVEIS").await, "203 5,3,2");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn keep_open_after_sair_answers_204_stays_open_and_reads_nothing_more() {
    let (_dir, server) = start(Quirk::KeepOpenAfterSair).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.ask("SAIR").await, "204");
    assert!(c.is_open().await);
    // lrv §6.8: nothing after SAIR is read, even on an open connection.
    c.send(b"ESGOTOU\n").await;
    c.expect_silence().await;
    assert!(c.is_open().await);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn glue_writes_the_replies_of_one_read_together() {
    let (_dir, server) = start(Quirk::Glue).await;
    let mut c = Lrv::greeted(server.addr).await;
    c.send(b"ESGOTOU\nSORTEIO\nDISPONIVEIS\n").await;
    assert_eq!(c.read_once().await, b"206\n402\n203 1,2,3,4,5\n");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn slow_still_answers_everything() {
    let (_dir, server) = start(Quirk::Slow).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.ask("ESGOTOU").await, "206");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_quirk_of_another_protocol_is_refused() {
    let (_dir, config) = with_quirk(5, Quirk::PadData);
    let server = Server::start(config).await;
    let err = format!("{:#}", server.finished().await.expect_err("refused"));
    assert_eq!(err, "quirk pad-data is for zap; this server speaks lrv");
}
