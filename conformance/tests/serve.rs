//! `conformance serve` graded by the clients it serves, all on 127.0.0.1:
//! the reference client earns PASS on every check; raw clients that break
//! the rules earn the matching FAIL (or NON-STRICT) with its section and
//! bytes; an lrv client is graded by lrv's rules.

mod common;

use std::time::Duration;

use common::binary::{Listening, listening};
use common::runtime;
use gabarito_client::zap::{Client, ClientConfig, Event};
use gabarito_test_kit::PATIENCE;
use gabarito_test_kit::client::{event, leave};
use gabarito_test_kit::lrv::{Lrv, Peer as _, cpf};
use gabarito_test_kit::zap::register_raw as register;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{sleep, timeout};

/// A pause between a raw client's writes, well past the server's settle
/// time (20 ms), so each frame is decided on its own (zap §3.2).
const GAP: Duration = Duration::from_millis(60);

/// `conformance serve --listen 127.0.0.1:0 ARGS…`, in the background.
async fn start_serve(extra: &[&str]) -> Listening {
    let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    listening(&args).await
}

/// The report's verdict for each check, from its JSON.
fn verdicts(report: &serde_json::Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_string(),
                c["verdict"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn reference_clients_pass_every_check() {
    runtime().block_on(async {
        let mut serve = start_serve(&["--format", "json"]).await;
        // Writes paced far apart, so no machine load can put two of them in
        // one read (that would be a fair NON-STRICT for pacing, zap §3.2).
        let config = ClientConfig {
            pace: Duration::from_millis(40),
            ..ClientConfig::default()
        };
        let mut alice = Client::connect_with(&serve.addr, config.clone())
            .await
            .expect("alice connects");
        let mut bob = Client::connect_with(&serve.addr, config)
            .await
            .expect("bob connects");
        let a = alice.register().await.expect("alice registers");
        alice.login(a.clone()).await.expect("alice logs in");
        let b = bob.register().await.expect("bob registers");
        bob.login(b.clone()).await.expect("bob logs in");
        alice.send(&b, "oi, bob").await.expect("05");
        let Event::Message(m) = event(&mut bob).await else {
            panic!("bob expected a 06")
        };
        bob.mark_read(&m.from, &m.timestamp).await.expect("08");
        let group = alice
            .create_group(std::slice::from_ref(&b))
            .await
            .expect("10 → 11");
        assert!(matches!(event(&mut bob).await, Event::Group(_)));
        bob.send(&group.group, "oi, grupo")
            .await
            .expect("05 to the group");
        // Her 07 and 09 come first.
        let g = loop {
            if let Event::Message(g) = event(&mut alice).await {
                break g;
            }
        };
        alice.mark_read(&g.from, &g.timestamp).await.expect("08");
        leave(&mut alice).await;
        leave(&mut bob).await;

        for _ in 0..2 {
            let line = serve.line().await;
            let report: serde_json::Value = serde_json::from_str(&line).expect("a JSON report");
            assert_eq!(report["schema"], "gabarito-serve/1");
            let all = verdicts(&report);
            assert_eq!(all.len(), 8, "{line}");
            assert!(
                all.iter().all(|(_, v)| v == "PASS"),
                "the reference client passes every check: {all:?}\n{line}"
            );
            assert!(report["sent"].as_u64() >= Some(4), "{line}");
            let receipts = report["checks"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["id"] == "read-receipts"))
                .expect("a read-receipts check");
            assert_eq!(receipts["checked"], 1, "each client sent one 08: {line}");
        }
        let (status, _) = serve.interrupt().await;
        assert!(status.success(), "no FAIL, exit 0: {status:?}");
    });
}

async fn write(s: &mut TcpStream, bytes: &[u8]) {
    s.write_all(bytes).await.expect("write");
    sleep(GAP).await;
}

#[test]
fn a_client_that_breaks_the_rules_gets_the_matching_fails() {
    runtime().block_on(async {
        let serve = start_serve(&["--once"]).await;
        let (mut s, me, ts) = too_early_then_online(&serve.addr).await;
        write(
            &mut s,
            format!("052000000000009{me}{ts}sou outro").as_bytes(),
        )
        .await;
        write(&mut s, format!("08{me}{ts}").as_bytes()).await;
        write(&mut s, b"Bom dia!").await;
        // The reference server closes after a malformed frame (zap §10.1).
        let mut rest = Vec::new();
        let _ = timeout(PATIENCE, s.read_to_end(&mut rest)).await;
        drop(s);
        let (status, out) = serve.exit().await;
        assert_eq!(status.code(), Some(1), "a FAIL exits 1:\n{out}");
        for (check, level, evidence) in [
            ("login-first", "FAIL", "08 before any 03 on this connection"),
            ("sender-id", "FAIL", "05 src 2000000000009 is not"),
            // D15 is the spec's decision, not the seed: another reading.
            ("read-receipts", "NON-STRICT", "(zap §7.2, D15)"),
            ("framing", "FAIL", "byte 0: code must be one of"),
        ] {
            let verdict = out
                .lines()
                .find(|l| l.split_whitespace().nth(1) == Some(check))
                .unwrap_or_else(|| panic!("no {check} line:\n{out}"));
            assert!(verdict.trim_start().starts_with(level), "{check}:\n{out}");
            assert!(out.contains(evidence), "{check}: {evidence}\n{out}");
        }
        assert!(out.contains("(zap §9.2)"), "{out}");
        assert!(out.contains("\"Bom dia!\""), "the offending bytes:\n{out}");
        assert!(
            out.contains("the server closed the connection"),
            "who ended it:\n{out}"
        );
        assert!(out.contains("verdict: FAIL"), "{out}");
    });
}

#[test]
fn line_breaks_and_hasty_writes_are_non_strict_not_fail() {
    runtime().block_on(async {
        // A long settle time, so a write 50 ms after a 05 is surely a
        // separate read and yet within the settle time.
        let serve = start_serve(&["--once", "--format", "json", "--settle-ms", "200"]).await;
        let mut s = TcpStream::connect(&serve.addr).await.expect("connect");
        s.set_nodelay(true).expect("nodelay");
        let me = register(&mut s).await;
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("a clock")
            .as_secs();
        // `msg + "\n"` (zap §3.5), and two frames in one write (zap §3.2).
        write(&mut s, format!("03{me}\n05{me}{me}{ts}oi\n").as_bytes()).await;
        // A 01 right after a 05, in its own write but within the settle
        // time: every receiver reads it as the 05's data (zap §3.2).
        s.write_all(format!("05{me}{me}{ts}olá").as_bytes())
            .await
            .expect("write");
        sleep(Duration::from_millis(50)).await;
        s.write_all(b"01").await.expect("write");
        sleep(Duration::from_millis(300)).await;
        s.shutdown().await.expect("shutdown");
        let mut rest = Vec::new();
        let _ = timeout(PATIENCE, s.read_to_end(&mut rest)).await;
        let (status, out) = serve.exit().await;
        assert_eq!(status.code(), Some(0), "NON-STRICT is not FAIL:\n{out}");
        let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON report");
        let all = verdicts(&report);
        let of = |id: &str| {
            all.iter()
                .find(|(c, _)| c == id)
                .map(|(_, v)| v.as_str())
                .unwrap_or_default()
        };
        assert_eq!(of("line-breaks"), "NON-STRICT", "{out}");
        assert_eq!(of("pacing"), "NON-STRICT", "{out}");
        assert_eq!(of("framing"), "PASS", "{out}");
        assert_eq!(report["verdict"], "NON-STRICT", "{out}");
        let pacing = report["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == "pacing"))
            .expect("a pacing check");
        let texts: Vec<&str> = pacing["offences"]
            .as_array()
            .expect("offences")
            .iter()
            .filter_map(|o| o["text"].as_str())
            .collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("glued to the previous frame")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.contains("a new write began") && t.contains("\"01\"")),
            "{texts:?}"
        );
    });
}

