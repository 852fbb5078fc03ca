//! `conformance proxy` between real peers, all on 127.0.0.1: the reference
//! client and the in-process reference server (every message decoded with
//! ✓, the `--log` script replays and passes), a raw client sending an
//! invalid frame (reported with its offset, the relay goes on), and a fake
//! upstream that records what it received (bytes relayed unchanged); an
//! lrv session shown with the lrv reader's verdicts, its log replayed.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::binary::{Listening, listening};
use common::runtime;
use gabarito_client::zap::{Client, Event};
use gabarito_conformance::cli::reference::Reference;
use gabarito_conformance::lrv::Lrv as LrvProtocol;
use gabarito_conformance::protocol::Protocol;
use gabarito_conformance::run::{RunOptions, run_all};
use gabarito_conformance::script::parse_suite;
use gabarito_conformance::verdict::Verdict;
use gabarito_conformance::zap::Zap;
use gabarito_test_kit::PATIENCE;
use gabarito_test_kit::client::{event, leave};
use gabarito_test_kit::lrv::{Lrv, Peer as _, cpf};
use gabarito_test_kit::zap::register_raw;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

/// `conformance proxy ARGS…` relaying to `upstream`, in the background.
async fn start_proxy(upstream: &str, extra: &[&str]) -> Listening {
    let mut args = vec!["proxy", "--listen", "127.0.0.1:0", "--upstream", upstream];
    args.extend_from_slice(extra);
    listening(&args).await
}

/// [`start_proxy`] with `--log DIR/name`, and the log's path.
async fn proxy_logging(
    upstream: &str,
    dir: &tempfile::TempDir,
    name: &str,
    extra: &[&str],
) -> (Listening, std::path::PathBuf) {
    let log = dir.path().join(name);
    let log_arg = log.to_string_lossy().to_string();
    let mut args = vec!["--log", log_arg.as_str()];
    args.extend_from_slice(extra);
    (start_proxy(upstream, &args).await, log)
}

/// The recorded `script` is one case, and it PASSes against `server`.
async fn replay_passes(script: &str, protocol: Arc<dyn Protocol>, server: &Reference) {
    let suite = parse_suite("recorded.session", script, protocol.as_ref())
        .unwrap_or_else(|e| panic!("the log parses: {e}\n{script}"));
    assert_eq!(suite.cases.len(), 1, "{script}");
    let opts = RunOptions::default();
    for r in run_all(suite.cases, protocol, server.addr, opts, 1, None).await {
        assert_eq!(
            r.verdict,
            Verdict::Pass,
            "the replay passes: {:?}\nexchange: {:#?}\n{script}",
            r.failure,
            r.exchange
        );
    }
}

fn has(lines: &[String], parts: &[&str]) -> bool {
    lines.iter().any(|l| parts.iter().all(|p| l.contains(p)))
}

