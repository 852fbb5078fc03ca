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
    // Keeping state across a restart is a decision (zap D23: the seed lets
    // each group choose how messages are stored): another reading,
    // NON-STRICT. Handing out an id again breaks "código único".
    for (case, verdict) in [
        ("zap.11.1.users-survive-restart", "NON-STRICT"),
        ("zap.11.1.pending-survive-restart", "NON-STRICT"),
        ("zap.11.1.pending-survive-crash", "NON-STRICT"),
        ("zap.11.1.no-id-reuse-after-restart", "FAIL"),
    ] {
        let line = out.lines().find(|l| l.contains(case)).unwrap_or_default();
        assert!(
            line.starts_with(verdict),
            "{case} must be {verdict}: {line}\n{out}"
        );
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

/// A student-style Python server (no SO_REUSEADDR, state in a JSON file
/// beside it), copied into a fresh folder.
fn student_server() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        dir.path().join("aluno.py"),
        include_str!("fixtures/exec/aluno.py"),
    )
    .expect("the server");
    dir
}

/// A case's line in the console report and the lines after it, up to the
/// next case's.
fn case_block(out: &str, id: &str) -> String {
    let verdict_line = |l: &str| l.starts_with(|c: char| c.is_ascii_uppercase());
    let mut lines = out
        .lines()
        .skip_while(|l| !(verdict_line(l) && l.contains(&format!(" {id} "))));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("{id} is not in the report:\n{out}"));
    std::iter::once(first)
        .chain(lines.take_while(|l| !verdict_line(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Issue 13 item 6: restarts work on servers that do not set
/// SO_REUSEADDR — on a fresh port when the command takes `{port}`, on the
/// same port otherwise (the harness resets connections the server closed
/// first, so no TIME_WAIT is left on its port) — and a crash is reported
/// with its signal and that process's own output.
#[test]
fn a_student_server_without_so_reuseaddr_is_restarted_and_its_crash_is_named() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    for (command, target) in [
        ("python3 aluno.py {port} segv-on-unknown".to_string(), None),
        (
            format!("python3 aluno.py {port} segv-on-unknown"),
            Some(format!("127.0.0.1:{port}")),
        ),
    ] {
        let dir = student_server();
        let cwd = dir.path().display().to_string();
        let mut args = vec!["--exec", &command, "--cwd", &cwd, "--jobs", "1"];
        if let Some(t) = &target {
            args.extend(["--target", t]);
        }
        for f in [
            "zap.10.1.unknown-code",
            "zap.11.1.users-survive-restart",
            "zap.11.1.pending-survive-restart",
            "zap.11.1.pending-survive-crash",
        ] {
            args.extend(["--filter", f]);
        }
        let o = conformance(&args);
        let out = text(&o);
        for case in [
            "zap.11.1.users-survive-restart",
            "zap.11.1.pending-survive-restart",
            "zap.11.1.pending-survive-crash",
        ] {
            let block = case_block(&out, case);
            assert!(block.starts_with("PASS"), "{command}: {block}\n{out}");
        }
        let crash = case_block(&out, "zap.10.1.unknown-code");
        assert!(crash.starts_with("ERROR"), "{crash}");
        assert!(
            crash.contains("its command was killed by signal 11 (SIGSEGV)"),
            "{crash}"
        );
        assert_eq!(
            crash.matches("codigo desconhecido 04").count(),
            2,
            "the dead process's own output, in its death and in the case's output, once each:\n{crash}"
        );
        assert!(
            crash.matches("servidor no ar").count() <= 2,
            "only its own start's output:\n{crash}"
        );
    }
}

/// Issue 13 item 4: a traceback printed while a case runs is attached to
/// that case, in the console and in JSON.
#[test]
fn what_the_server_prints_during_a_case_is_shown_with_its_failure() {
    let dir = student_server();
    let cwd = dir.path().display().to_string();
    let args = [
        "--exec",
        "python3 aluno.py {port} traceback-on-05",
        "--cwd",
        &cwd,
        "--filter",
        "zap.6.1.online",
    ];
    let o = conformance(&args);
    let out = text(&o);
    let block = case_block(&out, "zap.6.1.online");
    assert!(block.starts_with("FAIL"), "{out}");
    assert!(
        block.contains("the server printed while this case ran:")
            && block.contains("RuntimeError: handler died on a 05"),
        "{block}"
    );
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let o = conformance(&json_args);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("the report is JSON");
    let output = report["cases"][0]["target_output"].as_str().unwrap_or("");
    assert!(
        output.contains("Traceback (most recent call last)"),
        "{report:#}"
    );
}
