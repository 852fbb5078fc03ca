//! lrv §10.1: CPFs, purchases and the draw survive a clean stop and
//! `kill -9`; the size is fixed at creation.

use crate::client::*;
use gabarito_server::Fault;

fn lrv_args(size: &str) -> Vec<&str> {
    vec![
        "--protocol",
        "lrv",
        "--raffle-size",
        size,
        "--draw-seed",
        "1",
    ]
}

#[tokio::test]
async fn everything_survives_a_clean_restart() {
    let (_dir, config) = lrv(3);
    let (a, b) = (cpf(1), cpf(2));
    let server = Server::start(config.clone()).await;
    let mut ca = Lrv::registered(server.addr, &a).await;
    assert_eq!(ca.ask("COMPRAR 2").await, "202");
    drop(ca);
    Lrv::registered(server.addr, &b).await;
    server.stop().await.expect("clean stop");

    let server = Server::start(config.clone()).await;
    let mut ca = Lrv::greeted(server.addr).await;
    assert_eq!(ca.ask(&format!("REGISTRAR {a}")).await, "201");
    assert_eq!(ca.ask("COMPRADOS").await, "208 2");
    let mut cb = Lrv::greeted(server.addr).await;
    assert_eq!(cb.ask(&format!("REGISTRAR {b}")).await, "201");
    assert_eq!(cb.ask("COMPRAR 2").await, "401");
    assert_eq!(cb.ask("COMPRAR 1").await, "202");
    assert_eq!(cb.ask("COMPRAR 3").await, "202");
    let drawn = cb.ask("SORTEIO").await;
    assert!(drawn.starts_with("207 "), "{drawn}");
    drop((ca, cb));
    server.stop().await.expect("clean stop");

    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.ask("SORTEIO").await, drawn, "§8.4: the same forever");
    assert_eq!(c.ask("ESGOTOU").await, "205");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn kill_9_loses_nothing_that_was_answered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (cpf(1), cpf(2));
    let server = Process::start(dir.path(), &lrv_args("5")).await;
    let mut ca = Lrv::registered(server.addr, &a).await;
    for i in [1, 3, 5] {
        assert_eq!(ca.ask(&format!("COMPRAR {i}")).await, "202");
    }
    let mut cb = Lrv::registered(server.addr, &b).await;
    // Glued: each 202 came after its commit, whatever was read with it.
    cb.send(b"COMPRAR 2\nCOMPRAR 4\n").await;
    assert_eq!(
        (cb.line().await, cb.line().await),
        ("202".into(), "202".into())
    );
    let drawn = cb.ask("SORTEIO").await;
    server.kill9().await;

    let server = Process::start(dir.path(), &lrv_args("5")).await;
    let mut ca = Lrv::greeted(server.addr).await;
    assert_eq!(ca.ask(&format!("REGISTRAR {a}")).await, "201");
    assert_eq!(ca.ask("COMPRADOS").await, "208 1,3,5");
    let mut cb = Lrv::registered(server.addr, &b).await;
    assert_eq!(cb.ask("COMPRADOS").await, "208 2,4");
    assert_eq!(cb.ask("SORTEIO").await, drawn);
    assert!(drawn.starts_with("207 "), "{drawn}");
    server.kill9().await;
    let server = Process::start(dir.path(), &lrv_args("5")).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(
        c.ask("SORTEIO").await,
        drawn,
        "unchanged after a second kill -9"
    );
    server.kill9().await;
}

/// lrv §8.4: a store sold out with no draw (written by another
/// implementation) gets its draw at start.
#[tokio::test]
async fn a_sold_out_store_without_a_draw_is_drawn_at_start() {
    let (_dir, config) = lrv(3);
    let me = cpf(1);
    let server = Server::start(config.clone()).await;
    sell_out(server.addr, 3, &me).await;
    server.stop().await.expect("clean stop");
    {
        let db = rusqlite::Connection::open(config.data_dir.join("lrv.sqlite3")).expect("open");
        db.execute("DELETE FROM draw", []).expect("delete the draw");
    }
    let server = Server::start(config.clone()).await;
    let mut c = Lrv::greeted(server.addr).await;
    let drawn = c.ask("SORTEIO").await;
    assert!(drawn.starts_with("207 ") && drawn.ends_with(&me), "{drawn}");
    drop(c);
    server.stop().await.expect("clean stop");
    let server = Server::start(config).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(c.ask("SORTEIO").await, drawn, "stored, not drawn again");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_store_of_another_size_is_refused_naming_both() {
    let (_dir, config) = lrv(10);
    let server = Server::start(config.clone()).await;
    Lrv::greeted(server.addr).await;
    server.stop().await.expect("clean stop");
    let other = Server::start(config.clone().with_raffle_size(n(20))).await;
    let err = format!("{:#}", other.finished().await.expect_err("refused"));
    assert!(
        err.contains("10") && err.contains("20") && err.contains("§10.1"),
        "{err}"
    );
    // The original size still starts.
    let server = Server::start(config).await;
    Lrv::greeted(server.addr).await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_binary_refuses_a_store_of_another_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Process::start(dir.path(), &lrv_args("10")).await;
    // The address is printed before the store is opened; a greeting
    // comes after.
    Lrv::greeted(server.addr).await;
    server.kill9().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reference-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--protocol",
            "lrv",
            "--raffle-size",
            "20",
            "--data-dir",
        ])
        .arg(dir.path())
        .env("RUST_LOG", "off")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("10 numbers") && err.contains("--raffle-size is 20"),
        "{err}"
    );
}

#[tokio::test]
async fn fault_lose_state_forgets_everything() {
    let (_dir, config) = lrv(3);
    let me = cpf(1);
    let server = Server::start(config.clone()).await;
    let mut c = Lrv::registered(server.addr, &me).await;
    assert_eq!(c.ask("COMPRAR 1").await, "202");
    drop(c);
    server.stop().await.expect("clean stop");
    let server = Server::start(config.with_fault(Fault::LoseState)).await;
    let mut c = Lrv::greeted(server.addr).await;
    assert_eq!(
        c.ask(&format!("REGISTRAR {me}")).await,
        "200",
        "§10.1 broken"
    );
    assert_eq!(c.ask("COMPRADOS").await, "208");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn fault_redraw_on_restart_changes_the_winner() {
    let (_dir, config) = lrv(5);
    let server = Server::start(config.clone()).await;
    sell_out(server.addr, 5, &cpf(1)).await;
    let mut c = Lrv::greeted(server.addr).await;
    let before = c.ask("SORTEIO").await;
    drop(c);
    server.stop().await.expect("clean stop");
    let server = Server::start(config.with_fault(Fault::RedrawOnRestart)).await;
    let mut c = Lrv::greeted(server.addr).await;
    let after = c.ask("SORTEIO").await;
    assert!(after.starts_with("207 "), "{after}");
    assert_ne!(after, before, "§10.1 broken: the 207 changed");
    server.stop().await.expect("clean stop");
}