/// A raw client that sends an 08 before any 01 or 03, then registers and
/// logs in: its stream, its id, and now in POSIX seconds.
async fn too_early_then_online(addr: &str) -> (TcpStream, String, u64) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock")
        .as_secs();
    // Before any 01 or 03: ignored under every reading (a 05 right after a
    // 02 is D10's other reading, NON-STRICT). An 08, whose end is fixed, so
    // the 01 after it cannot be read as more of it.
    let nobody = "2999999999999";
    write(&mut s, format!("08{nobody}{ts}").as_bytes()).await;
    let me = register(&mut s).await;
    write(&mut s, format!("03{me}").as_bytes()).await;
    (s, me, ts)
}

/// [`too_early_then_online`], then a line that is no frame.
async fn too_early_then_garbage(addr: &str) {
    let (mut s, _, _) = too_early_then_online(addr).await;
    write(&mut s, b"Bom dia!").await;
    let mut rest = Vec::new();
    let _ = timeout(PATIENCE, s.read_to_end(&mut rest)).await;
}

/// The JSON report without what differs from run to run or by language:
/// times, the client's address, and the free texts.
fn schema_of(mut report: serde_json::Value) -> serde_json::Value {
    for key in ["duration_secs", "client", "ended"] {
        report[key] = serde_json::Value::Null;
    }
    for check in report["checks"].as_array_mut().expect("checks") {
        for o in check["offences"].as_array_mut().expect("offences") {
            o["at"] = serde_json::Value::Null;
            o["text"] = serde_json::Value::Null;
            // Wire bytes hold the clock's timestamp, which a second may
            // separate between the two runs; no language touches them.
            o["bytes"] = serde_json::Value::Null;
        }
    }
    report
}

