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

/// The caret's column on the line after the one holding `excerpt`, and
/// where `excerpt` starts on that line, in characters.
fn caret_under(out: &str, excerpt: &str) -> (usize, usize) {
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with("    ") && l.contains(excerpt))
        .unwrap_or_else(|| panic!("no excerpt {excerpt:?}:\n{out}"));
    let col = |l: &str, s: &str| l[..l.find(s).expect("present")].chars().count();
    (col(lines[i + 1], "^"), col(lines[i], excerpt))
}

#[test]
fn decode_lrv_explains_a_valid_request_and_what_the_server_answers() {
    let o = conformance(&["decode", "--protocol", "lrv", "REGISTRAR 12345678909\\n"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for words in [
        "REGISTRAR request (lrv §6.2) — 22 bytes, canonical",
        "  command    REGISTRAR\n",
        "  cpf        12345678909\n",
        "  terminator LF\n",
        "reference server: 200 if 12345678909 is new to it, 201 if it was registered before",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    let o = conformance(&["decode", "--protocol", "lrv", "COMPRAR 42"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "tolerated: {out}");
    assert!(
        out.contains("NON-STRICT: no terminator, the canonical one is LF (lrv §3.5, D1)"),
        "{out}"
    );
    assert!(out.contains("  number     42\n"), "{out}");
    assert!(
        out.contains(
            "400 before REGISTRAR (D12) or if 42 > N, the raffle size, which decode cannot know"
        ),
        "{out}"
    );
    let o = conformance(&["decode", "--protocol", "lrv", "REGISTRAR 12345678900\\n"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "well formed, but refused: {out}");
    assert!(
        out.contains(
            "invalid CPF (lrv §4.1, D11): byte 20: cpf must be a CPF whose two check digits match"
        ),
        "{out}"
    );
    assert!(out.contains("reference server: 400"), "{out}");
    // Standard input keeps the LF: it is the line's terminator.
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["decode", "--protocol", "lrv"])
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the conformance binary runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), b"SAIR\n")
        .expect("write stdin");
    let o = child.wait_with_output().expect("it ends");
    assert!(
        text(&o).contains("SAIR request (lrv §6.8) — 5 bytes, canonical"),
        "{}",
        text(&o)
    );
}

#[test]
fn decode_lrv_points_at_a_leading_zero_and_an_accent() {
    let o = conformance(&["decode", "--protocol", "lrv", "COMPRAR 007"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for words in [
        "invalid lrv request: byte 8: number must be written without leading zeros, found \"007\"",
        "^ number",
        "field number, kind leading_zero (lrv §4.2, D14)",
        "reference server: 400",
        "a server that accepts it is NON-STRICT (lrv D14)",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    let (caret, at) = caret_under(&out, "COMPRAR 007");
    assert_eq!(caret, at + 8, "the caret is under byte 8:\n{out}");

    let o = conformance(&["decode", "--protocol", "lrv", "DISPONÍVEIS\\n"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for words in [
        "byte 6: command must be DISPONIVEIS (ASCII, no accent), found \"DISPONÍVEIS\"",
        "field command, kind accented_command (lrv §6.1, D4)",
        "NON-STRICT (lrv D4)",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    let (caret, at) = caret_under(&out, "DISPONÍVEIS");
    assert_eq!(caret, at + 6, "the caret is under the Í:\n{out}");
}

#[test]
fn decode_lrv_reads_a_reply_with_human_text_as_a_tolerant_reader() {
    let args = ["decode", "--protocol", "lrv", "--from", "server"];
    let o = conformance(&[&args[..], &["203 - Números disponíveis: 1, 2, 5\\n"]].concat());
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "NON-STRICT exits 0: {out}");
    for words in [
        "203 available numbers (lrv §7.3) — 37 bytes, NON-STRICT: not the strict grammar (lrv §7.1), what a tolerant reader extracts (lrv §7.5)",
        "  numbers    1,2,5\n",
        "  NON-STRICT text (lrv §7.5): human text",
        "canonical: \"203 1,2,5\\n\"",
        "strictly, byte 4: number must be ASCII digits, found \"-\"",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    let o = conformance(
        &[
            &args[..],
            &["207 Sorteio realizado! Número 42, ganhador 123.456.789-09\\r\\n"],
        ]
        .concat(),
    );
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for words in [
        "  number     42\n",
        "  cpf        12345678909\n",
        "  terminator CRLF\n",
        "a CRLF terminator (lrv §3.5, D1)",
        "NON-STRICT formatted_cpf (lrv §7.5)",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    let o = conformance(&[&args[..], &["208 3,3\\n"]].concat());
    let out = text(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a repeated number is a FAIL: {out}"
    );
    assert!(out.contains("FAIL       duplicates (lrv §7.5)"), "{out}");
    let o = conformance(&[&args[..], &["OK 200\\n"]].concat());
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("field code, kind unknown_code (lrv §7.1)"),
        "{out}"
    );
    assert!(
        out.contains("a tolerant reader (lrv §7.5) cannot read it either"),
        "{out}"
    );
}

#[test]
fn decode_lrv_splits_a_stream_from_the_server_greeting_first() {
    let o = conformance(&[
        "decode",
        "--protocol",
        "lrv",
        "--stream",
        "--from",
        "server",
        "Bem-vindo à compra de rifa!\\n200\\n\\r\\n203 1,2\\n208 - seus números: 2",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for words in [
        "@0: greeting (lrv §5) — 29 bytes, canonical",
        "  text       \"Bem-vindo à compra de rifa!\"",
        "@29: 200 registered (lrv §6.2) — 4 bytes, canonical",
        "@33: 1 empty line(s), 2 byte(s), skipped: no message (lrv §3.3 L2); NON-STRICT for the sender (lrv D18)",
        "@35: 203 available numbers (lrv §7.3) — 8 bytes, canonical",
        "@43: 208 numbers bought by the client (lrv §7.3) — 22 bytes, NON-STRICT",
        "no terminator, the canonical one is LF (lrv §3.5, D1)",
        "  numbers    2\n",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    // By position: a first line that is a reply is still the greeting.
    let o = conformance(&[
        "decode",
        "--protocol",
        "lrv",
        "--stream",
        "--from",
        "server",
        "200\\n201\\n",
    ]);
    let out = text(&o);
    assert!(
        out.contains("@0: greeting (lrv §5) — 4 bytes, NON-STRICT: not the seed's text")
            && out.contains("the missing greeting is a FAIL (lrv §5)")
            && out.contains("@4: 201 authenticated again"),
        "{out}"
    );
    // From a client, every line is a request; an over-long one is dropped.
    let long = format!("{}\\nSAIR\\n", "A".repeat(300));
    let o = conformance(&["decode", "--protocol", "lrv", "--stream", &long]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "@0: invalid lrv request: byte 256: line must be at most 256 bytes before its LF"
        ) && out
            .contains("dropping the line, 301 byte(s) up to and including its LF (lrv §3.3 L3)")
            && out.contains("@301: SAIR request (lrv §6.8) — 5 bytes, canonical"),
        "{out}"
    );
}

#[test]
fn decode_lrv_explains_in_brazilian_portuguese() {
    let o = conformance(&[
        "decode",
        "--lang",
        "pt-BR",
        "--protocol",
        "lrv",
        "COMPRAR 007",
    ]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for words in [
        "requisição lrv inválida: byte 8: o número deveria ser escrito sem zeros à esquerda, veio \"007\"",
        "^ number",
        "campo number, tipo leading_zero (lrv §4.2, D14)",
        "servidor de referência: 400, e não age sobre nenhuma parte da linha (lrv §9.2); um servidor que a aceita é TOLERADO (lrv D14)",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
}

#[test]
fn decode_help_shows_lrv_examples_and_the_exit_status() {
    let o = conformance(&["decode", "--help"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    for words in [
        "conformance decode --protocol lrv 'COMPRAR 007'",
        "--protocol lrv --from server '203 - Números disponíveis: 1, 2, 5'",
        "--protocol lrv --stream --from server",
        "Exit status: 0 valid (canonical, or NON-STRICT",
        "- lrv: The raffle (spec/lrv.md)",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
}

#[test]
fn lrv_lists_its_53_cases() {
    let o = conformance(&["--protocol", "lrv", "--list"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let cases = out.lines().filter(|l| l.starts_with("lrv.")).count();
    assert_eq!(cases, 53, "{out}");
    assert_eq!(out.lines().last(), Some("53 case(s)"), "{out}");
}

#[test]
fn lrv_refuses_a_raffle_the_suite_does_not_fit_in() {
    let o = conformance(&["--protocol", "lrv", "--raffle-size", "10"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("40") && out.contains("10000") && out.contains("found 10"),
        "{out}"
    );
}

#[test]
fn lrv_suite_passes_against_the_builtin_reference_server() {
    let o = conformance(&["--protocol", "lrv"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("53 passed, 0 failed, 0 skipped"), "{out}");
}

/// `proxy` and `serve` take every protocol, and their help has a paragraph
/// on each, from the protocol's own folder.
#[test]
fn proxy_and_serve_help_has_a_paragraph_per_protocol() {
    for command in ["proxy", "serve"] {
        let o = conformance(&[command, "--help"]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(0), "{out}");
        for paragraph in ["\nzap: ", "\nlrv: "] {
            assert!(
                out.contains(paragraph),
                "{command}: no {paragraph:?}:\n{out}"
            );
        }
        assert!(
            out.contains("- zap: WhatsApp") && out.contains("- lrv: The raffle"),
            "{command}:\n{out}"
        );
        assert!(!out.contains('\\'), "{command}: a stray backslash:\n{out}");
    }
}
