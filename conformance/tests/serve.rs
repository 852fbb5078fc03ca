//! `conformance serve` graded by the clients it serves, all on 127.0.0.1:
//! the reference client earns PASS on every check; raw clients that break
//! the rules earn the matching FAIL (or NON-STRICT) with its section and
//! bytes; an lrv client is graded by lrv's rules.

mod common;

use std::process::ExitStatus;
use std::time::Duration;

use common::binary::{Listening, listening};
use common::runtime;
use gabarito_client::zap::{Client, ClientConfig, Event};
use gabarito_test_kit::PATIENCE;
use gabarito_test_kit::client::{event, leave};
use gabarito_test_kit::lrv::{Lrv, cpf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::Child;
use tokio::sync::mpsc;
use tokio::time::{sleep, timeout};

/// A pause between a raw client's writes, well past the server's settle
/// time (20 ms), so each frame is decided on its own (zap §3.2).
const GAP: Duration = Duration::from_millis(60);

/// The serve binary, its address, and its stdout lines as they come.
struct Serve {
    child: Child,
    addr: String,
    /// The first line on stderr: where it listens.
    banner: String,
    lines: mpsc::UnboundedReceiver<String>,
}

impl Serve {
    async fn start(extra: &[&str]) -> Serve {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let Listening {
            child,
            addr,
            banner,
            lines,
        } = listening(&args).await;
        Serve {
            child,
            addr,
            banner,
            lines,
        }
    }

    /// The next stdout line.
    async fn line(&mut self) -> String {
        timeout(PATIENCE, self.lines.recv())
            .await
            .expect("serve prints in time")
            .expect("serve is still printing")
    }

    /// Waits for the process to exit by itself (--once); its status and
    /// everything it printed.
    async fn exit(mut self) -> (ExitStatus, String) {
        let status = timeout(PATIENCE, self.child.wait())
            .await
            .expect("serve exits")
            .expect("its status");
        let mut out = Vec::new();
        while let Ok(Some(l)) = timeout(PATIENCE, self.lines.recv()).await {
            out.push(l);
        }
        (status, out.join("\n"))
    }

    /// Ctrl-C; its exit status.
    async fn interrupt(mut self) -> ExitStatus {
        let pid = self.child.id().expect("serve is running");
        let pid = nix::unistd::Pid::from_raw(i32::try_from(pid).expect("a pid"));
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).expect("SIGINT");
        timeout(PATIENCE, self.child.wait())
            .await
            .expect("serve stops on Ctrl-C")
            .expect("its status")
    }
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
        let mut serve = Serve::start(&["--format", "json"]).await;
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
        let status = serve.interrupt().await;
        assert!(status.success(), "no FAIL, exit 0: {status:?}");
    });
}

/// A raw client: 01 → 02, and its id.
async fn register(s: &mut TcpStream) -> String {
    s.write_all(b"01").await.expect("write");
    let mut reply = [0u8; 15];
    timeout(PATIENCE, s.read_exact(&mut reply))
        .await
        .expect("a 02 in time")
        .expect("a 02");
    String::from_utf8_lossy(&reply[2..]).to_string()
}

async fn write(s: &mut TcpStream, bytes: &[u8]) {
    s.write_all(bytes).await.expect("write");
    sleep(GAP).await;
}

#[test]
fn a_client_that_breaks_the_rules_gets_the_matching_fails() {
    runtime().block_on(async {
        let serve = Serve::start(&["--once"]).await;
        let mut s = TcpStream::connect(&serve.addr).await.expect("connect");
        s.set_nodelay(true).expect("nodelay");
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("a clock")
            .as_secs();
        // Before any 01 or 03: ignored under every reading (a 05 right
        // after a 02 is D10's other reading, NON-STRICT). An 08, whose end
        // is fixed, so the 01 after it cannot be read as more of it.
        let nobody = "2999999999999";
        write(&mut s, format!("08{nobody}{ts}").as_bytes()).await;
        let me = register(&mut s).await;
        write(&mut s, format!("03{me}").as_bytes()).await;
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
        let serve = Serve::start(&["--once", "--format", "json", "--settle-ms", "200"]).await;
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

/// A client that sends a 05 before its 03, then a line that is no frame.
async fn too_early_then_garbage(addr: &str) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock")
        .as_secs();
    let nobody = "2999999999999";
    write(&mut s, format!("08{nobody}{ts}").as_bytes()).await;
    let me = register(&mut s).await;
    write(&mut s, format!("03{me}").as_bytes()).await;
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
        let serve = Serve::start(&["--once", "--lang", "pt-BR"]).await;
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
            let serve = Serve::start(&["--once", "--format", "json", "--lang", lang]).await;
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

/// The report of the next client to disconnect, from `--format json`.
async fn json_report(serve: &mut Serve) -> serde_json::Value {
    let line = serve.line().await;
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("a JSON report ({e}): {line}"))
}

#[test]
fn lrv_clients_are_graded_by_lrv_rules() {
    runtime().block_on(async {
        let mut serve = Serve::start(&["--protocol", "lrv", "--format", "json"]).await;
        assert!(
            serve.banner.contains("a strict lrv reference server"),
            "{}",
            serve.banner
        );
        let addr = serve.addr.parse().expect("an address");
        // Canonical lines, each after the reply to the one before.
        let mut c = Lrv::greeted(addr).await;
        assert_eq!(c.ask(&format!("REGISTRAR {}", cpf(1))).await, "200");
        assert_eq!(c.ask("COMPRAR 7").await, "202");
        assert_eq!(c.ask("COMPRADOS").await, "208 7");
        assert_eq!(c.ask("SAIR").await, "204");
        c.expect_closed().await;
        drop(c);
        let report = json_report(&mut serve).await;
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
        let mut d = Lrv::greeted(addr).await;
        assert_eq!(d.ask("comprar 8").await, "400");
        assert_eq!(d.ask("COMPRA 9").await, "400");
        assert_eq!(d.ask("SAIR").await, "204");
        d.expect_closed().await;
        drop(d);
        let report = json_report(&mut serve).await;
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
        let status = serve.interrupt().await;
        assert_eq!(status.code(), Some(1), "a client FAILed: {status:?}");
    });
}