#[test]
fn the_report_is_in_brazilian_portuguese_and_the_json_keeps_its_codes() {
    runtime().block_on(async {
        let serve = start_serve(&["--once", "--lang", "pt-BR"]).await;
        assert!(
            serve.banner.contains("escutando em")
                && serve.banner.contains("relata o primeiro cliente e sai"),
            "{}",
            serve.banner
        );
        too_early_then_garbage(&serve.addr).await;
        let (status, out) = serve.exit().await;
        assert_eq!(status.code(), Some(1), "a FAIL exits 1:\n{out}");
        for words in [
            "frame(s) enviado(s)",
            "recebido(s) em",
            "o servidor fechou a conexão",
            "05, 08 e 10 só depois de um 03",
            "08 antes de qualquer 03 nesta conexão: o servidor o ignora (zap §9.2)",
            "byte 0: o código deveria ser um de 01 02 03 05 06 07 08 09 10 11",
            "verificado(s)",
            "infração(ões)",
            "PASSOU",
            "veredito: FALHOU (2 FALHOU, 0 TOLERADO, 6 PASSOU)",
        ] {
            assert!(out.contains(words), "missing {words:?}:\n{out}");
        }
        let login = out
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some("login-first"))
            .unwrap_or_else(|| panic!("check ids stay the same:\n{out}"));
        assert!(login.trim_start().starts_with("FALHOU"), "{out}");
        assert!(login.contains("§9.2"), "{out}");
        for english in ["frame(s) sent", "checked", "verdict:", " FAIL "] {
            assert!(
                !out.contains(english),
                "{english:?} is not translated:\n{out}"
            );
        }

        // The JSON: the same keys, ids, sections, codes and titles in
        // both languages.
        let mut json = Vec::new();
        for lang in ["en", "pt-BR"] {
            let serve = start_serve(&["--once", "--format", "json", "--lang", lang]).await;
            too_early_then_garbage(&serve.addr).await;
            let (status, out) = serve.exit().await;
            assert_eq!(status.code(), Some(1), "{out}");
            json.push(serde_json::from_str::<serde_json::Value>(&out).expect("one JSON report"));
        }
        let pt = &json[1];
        assert_eq!(pt["verdict"], "FAIL", "{pt}");
        let login = pt["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == "login-first"))
            .expect("a login-first check");
        assert_eq!(login["title"], "05, 08 and 10 only after a 03", "{pt}");
        assert_eq!(login["offences"][0]["level"], "FAIL", "{pt}");
        assert_eq!(
            schema_of(json[0].clone()),
            schema_of(json[1].clone()),
            "only the free texts follow --lang"
        );
    });
}

/// An lrv client that asks each request of `exchange` and gets its reply,
/// leaving with the last; `serve`'s report on it.
async fn lrv_client(serve: &mut Listening, exchange: &[(&str, &str)]) -> serde_json::Value {
    let mut c = Lrv::greeted(serve.addr.parse().expect("an address")).await;
    for (request, reply) in exchange {
        assert_eq!(c.ask(request).await, *reply, "{request}");
    }
    c.expect_closed().await;
    drop(c);
    json_report(serve).await
}

/// The report of the next client to disconnect, from `--format json`.
async fn json_report(serve: &mut Listening) -> serde_json::Value {
    let line = serve.line().await;
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("a JSON report ({e}): {line}"))
}

#[test]
fn lrv_clients_are_graded_by_lrv_rules() {
    runtime().block_on(async {
        let mut serve = start_serve(&["--protocol", "lrv", "--format", "json"]).await;
        assert!(
            serve.banner.contains("a strict lrv reference server"),
            "{}",
            serve.banner
        );
        // Canonical lines, each after the reply to the one before.
        let register = format!("REGISTRAR {}", cpf(1));
        let exchange = [
            (register.as_str(), "200"),
            ("COMPRAR 7", "202"),
            ("COMPRADOS", "208 7"),
            ("SAIR", "204"),
        ];
        let report = lrv_client(&mut serve, &exchange).await;
        assert_eq!(report["protocol"], "lrv", "{report}");
        let all = verdicts(&report);
        let ids: Vec<&str> = all.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            ids,
            ["framing", "commands", "one-at-a-time", "register-first"],
            "{report}"
        );
        assert!(all.iter().all(|(_, v)| v == "PASS"), "{report}");
        assert_eq!(report["sent"], 4, "{report}");

        // Lower case is another reading of D3; a command the seed lacks
        // is no reading of anything.
        let exchange = [("comprar 8", "400"), ("COMPRA 9", "400"), ("SAIR", "204")];
        let report = lrv_client(&mut serve, &exchange).await;
        assert_eq!(report["verdict"], "FAIL", "{report}");
        let commands = report["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == "commands"))
            .expect("a commands check");
        let levels: Vec<(&str, &str)> = commands["offences"]
            .as_array()
            .expect("offences")
            .iter()
            .map(|o| {
                (
                    o["level"].as_str().unwrap_or_default(),
                    o["section"].as_str().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            levels,
            [("NON-STRICT", "§6.1, D3"), ("FAIL", "§6.1")],
            "{report}"
        );
        let (status, _) = serve.interrupt().await;
        assert_eq!(status.code(), Some(1), "a client FAILed: {status:?}");
    });
}