/// The address in the banner, in any language.
#[test]
fn a_reference_session_is_decoded_with_ticks_and_its_log_replays_and_passes() {
    runtime().block_on(async {
        let server = Reference::start().await.expect("the reference server");
        let dir = tempfile::tempdir().expect("a temp dir");
        let upstream = server.addr.to_string();
        let (mut proxy, log) = proxy_logging(&upstream, &dir, "recorded.session", &[]).await;

        let mut alice = Client::connect(&proxy.addr).await.expect("alice connects");
        let mut bob = Client::connect(&proxy.addr).await.expect("bob connects");
        let a = alice.register().await.expect("alice registers");
        alice.login(a.clone()).await.expect("alice logs in");
        let b = bob.register().await.expect("bob registers");
        bob.login(b.clone()).await.expect("bob logs in");
        let sent = alice
            .send(&b, "oi, bob {não é um marcador}")
            .await
            .expect("05");
        let Event::Message(m) = event(&mut bob).await else {
            panic!("bob expected a 06")
        };
        assert!(matches!(event(&mut alice).await, Event::Delivered { .. }));
        bob.mark_read(&m.from, &m.timestamp).await.expect("08");
        assert!(matches!(event(&mut alice).await, Event::Read { .. }));
        let group = alice
            .create_group(std::slice::from_ref(&b))
            .await
            .expect("10 → 11");
        assert!(matches!(event(&mut bob).await, Event::Group(g) if g.group == group.group));
        leave(&mut alice).await;
        leave(&mut bob).await;

        proxy.line_with(&["#1", "connection over"]).await;
        proxy.line_with(&["#2", "connection over"]).await;
        let (status, lines) = proxy.interrupt().await;
        assert!(status.success(), "exit {status:?}");
        let ts = sent.timestamp.to_string();
        for parts in [
            vec!["#1", "→ 01 register ✓"],
            vec!["#1", "← 02 registered", &format!("id={a}"), "✓"],
            vec!["#2", "→ 03 connect", &format!("id={b}"), "✓"],
            vec![
                "#1",
                "→ 05 send",
                &format!("src={a} dst={b} timestamp={ts}"),
                "data=\"oi, bob {não é um marcador}\" ✓",
            ],
            vec!["#2", "← 06 deliver", &format!("src={a} dst={b}"), "✓"],
            vec![
                "#1",
                "← 07 delivered",
                &format!("dst={b} timestamp={ts}"),
                "✓",
            ],
            vec!["#2", "→ 08 read", &format!("src={a} timestamp={ts}"), "✓"],
            vec!["#1", "← 09 read-notice", &format!("dst={b}"), "✓"],
            vec!["#1", "→ 10 create-group", &format!("creator={a}"), "✓"],
            vec![
                "#2",
                "← 11 group-created",
                &format!("members=[{a},{b}]"),
                "✓",
            ],
            vec!["#1", "· client closed its side"],
        ] {
            assert!(
                has(&lines, &parts),
                "no line with {parts:?}:\n{}",
                lines.join("\n")
            );
        }
        assert!(
            !lines.iter().any(|l| l.contains('✗')),
            "a faultless session earns no ✗:\n{}",
            lines.join("\n")
        );

        let script = std::fs::read_to_string(&log).expect("the log was written");
        assert!(script.contains("a expect 02 {?id1}"), "{script}");
        assert!(script.contains("a send 03 {id1}"), "{script}");
        let fresh = Reference::start().await.expect("a fresh reference server");
        replay_passes(&script, Arc::new(Zap), &fresh).await;
        let _ = fresh.stop().await;
        let _ = server.stop().await;
    });
}

#[test]
fn an_invalid_frame_is_reported_with_its_offset_and_the_relay_goes_on() {
    runtime().block_on(async {
        let server = Reference::start().await.expect("the reference server");
        let mut proxy = start_proxy(&server.addr.to_string(), &[]).await;
        let mut raw = TcpStream::connect(&proxy.addr).await.expect("connect");
        let id = register_raw(&mut raw).await;
        // A non-digit at byte 4 of a 03, then a good 03 in the same write.
        raw.write_all(format!("0312ab03{id}").as_bytes())
            .await
            .expect("write");
        proxy
            .line_with(&["#1", "→ 03 connect", &format!("id={id}"), "✓"])
            .await;
        // The reference server closes on a malformed frame (zap §10.1).
        proxy.line_with(&["#1", "· server closed its side"]).await;
        drop(raw);
        // Other clients are still relayed.
        let mut next_client = Client::connect(&proxy.addr).await.expect("connect");
        next_client
            .register()
            .await
            .expect("registered through the proxy");
        proxy.line_with(&["#2", "← 02 registered", "✓"]).await;
        let (status, lines) = proxy.interrupt().await;
        assert!(status.success(), "exit {status:?}");
        let all = lines.join("\n");
        let at = lines
            .iter()
            .position(|l| {
                l.contains("#1")
                    && l.contains("→ ✗ invalid zap frame: byte 4: id must be 13 ASCII digits")
            })
            .unwrap_or_else(|| panic!("the invalid 03 is reported:\n{all}"));
        assert!(lines[at].contains("(zap §4.1, §10.1)"), "{all}");
        let (bytes, caret) = (&lines[at + 1], &lines[at + 2]);
        assert_eq!(
            caret.find("^ id"),
            bytes.find("0312ab").map(|i| i + 4),
            "the caret is under byte 4:\n{all}"
        );
        assert!(
            lines[at + 3].contains("skipped 6 byte(s)") && lines[at + 3].contains("(zap §3.6)"),
            "{all}"
        );
        let _ = server.stop().await;
    });
}

