//! `conformance bench` at tiny sizes against the in-process reference
//! server: every scenario counts what it must, and the faults it exists to
//! catch — lost, duplicated, reordered, altered messages, a dead target —
//! are caught. Correctness facts only: no timing is asserted (the machine
//! is shared and noisy).

use std::time::Duration;

use clap::Parser;
use gabarito_conformance::cli::reference::Reference;
use gabarito_conformance::cli::{Cli, Command};
use gabarito_conformance::zap::bench::measure::{exit_code, measure};
use gabarito_conformance::zap::bench::summary::render_report;
use gabarito_conformance::zap::bench::{BenchReport, Config, idle, online, stored};
use gabarito_server::{Fault, Quirk};

/// Every test is bounded: a hang fails it instead of stalling CI.
const BOUND: Duration = Duration::from_secs(60);

fn cfg() -> Config {
    Config {
        timeout: Duration::from_secs(2),
        ..Config::tiny()
    }
}

fn bench_args(extra: &[&str]) -> gabarito_conformance::cli::bench::BenchArgs {
    let argv = [
        "conformance",
        "bench",
        "--pairs",
        "2",
        "--messages",
        "50",
        "--timeout",
        "5",
    ];
    let cli = Cli::try_parse_from(argv.iter().chain(extra)).expect("arguments parse");
    match cli.command {
        Some(Command::Bench(args)) => args,
        other => panic!("not a bench command: {other:?}"),
    }
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, f)
        .await
        .expect("bounded in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_delivers_every_message_once_with_a_receipt_each() {
    let server = Reference::start().await.expect("reference server");
    let o = bounded(online::run(server.addr, &cfg()))
        .await
        .expect("online run");
    assert_eq!(o.tally.sent, 100);
    assert_eq!(o.tally.delivered, 100);
    assert_eq!(
        (o.tally.duplicates, o.tally.out_of_order, o.tally.missing),
        (0, 0, 0)
    );
    assert_eq!(
        o.tally.receipts, 100,
        "one 07 per 06 from the reference server"
    );
    assert!(o.tally.is_clean(), "{:?}", o.tally.faults);
    assert_eq!((o.row.scenario.as_str(), o.row.messages), ("online", 100));
    assert!(o.row.latency.is_some());
    server.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_still_delivers_everything() {
    let server = Reference::start().await.expect("reference server");
    let c = Config { window: 4, ..cfg() };
    let o = bounded(online::run(server.addr, &c))
        .await
        .expect("online run");
    assert!(o.tally.is_clean(), "{:?}", o.tally.faults);
    assert_eq!(o.tally.delivered, 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_messages_are_all_delivered_on_connect() {
    let server = Reference::start().await.expect("reference server");
    let o = bounded(stored::run(server.addr, &cfg()))
        .await
        .expect("stored run");
    assert_eq!(
        (o.send.scenario.as_str(), o.send.messages),
        ("stored-send", 100)
    );
    assert_eq!(
        (o.deliver.scenario.as_str(), o.deliver.messages),
        ("stored-deliver", 100)
    );
    assert!(o.tally.is_clean(), "{:?}", o.tally.faults);
    assert_eq!(o.tally.receipts, 100);
    server.stop().await.expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_are_counted_and_probed() {
    let server = Reference::start().await.expect("reference server");
    let pid = std::process::id();
    let r = bounded(idle::run(server.addr, 20, Some(pid), &cfg()))
        .await
        .expect("idle run");
    assert_eq!((r.connections, r.reached), (20, 20));
    assert!(r.rss_before_kib.is_some_and(|k| k > 0));
    assert!(r.rss_after_kib.is_some_and(|k| k > 0));
    assert!(r.bytes_per_connection.is_some());
    let r = bounded(idle::run(server.addr, 3, None, &cfg()))
        .await
        .expect("idle run");
    assert_eq!((r.reached, r.rss_after_kib), (3, None));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_and_reordering_are_reported_not_absorbed() {
    for (fault, what) in [
        (Fault::DeliverTwice, "duplicate"),
        (Fault::NewestFirst, "out of order"),
    ] {
        let server = Reference::start_with(|c| c.with_fault(fault))
            .await
            .expect("server");
        let o = bounded(stored::run(server.addr, &cfg()))
            .await
            .expect("stored run");
        assert!(!o.tally.is_clean(), "{fault:?} went unnoticed");
        let faults = o.tally.faults.join("\n");
        assert!(faults.contains(what), "{fault:?}: {faults}");
        assert!(
            faults.contains("pair 0"),
            "the fault names the pair: {faults}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_and_altered_messages_are_errors() {
    let server = Reference::start_with(|c| c.with_fault(Fault::NoPendingDelivery))
        .await
        .expect("server");
    let e = bounded(stored::run(server.addr, &cfg()))
        .await
        .expect_err("nothing delivered");
    let e = format!("{e:#}");
    assert!(e.contains("after 0 of 50 messages"), "{e}");

    let server = Reference::start_with(|c| c.with_fault(Fault::TruncateData))
        .await
        .expect("server");
    let c = Config {
        data_chars: 150,
        ..cfg()
    };
    let e = bounded(online::run(server.addr, &c))
        .await
        .expect_err("data cut");
    assert!(format!("{e:#}").contains("altered"), "{e:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tolerated_variations_are_not_faults() {
    for quirk in [Quirk::CoalesceReceipts, Quirk::Glue, Quirk::PadData] {
        let server = Reference::start_with(|c| c.with_quirk(quirk))
            .await
            .expect("server");
        let o = bounded(online::run(server.addr, &cfg()))
            .await
            .expect("online run");
        assert!(o.tally.is_clean(), "{quirk:?}: {:?}", o.tally.faults);
        assert!(
            o.tally.receipts >= 1 && o.tally.receipts <= 100,
            "{quirk:?}"
        );
        let s = bounded(stored::run(server.addr, &cfg()))
            .await
            .expect("stored run");
        assert!(s.tally.is_clean(), "{quirk:?}: {:?}", s.tally.faults);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_reports_every_row_as_a_table_and_as_json() {
    let args = bench_args(&["--scenario", "online,stored", "--echo-ceiling", "--json"]);
    let report = bounded(measure(&args)).await.expect("a report");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(exit_code(&report), 0);
    let names: Vec<&str> = report.rows.iter().map(|r| r.scenario.as_str()).collect();
    assert_eq!(names, ["online", "echo", "stored-send", "stored-deliver"]);
    assert!(report.rows.iter().all(|r| r.messages == 100));
    assert!(report.online_vs_echo.is_some());
    assert_eq!(report.online.as_ref().map(|t| t.receipts), Some(100));
    assert!(report.target.contains("in-process"), "{}", report.target);

    let json = serde_json::to_string(&report).expect("serialises");
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON parses");
    assert_eq!(value["schema"], "gabarito-bench/1");
    assert_eq!(value["rows"][0]["scenario"], "online");
    assert!(value["rows"][0]["latency"]["p99_us"].is_number());
    assert!(value["idle"].is_null());
    let back: BenchReport = serde_json::from_str(&json).expect("the schema round-trips");
    assert_eq!(serde_json::to_value(&back).expect("serialises"), value);
    assert_eq!((back.rows.len(), &back.errors), (4, &report.errors));

    let text = render_report(&report);
    for row in names {
        assert!(
            text.lines().any(|l| l.starts_with(row)),
            "no {row} row:\n{text}"
        );
    }
    assert!(text.contains("online / echo ceiling"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_target_is_an_error_of_the_target() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let target = format!("127.0.0.1:{port}");
    let args = bench_args(&["--target", &target, "--scenario", "online"]);
    let report = bounded(measure(&args)).await.expect("a report");
    assert_eq!(exit_code(&report), 1);
    assert!(
        report.errors.iter().any(|e| e.contains("connecting to")),
        "{:?}",
        report.errors
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_say_what_to_do() {
    let args = bench_args(&[
        "--scenario",
        "idle",
        "--idle-connections",
        "5",
        "--server-bin",
        "/nonexistent/reference-server",
    ]);
    let e = measure(&args).await.expect_err("no such binary");
    assert!(
        format!("{e:#}").contains("cargo build --release -p gabarito-server"),
        "{e:#}"
    );
    let args = bench_args(&["--data-chars", "3"]);
    let e = measure(&args).await.expect_err("too short for the tag");
    assert!(format!("{e:#}").contains("--data-chars"), "{e:#}");
    assert!(Cli::try_parse_from(["conformance", "bench", "--scenario", "nope"]).is_err());
}

/// `conformance bench ARGS` as a user runs it, English whatever the
/// machine's locale unless ARGS say `--lang`.
fn bench_binary(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args([
            "bench",
            "--pairs",
            "2",
            "--messages",
            "50",
            "--timeout",
            "5",
        ])
        .args(["--scenario", "online", "--echo-ceiling"])
        .args(args)
        .env_remove("RUST_LOG")
        .env("LC_ALL", "C")
        .output()
        .expect("the conformance binary runs")
}

#[test]
fn the_human_report_is_in_brazilian_portuguese_and_the_json_stays_english() {
    let o = bench_binary(&["--lang", "pt-BR"]);
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    for words in [
        "alvo:",
        "máquina: ",
        "divididas com o gerador de carga (o mesmo processo)",
        "carga:   2 pares × 50 mensagens de 32 caracteres, em pipeline, sem janela",
        "cenário",
        "mensagens",
        "segundos",
        "online: 100 de 100 entregues exatamente uma vez, em ordem; 100 confirmações de entrega (07)",
        "online / teto do echo:",
        "metas:",
        "entrega online: ≥ 50% do teto do echo — medido",
    ] {
        assert!(out.contains(words), "missing {words:?}:\n{out}");
    }
    assert!(
        out.lines().any(|l| l.starts_with("online "))
            && out.lines().any(|l| l.starts_with("echo ")),
        "scenario names are ids:\n{out}"
    );
    assert!(err.contains("online: 2 pares × 50 mensagens…"), "{err}");

    let o = bench_binary(&["--lang", "pt-BR", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let report: BenchReport = serde_json::from_slice(&o.stdout).expect("the JSON schema");
    let goal = report.goals.first().expect("the online goal");
    assert_eq!(
        (goal.name.as_str(), goal.goal.as_str()),
        ("online delivery", "≥ 50% of the echo ceiling"),
        "goals stay English in the JSON"
    );
    let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(value["schema"], "gabarito-bench/1");
    assert_eq!(value["rows"][0]["scenario"], "online");
    assert!(
        value["target"]
            .as_str()
            .is_some_and(|t| t.contains("in-process"))
    );
}

/// A protocol without a workload is refused by name, and the help says
/// which have one.
#[test]
fn bench_takes_only_protocols_with_a_workload_and_says_which() {
    assert_eq!(bench_args(&[]).protocol.name, "zap");
    let e = Cli::try_parse_from(["conformance", "bench", "--protocol", "lrv"])
        .expect_err("lrv has no workload");
    assert!(e.to_string().contains("[possible values: zap]"), "{e}");
    let help = Cli::try_parse_from(["conformance", "bench", "--help"])
        .expect_err("help is an early exit")
        .to_string();
    assert!(
        help.contains("Protocols with a workload: zap; without one yet: lrv."),
        "{help}"
    );
}
