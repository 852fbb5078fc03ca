//! `conformance --exec`: the harness starts the target, restarts it for the
//! restart cases (zap §11.1) and when it dies, and leaves no process behind.
//! The target is the `reference-server` binary, on 127.0.0.1.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::binary::{conformance, processes_mentioning, reference_server, text};
use std::time::{Duration, Instant};

/// The --exec command for a reference server on `{port}` storing in `data`.
fn exec_command(data: &Path, extra: &str) -> String {
    format!(
        "'{}' --listen 127.0.0.1:{{port}} --data-dir '{}' {extra}",
        reference_server().display(),
        data.display()
    )
}

#[test]
fn restart_and_crash_cases_pass_and_no_process_is_left_behind() {
    let data = tempfile::tempdir().expect("a temp dir");
    let cmd = exec_command(data.path(), "");
    let o = conformance(&["--exec", &cmd, "--filter", "zap.11.*"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("6 passed, 0 failed, 0 skipped"), "{out}");
    assert!(
        out.contains("PASS          zap.11.1.pending-survive-crash"),
        "{out}"
    );
    let left = processes_mentioning(&data.path().display().to_string());
    assert!(left.is_empty(), "processes left behind: {left:?}");
}

#[test]
fn a_target_that_loses_its_state_fails_the_restart_cases() {
    let data = tempfile::tempdir().expect("a temp dir");
    let cmd = exec_command(data.path(), "--fault lose-state --i-know-this-is-broken");
    let o = conformance(&["--exec", &cmd, "--filter", "zap.11.*"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for case in [
        "zap.11.1.users-survive-restart",
        "zap.11.1.pending-survive-restart",
        "zap.11.1.pending-survive-crash",
    ] {
        let line = out.lines().find(|l| l.contains(case)).unwrap_or_default();
        assert!(line.starts_with("FAIL"), "{case} must FAIL: {line}\n{out}");
    }
}

#[test]
fn a_target_that_crashes_is_an_error_then_restarted_for_the_next_cases() {
    let data = tempfile::tempdir().expect("a temp dir");
    let cmd = exec_command(
        data.path(),
        "--fault crash-on-malformed --i-know-this-is-broken",
    );
    let o = conformance(&[
        "--exec",
        &cmd,
        "--jobs",
        "1",
        "--timeout",
        "500ms",
        "--filter",
        "zap.10.1.unknown-code",
        "--filter",
        "zap.11.1.users-survive-restart",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let crash = out
        .lines()
        .find(|l| l.contains("zap.10.1.unknown-code"))
        .unwrap_or_default();
    assert!(crash.starts_with("ERROR"), "{crash}\n{out}");
    assert!(
        out.contains("the harness restarted it for the next cases"),
        "{out}"
    );
    assert!(
        out.contains("PASS          zap.11.1.users-survive-restart"),
        "the case after the crash runs against the restarted target:\n{out}"
    );
    assert!(processes_mentioning(&data.path().display().to_string()).is_empty());
}

/// Like an unreachable --target (issue 18 item 7): every case an ERROR
/// that quotes the output, exit 1, and the report written.
#[test]
fn a_command_that_cannot_start_makes_every_case_an_error_quoting_its_output() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let report = dir.path().join("report.json");
    let o = conformance(&[
        "--exec",
        "echo 'Traceback: no module named zap' >&2; exit 3",
        "--filter",
        "zap.5.*",
        "--format",
        "json",
        "--output",
        &report.display().to_string(),
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("the report is written"))
            .expect("the report is JSON");
    let cases = json["cases"].as_array().expect("cases");
    assert!(!cases.is_empty(), "{json:#}");
    for c in cases {
        assert_eq!(c["verdict"], "ERROR", "{c:#}");
        let actual = c["failure"]["actual"].as_str().unwrap_or_default();
        assert!(
            actual.contains("exited at start (exited with status 3)"),
            "{actual}"
        );
        assert!(
            actual.contains("Traceback: no module named zap"),
            "{actual}"
        );
    }
}

#[test]
fn ctrl_c_stops_the_target_the_harness_started() {
    let data = tempfile::tempdir().expect("a temp dir");
    let cmd = exec_command(data.path(), "");
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["--exec", &cmd, "--jobs", "1"])
        .env("LC_ALL", "C")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the conformance binary runs");
    let needle = data.path().display().to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    while processes_mentioning(&needle).is_empty() {
        assert!(Instant::now() < deadline, "the target never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("a pid"));
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).expect("SIGINT");
    let status = child.wait().expect("conformance exits");
    assert_eq!(status.code(), Some(2));
    let left = processes_mentioning(&needle);
    assert!(left.is_empty(), "processes left behind: {left:?}");
}

#[test]
fn bench_loads_a_target_it_starts_and_reads_that_process_memory() {
    let data = tempfile::tempdir().expect("a temp dir");
    let cmd = exec_command(data.path(), "");
    let o = conformance(&[
        "bench",
        "--exec",
        &cmd,
        "--scenario",
        "online,idle",
        "--pairs",
        "2",
        "--messages",
        "200",
        "--idle-connections",
        "50",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("the report is JSON");
    assert!(
        report["target"]
            .as_str()
            .is_some_and(|t| t.contains("reference-server")),
        "{report:#}"
    );
    assert_eq!(report["online"]["delivered"], 400, "{report:#}");
    let idle = &report["idle"];
    assert!(
        idle["rss_after_kib"].as_u64().is_some_and(|k| k > 0),
        "the target's own memory is read: {idle:#}"
    );
    assert!(processes_mentioning(&data.path().display().to_string()).is_empty());
}