#[test]
fn bytes_are_relayed_unchanged_both_ways() {
    runtime().block_on(async {
        let upstream = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let upstream_addr = upstream.local_addr().expect("addr").to_string();
        let from_server: Vec<u8> = [
            &b"Bem-vindo!\r\n"[..],
            b"022000000000001",
            b"06200000000000120000000000021700000000",
            "olá".as_bytes(),
            b"\xff",
        ]
        .concat();
        let sent_by_server = from_server.clone();
        let recorder = tokio::spawn(async move {
            let (mut s, _) = upstream.accept().await.expect("accept");
            s.write_all(&sent_by_server).await.expect("write");
            let mut got = Vec::new();
            s.read_to_end(&mut got).await.expect("read");
            got
        });
        let mut proxy = start_proxy(&upstream_addr, &[]).await;
        let writes: [&[u8]; 5] = [
            b"01\n",
            b"0312",
            b"ab\xff032000000000001",
            b"0520000000000012000000000002170000000",
            b"0 dados\x00\x00 e mais",
        ];
        let mut client = TcpStream::connect(&proxy.addr).await.expect("connect");
        for w in writes {
            client.write_all(w).await.expect("write");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        client.shutdown().await.expect("shutdown");
        let mut to_client = Vec::new();
        timeout(PATIENCE, client.read_to_end(&mut to_client))
            .await
            .expect("the proxy closes after the server")
            .expect("read");
        let to_server = timeout(PATIENCE, recorder)
            .await
            .expect("the recorder ends")
            .expect("the recorder");
        assert_eq!(to_server, writes.concat(), "client → server unchanged");
        assert_eq!(to_client, from_server, "server → client unchanged");
        proxy.line_with(&["connection over"]).await;
        let (status, lines) = proxy.interrupt().await;
        assert!(status.success(), "exit {status:?}");
        for parts in [
            &["→ 01 register ✓"][..],
            &["→ ✗ invalid zap frame: byte 5: id must be 13 ASCII digits"],
            &["→ 03 connect id=2000000000001 ✓"],
            &["→ ✗ invalid zap frame: byte 44: data must be free of U+0000"],
            &["← ✗ invalid zap frame: byte 0: code must be"],
            &["← 02 registered id=2000000000001 ✓"],
            &["← ✗ invalid zap frame: byte 42: data must be valid UTF-8"],
        ] {
            assert!(
                has(&lines, parts),
                "no line with {parts:?}:\n{}",
                lines.join("\n")
            );
        }
    });
}

#[test]
fn the_proxy_explains_in_brazilian_portuguese_and_logs_an_english_script() {
    runtime().block_on(async {
        let server = Reference::start().await.expect("the reference server");
        let dir = tempfile::tempdir().expect("a temp dir");
        let upstream = server.addr.to_string();
        let (mut proxy, log) =
            proxy_logging(&upstream, &dir, "gravada.session", &["--lang", "pt-BR"]).await;
        assert!(
            proxy.banner.contains("escutando em") && proxy.banner.contains("Ctrl-C para parar"),
            "{}",
            proxy.banner
        );
        let mut raw = TcpStream::connect(&proxy.addr).await.expect("connect");
        raw.set_nodelay(true).expect("nodelay");
        let id = register_raw(&mut raw).await;
        tokio::time::sleep(Duration::from_millis(60)).await;
        // A 05 right after the 02, before any 03 (zap §9.2, D10), then a
        // malformed 03 (zap §4.1).
        raw.write_all(format!("05{id}{id}1700000000cedo").as_bytes())
            .await
            .expect("write");
        tokio::time::sleep(Duration::from_millis(60)).await;
        raw.write_all(b"0312ab").await.expect("write");
        proxy
            .line_with(&["#1", "· o servidor fechou o seu lado (EOF)"])
            .await;
        drop(raw);
        proxy.line_with(&["#1", "· conexão encerrada:"]).await;
        let (status, lines) = proxy.interrupt().await;
        assert!(status.success(), "exit {status:?}");
        let all = lines.join("\n");
        for parts in [
            &["#1", "· cliente", "conectou; repassando para"][..],
            &["#1", "→ 01 register ✓"],
            &["#1", &format!("← 02 registered id={id} ✓")],
            // Right after its 02: D10's other reading, not a failure.
            &["#1", "→ 05 send", "data=\"cedo\" ✓"],
            &[
                "#1",
                "→ ✗ frame zap inválido: byte 4: o id deveria ser 13 dígitos ASCII",
                "(zap §4.1, §10.1)",
            ],
            &["6 byte(s) pulado(s) até onde um frame pode começar (zap §3.6)"],
            &["frame(s) do cliente", "do servidor", "com falha"],
        ] {
            assert!(has(&lines, parts), "no line with {parts:?}:\n{all}");
        }
        for english in [
            "connected",
            "closed its side",
            "invalid zap frame",
            "skipped",
        ] {
            assert!(
                !all.contains(english),
                "{english:?} is not translated:\n{all}"
            );
        }
        // The .session script is the same in every language.
        let script = std::fs::read_to_string(&log).expect("the log was written");
        assert!(
            script.contains("Recorded by `conformance proxy"),
            "{script}"
        );
        assert!(!script.contains("inválido"), "{script}");
        parse_suite("gravada.session", &script, &Zap)
            .unwrap_or_else(|e| panic!("the log parses: {e}\n{script}"));
        let _ = server.stop().await;
    });
}

#[test]
fn an_lrv_session_is_shown_with_the_readers_verdicts_and_its_log_replays() {
    runtime().block_on(async {
        let lrv = |c: gabarito_server::Config| c.with_protocol(gabarito_server::Protocol::Lrv);
        let server = Reference::start_with(lrv).await.expect("an lrv server");
        let dir = tempfile::tempdir().expect("a temp dir");
        let upstream = server.addr.to_string();
        let (mut proxy, log) =
            proxy_logging(&upstream, &dir, "rifa.session", &["--protocol", "lrv"]).await;
        assert!(proxy.banner.contains("(lrv)"), "{}", proxy.banner);
        let me = cpf(2);
        let mut c = Lrv::greeted(proxy.addr.parse().expect("an address")).await;
        assert_eq!(c.ask(&format!("REGISTRAR {me}")).await, "200");
        assert_eq!(c.ask("COMPRA 9").await, "400");
        c.send(b"SAIR\r\n").await;
        assert_eq!(c.line().await, "204");
        c.expect_closed().await;
        drop(c);
        proxy.line_with(&["#1", "connection over"]).await;
        let (status, lines) = proxy.interrupt().await;
        assert!(status.success(), "exit {status:?}");
        let all = lines.join("\n");
        for parts in [
            &["#1", "← greeting \"Bem-vindo à compra de rifa!\" ✓"][..],
            &["#1", &format!("→ REGISTRAR cpf={me} ✓")],
            &["#1", "← 200 registered ✓"],
            &[
                "#1",
                "→ ✗ invalid lrv request: byte 0: command must be one of",
            ],
            &["#1", "→ SAIR ✓"],
            &["NON-STRICT: the request ends in CRLF, not LF"],
            &["#1", "← 204 disconnected ✓"],
            &["line(s) from the client", "1 with a fault"],
        ] {
            assert!(has(&lines, parts), "no line with {parts:?}:\n{all}");
        }

        let script = std::fs::read_to_string(&log).expect("the log was written");
        assert!(script.contains("a send-raw \"COMPRA 9\\n\""), "{script}");
        let fresh = Reference::start_with(lrv)
            .await
            .expect("a fresh lrv server");
        replay_passes(&script, Arc::new(LrvProtocol::default()), &fresh).await;
        let _ = fresh.stop().await;
        let _ = server.stop().await;
    });
}
