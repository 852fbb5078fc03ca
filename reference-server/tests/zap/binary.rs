//! The command line of the `reference-server` binary.

use std::process::Command;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reference-server"))
        .args(args)
        .output()
        .expect("run binary");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_explains_every_flag_and_the_default_address() {
    let (ok, help, _) = run(&["--help"]);
    assert!(ok);
    for flag in [
        "--protocol",
        "--listen",
        "--data-dir",
        "--fault",
        "--quirk",
        "--max-connections",
        "--max-queue",
        "--max-queue-bytes",
        "--max-rejected",
        "--idle-timeout",
        "--settle-ms",
        "--list-faults",
        "--i-know-this-is-broken",
        "127.0.0.1:5000",
        "RUST_LOG",
        // How it writes: one frame per write, a backlog together (zap §11.2).
        "§11.2",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[test]
fn list_faults_describes_each() {
    let (ok, list, _) = run(&["--list-faults"]);
    assert!(ok);
    for f in gabarito_server::Fault::ALL {
        assert!(
            list.contains(f.name()) && list.contains(f.description()),
            "{list}"
        );
    }
    for q in gabarito_server::Quirk::ALL {
        assert!(list.contains(q.name()), "{list}");
    }
}

#[test]
fn faults_need_explicit_consent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 path");
    let (ok, _, err) = run(&[
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        d,
        "--fault",
        "same-id",
    ]);
    assert!(!ok, "refused");
    assert!(err.contains("--i-know-this-is-broken"), "{err}");
    let (ok, _, err) = run(&["--fault", "no-such-fault"]);
    assert!(!ok && err.contains("same-id"), "{err}");
}

#[tokio::test]
async fn faults_with_consent_start_with_a_loud_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_reference-server"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--fault",
            "same-id",
            "--i-know-this-is-broken",
            "--data-dir",
        ])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn");
    use tokio::io::AsyncBufReadExt;
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::io::BufReader::new(stdout)
        .lines()
        .next_line()
        .await
        .expect("read")
        .expect("line");
    assert!(line.starts_with("zap listening on 127.0.0.1:"), "{line}");
    child.kill().await.expect("kill");
    let out = child.wait_with_output().await.expect("output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("DELIBERATELY BROKEN (same-id)"), "{err}");
}
