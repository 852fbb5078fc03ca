//! The `conformance` binary as a user meets it: exit codes, verdicts for a
//! dead or dying target, `--strict`, the JSON and JUnit reports, and errors
//! in a teacher's own suite. Every target is on 127.0.0.1.

mod common;

use std::net::SocketAddr;
use std::process::Command;

use common::binary::{conformance, text};
use gabarito_conformance::cli::reference::Reference;
use gabarito_server::{Fault, Quirk};

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
fn closed_port() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local addr")
}

#[test]
fn an_unreachable_target_is_an_error_for_every_case_and_exits_1() {
    let addr = closed_port().to_string();
    let o = conformance(&["--target", &addr, "--wait", "300ms", "--filter", "zap.5*"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("ERROR")).collect();
    assert_eq!(lines.len(), 7, "every §5 case is an ERROR:\n{out}");
    assert!(out.contains("did not accept a connection"), "{out}");
    assert!(out.contains("0 passed, 7 failed, 0 skipped"), "{out}");
    assert!(
        !out.contains("compared with the reference"),
        "nothing ran, so there is no transcript to compare:\n{out}"
    );
}

#[test]
fn a_target_that_dies_is_reported_down_instead_of_failing_case_by_case() {
    let rt = common::runtime();
    let server = rt
        .block_on(Reference::start_with(|c| {
            c.with_fault(Fault::CrashOnMalformed)
        }))
        .expect("the reference server starts");
    let addr = server.addr.to_string();
    let o = conformance(&[
        "--target",
        &addr,
        "--jobs",
        "1",
        "--filter",
        "zap.10.1.*",
        "--timeout",
        "500ms",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    let first = out
        .lines()
        .find(|l| l.contains("zap.10.1.unknown-code"))
        .unwrap_or_default();
    assert!(
        first.starts_with("FAIL") || first.starts_with("ERROR"),
        "the case that crashes it does not pass: {first}\n{out}"
    );
    let down = out.matches("target down").count();
    assert!(
        down >= 5,
        "later cases say the target is down ({down}):\n{out}"
    );
    assert!(!out.lines().any(|l| l.starts_with("PASS")), "{out}");
}

#[test]
fn strict_turns_a_tolerated_deviation_into_a_failure() {
    let rt = common::runtime();
    let server = rt
        .block_on(Reference::start_with(|c| c.with_quirk(Quirk::PadData)))
        .expect("the reference server starts");
    let addr = server.addr.to_string();
    let lenient = conformance(&["--target", &addr, "--filter", "zap.6.1.online"]);
    let out = text(&lenient);
    assert_eq!(lenient.status.code(), Some(0), "{out}");
    assert!(out.starts_with("NON-STRICT"), "{out}");
    assert!(
        out.contains("padded with"),
        "the note names the deviation:\n{out}"
    );
    let strict = conformance(&["--target", &addr, "--filter", "zap.6.1.online", "--strict"]);
    let out = text(&strict);
    assert_eq!(strict.status.code(), Some(1), "{out}");
    assert!(out.starts_with("FAIL"), "{out}");
    assert!(out.contains("(--strict)"), "{out}");
}

#[test]
fn json_and_junit_reports_describe_every_case() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let json_path = dir.path().join("r.json");
    let o = conformance(&[
        "--filter",
        "zap.7.*",
        "--format",
        "json",
        "--output",
        json_path.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("the report is written"))
            .expect("the report is JSON");
    assert_eq!(report["schema"], "gabarito-conformance/1");
    let cases = report["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 7, "{report:#}");
    for c in cases {
        assert_eq!(c["verdict"], "PASS", "{c:#}");
        assert!(c["id"].as_str().is_some_and(|i| i.starts_with("zap.7.")));
        assert!(c["spec"].as_array().is_some_and(|s| !s.is_empty()));
    }
    assert!(
        text(&o).contains("7 passed, 0 failed, 0 skipped"),
        "the closing line still goes to stderr: {}",
        text(&o)
    );

    let o = conformance(&["--filter", "zap.7.*", "--format", "junit"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let xml = String::from_utf8_lossy(&o.stdout);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 7, "{xml}");
    assert!(xml.contains("<testsuite"), "{xml}");
}

#[test]
fn usage_errors_exit_2_and_a_broken_suite_names_file_line_and_column() {
    let o = conformance(&["--jobs", "many"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = conformance(&["--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        dir.path().join("mine.session"),
        "case mine.1 \"t\"\n  spec §5.1\n  open a\n  a send 03 {bob}\n",
    )
    .expect("write the suite");
    let o = conformance(&[
        "--no-builtin",
        "--suite",
        dir.path().to_str().expect("utf-8 path"),
        "--list",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(out.contains("mine.session:4:10"), "{out}");
    assert!(out.contains("{bob} is used before it is captured"), "{out}");
}

#[test]
fn a_teachers_suite_runs_beside_or_instead_of_the_builtin_one() {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(
        dir.path().join("mine.session"),
        "case mine.register \"a 01 gets a 02\"\n  spec §5.2\n  timeout 3s\n  open a\n  a send 01\n  a expect 02 {?me}\n",
    )
    .expect("write the suite");
    let d = dir.path().to_str().expect("utf-8 path");
    let o = conformance(&["--no-builtin", "--suite", d]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("PASS          mine.register"), "{out}");
    assert!(out.contains("1 passed, 0 failed, 0 skipped"), "{out}");
    let o = conformance(&["--suite", d, "--list"]);
    let out = text(&o);
    assert!(
        out.contains("mine.register") && out.contains("zap.7.1.delivered-online"),
        "{out}"
    );
}

#[test]
fn reports_in_brazilian_portuguese_from_the_flag_or_the_locale_while_json_stays_english() {
    let rt = common::runtime();
    let server = rt
        .block_on(Reference::start_with(|c| c.with_fault(Fault::SwapSrcDst)))
        .expect("the reference server starts");
    let addr = server.addr.to_string();
    let o = conformance(&[
        "--target",
        &addr,
        "--filter",
        "zap.6.1.online",
        "--lang",
        "pt-BR",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for words in [
        "FALHOU",
        "um 05 para um usuário online é entregue na hora como 06",
        "requisito",
        "comportamento 1 do enunciado 001",
        "esperado",
        "recebido",
        "troca (tempo, conexão, sentido, campos, bytes):",
        "0 passaram, 1 falharam, 0 pulados",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    assert!(out.contains("§6.1"), "section numbers are the same: {out}");

    let from_locale = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["--target", &addr, "--filter", "zap.10.1.non-digit-id"])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "pt_BR.UTF-8")
        .output()
        .expect("the conformance binary runs");
    let out = text(&from_locale);
    assert!(out.contains("um id com uma letra é malformado"), "{out}");

    let json = conformance(&[
        "--target",
        &addr,
        "--filter",
        "zap.6.1.online",
        "--lang",
        "pt-BR",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(
        report["cases"][0]["verdict"], "FAIL",
        "machine formats stay English"
    );
}

#[test]
fn decode_explains_in_brazilian_portuguese() {
    let o = conformance(&[
        "decode",
        "--lang",
        "pt-BR",
        "05200000000000120000000000021700000000olá\\0\\0",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for words in [
        "05 send (zap §6.1) — 44 bytes, TOLERADO: 2 byte(s) NUL de enchimento removido(s) (zap §3.3)",
        "  src        2000000000001",
        "  data       \"olá\"  (3 caracteres, 4 bytes)",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    let o = conformance(&["decode", "--lang", "pt-BR", "0520000000000x1"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("frame zap inválido: byte 13: src deveria ser 13 dígitos ASCII, veio"),
        "{out}"
    );
    assert!(out.contains("^ src"), "field names stay: {out}");
    let o = conformance(&[
        "decode",
        "--lang",
        "pt-BR",
        "--stream",
        "hi!022000000000001",
    ]);
    let out = text(&o);
    assert!(
        out.contains("pulando 3 byte(s) até o próximo frame (zap §3.6)")
            && out.contains("@3: 02 registered (zap §5.2) — 15 bytes, canônico"),
        "{out}"
    );
    // The same frame, English by default (LC_ALL=C).
    let o = conformance(&["decode", "0520000000000x1"]);
    assert!(
        text(&o).contains("invalid zap frame: byte 13: src"),
        "{}",
        text(&o)
    );
}

#[test]
fn the_help_shows_every_subcommand_and_the_language() {
    let o = conformance(&["--help"]);
    let out = text(&o);
    for words in [
        "conformance --exec 'python3 servidor.py {port}'",
        "--lang pt-BR",
        "conformance grade class.toml",
        "conformance proxy --listen",
        "conformance serve --listen",
        "conformance bench --target",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
}

#[test]
fn lang_may_stand_before_or_after_a_subcommand() {
    for args in [
        &["--lang", "pt-BR", "decode", "01"][..],
        &["decode", "--lang", "pt-BR", "01"],
        &["--lang=pt-BR", "decode", "01"],
    ] {
        let o = conformance(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        assert!(text(&o).contains("canônico"), "{args:?}: {}", text(&o));
    }
    let o = conformance(&["--lang", "fr", "decode", "01"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("use en or pt-BR"), "{}", text(&o));
}
