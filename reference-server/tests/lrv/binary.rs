//! The command line, for lrv.

use std::process::Command;

use tokio::io::AsyncBufReadExt;

fn run(args: &[&str]) -> (bool, i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reference-server"))
        .args(args)
        .env("RUST_LOG", "off")
        .output()
        .expect("run binary");
    (
        out.status.success(),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_teaches_both_protocols() {
    let (ok, _, help, _) = run(&["--help"]);
    assert!(ok);
    for text in [
        "zap",
        "lrv",
        "--raffle-size",
        "spec/lrv.md",
        "--protocol lrv",
        "Bem-vindo",
    ] {
        assert!(help.contains(text), "--help lacks {text}:\n{help}");
    }
    assert!(!help.contains("--draw-seed"), "test-only, hidden");
}

#[test]
fn list_faults_groups_by_protocol() {
    let (ok, _, list, _) = run(&["--list-faults"]);
    assert!(ok);
    let lrv = list.find("  lrv:").expect("an lrv group");
    let quirks = list.find("Quirks").expect("quirks");
    let faults_lrv = &list[lrv..quirks];
    for f in gabarito_server::Fault::for_protocol(gabarito_server::Protocol::Lrv) {
        assert!(faults_lrv.contains(f.name()), "{f} under lrv:\n{list}");
    }
    assert!(
        !faults_lrv.contains("same-id"),
        "a zap fault is not under lrv"
    );
}

#[test]
fn a_fault_of_the_other_protocol_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    let (ok, code, _, err) = run(&[
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        d,
        "--fault",
        "no-greeting",
        "--i-know-this-is-broken",
    ]);
    assert!(!ok && code == 2, "{err}");
    assert!(
        err.contains("fault no-greeting is for lrv; this server speaks zap"),
        "{err}"
    );
    let (ok, _, _, err) = run(&["--protocol", "lrv", "--raffle-size", "0"]);
    assert!(!ok && err.contains("1 to 10000"), "{err}");
}

#[tokio::test]
async fn it_announces_lrv_and_serves_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_reference-server"))
        .args(["--listen", "127.0.0.1:0", "--protocol", "lrv", "--data-dir"])
        .arg(dir.path())
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::time::timeout(
        crate::client::PATIENCE,
        tokio::io::BufReader::new(stdout).lines().next_line(),
    )
    .await
    .expect("in time")
    .expect("read")
    .expect("a line");
    assert!(line.starts_with("lrv listening on 127.0.0.1:"), "{line}");
    let addr = line
        .rsplit(' ')
        .next()
        .and_then(|a| a.parse().ok())
        .expect("an address");
    let mut c = crate::client::Lrv::greeted(addr).await;
    assert_eq!(
        c.ask("DISPONIVEIS").await.len(),
        "203 ".len()
            + (1..=100)
                .map(|i: u32| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
                .len(),
        "N = 100 by default"
    );
    child.kill().await.expect("kill");
    assert!(dir.path().join("lrv.sqlite3").exists());
}
