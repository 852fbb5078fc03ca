//! The LRV client against the real reference server (`--protocol lrv`)
//! run in this process on 127.0.0.1:0: the library, a restart in between
//! (lrv §10.1), and the binary.

use std::path::Path;
use std::time::Duration;

use gabarito_client::lrv::{
    Bought, Client, Command, LrvError, Number, Options, Registered, parse_cpf,
};
use gabarito_server::{Config, Protocol};

use crate::common::{Run, Server, bin};

/// The reference server speaking LRV with a raffle of `size` and a fixed
/// draw.
async fn lrv_server(data: &Path, size: u32) -> Server {
    Server::start(
        Config::new(data)
            .with_protocol(Protocol::Lrv)
            .with_raffle_size(Number::new(size).expect("a raffle size"))
            .with_draw_seed(7),
    )
    .await
}

fn strict() -> Options {
    Options {
        strict: true,
        ..Options::default()
    }
}

fn n(v: u32) -> Number {
    Number::new(v).unwrap()
}

fn nums(l: &gabarito_client::lrv::NumberList<'_>) -> Vec<u32> {
    l.iter().map(Number::get).collect()
}

#[tokio::test]
async fn the_reference_server_passes_strict_mode_through_a_whole_raffle_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = lrv_server(dir.path(), 3).await;
    let alice = parse_cpf("12345678909").unwrap();
    let bob = parse_cpf("52998224725").unwrap();

    let mut a = Client::connect(&server.addr(), strict()).await.unwrap();
    assert_eq!(a.greeting(), Some("Bem-vindo à compra de rifa!"));
    assert!(matches!(
        a.buy(n(1)).await,
        Err(LrvError::NotRegistered(Command::Comprar))
    ));
    assert_eq!(a.register(&alice).await.unwrap(), Registered::New);
    assert_eq!(nums(&a.available().await.unwrap()), [1, 2, 3]);
    assert_eq!(a.buy(n(1)).await.unwrap(), Bought::Yes);
    assert_eq!(a.buy(n(1)).await.unwrap(), Bought::Taken);
    let e = a.buy(n(4)).await.unwrap_err();
    assert!(matches!(e, LrvError::BadRequest { .. }), "above N: {e:?}");
    assert_eq!(a.buy(n(2)).await.unwrap(), Bought::Yes);
    assert!(!a.sold_out().await.unwrap());
    assert_eq!(a.draw().await.unwrap(), None);
    a.quit().await.unwrap();
    assert!(a.deviations().is_empty(), "{:?}", a.deviations());

    // lrv §10.1: what got 200 and 202 survives a restart.
    server.restart().await;
    let mut b = Client::connect(&server.addr(), strict()).await.unwrap();
    assert_eq!(b.register(&alice).await.unwrap(), Registered::Known);
    assert_eq!(nums(&b.mine().await.unwrap()), [1, 2]);
    assert_eq!(b.register(&bob).await.unwrap(), Registered::New);
    assert_eq!(nums(&b.mine().await.unwrap()), Vec::<u32>::new());
    assert_eq!(b.buy(n(3)).await.unwrap(), Bought::Yes);
    assert!(b.sold_out().await.unwrap());
    let draw = b
        .draw()
        .await
        .unwrap()
        .expect("drawn at the last sale (lrv §8.4)");
    let owner = if draw.number.get() == 3 { &bob } else { &alice };
    assert_eq!(
        draw.cpf.as_ref(),
        Some(owner),
        "the winner bought the number"
    );
    b.quit().await.unwrap();
    assert!(b.deviations().is_empty(), "{:?}", b.deviations());
    server.stop().await.expect("clean stop");
}

async fn lrv(args: &[&str], stdin: &'static [u8]) -> Run {
    use tokio::io::AsyncWriteExt;
    let mut child = tokio::process::Command::new(bin())
        .arg("lrv")
        .args(["--timeout", "3", "--strict"])
        .args(args)
        .env_remove("LRV_SERVER")
        .env_remove("LRV_CPF")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("run reference-client");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).await.expect("stdin");
    drop(input);
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("in time")
        .expect("output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test]
async fn the_binary_buys_lists_and_runs_a_session_against_the_reference_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = lrv_server(dir.path(), 5).await;
    let s = server.addr();
    let r = lrv(
        &[
            "--server",
            &s,
            "--cpf",
            "12345678909",
            "--json",
            "buy",
            "2",
            "5",
        ],
        b"",
    )
    .await;
    let j = r.ok().json();
    assert_eq!(j["bought"], serde_json::json!([2, 5]));
    assert_eq!(j["deviations"], serde_json::json!([]));
    let r = lrv(&["--server", &s, "--json", "available"], b"").await;
    assert_eq!(r.ok().json()["available"], serde_json::json!([1, 3, 4]));
    let r = lrv(
        &["--server", &s, "--cpf", "52998224725", "session"],
        b"buy 5\nbuy 4\nCOMPRADOS\nESGOTOU\nSORTEIO\n",
    )
    .await;
    let out = &r.ok().stdout;
    for needle in [
        "401 5 is taken",
        "202 bought 4",
        "208 yours: 4",
        "206 not sold out",
        "402 no draw yet",
        "204 bye",
    ] {
        assert!(out.contains(needle), "{needle:?} missing: {r:?}");
    }
    server.stop().await.expect("clean stop");
}
