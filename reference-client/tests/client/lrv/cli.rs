//! `reference-client lrv …` as a child process against the fake server:
//! stdout (lines and `--json`), stderr warnings and exit codes.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::fake::{Fake, Style};
use crate::common::{Run, bin};

const ALICE: &str = "12345678909";
const BOB: &str = "529.982.247-25";

/// Runs `reference-client lrv ARGS` with `stdin`, no inherited LRV_/ZAP_
/// variables except `env`.
async fn lrv(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Run {
    let mut cmd = tokio::process::Command::new(bin());
    cmd.arg("lrv")
        .args(["--timeout", "3", "--settle-ms", "30"])
        .args(args)
        .env_remove("LRV_SERVER")
        .env_remove("LRV_CPF")
        .env_remove("ZAP_SERVER")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run reference-client");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).await.expect("write stdin");
    drop(input);
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("reference-client finishes in time")
        .expect("reference-client output");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn nums(v: &serde_json::Value) -> Vec<u64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|n| n.as_u64().expect("a number"))
        .collect()
}

#[tokio::test]
async fn subcommands_register_buy_and_list_with_json_and_exit_codes() {
    let fake = Fake::start(Style::Canonical, 3).await;
    let s = fake.addr.as_str();
    let r = lrv(&["--server", s, "--cpf", ALICE, "register"], &[], b"").await;
    assert!(
        r.ok()
            .stdout
            .contains("registered 123.456.789-09 (new CPF, 200)"),
        "{r:?}"
    );
    let r = lrv(
        &["--server", s, "--cpf", ALICE, "--json", "register"],
        &[],
        b"",
    )
    .await;
    let j = r.ok().json();
    assert_eq!(
        (j["new"].clone(), j["cpf"].clone()),
        (false.into(), ALICE.into())
    );
    assert_eq!(j["greeting"], "Bem-vindo à compra de rifa!");
    assert_eq!(j["deviations"].as_array().map(Vec::len), Some(0));

    // The CPF from the environment, formatted; buy registers first.
    let env = [("LRV_CPF", BOB), ("LRV_SERVER", s)];
    let r = lrv(&["--json", "buy", "2", "03"], &env, b"").await;
    let j = r.ok().json();
    assert_eq!(nums(&j["bought"]), [2, 3]);
    assert_eq!(j["cpf"], "52998224725");
    assert_eq!(j["new"], true);

    // One taken, one outside the raffle: reported each, exit 3.
    let r = lrv(
        &[
            "--json", "--cpf", ALICE, "--server", s, "buy", "1", "2", "9",
        ],
        &[],
        b"",
    )
    .await;
    assert_eq!(r.code, 3, "{r:?}");
    let j = r.json();
    assert_eq!(nums(&j["bought"]), [1]);
    assert_eq!(nums(&j["taken"]), [2]);
    assert_eq!(nums(&j["refused"]), [9]);
    assert_eq!(j["exit"], 3);
    assert_eq!(j["results"][1]["code"], "401");
    let r = lrv(&["--cpf", ALICE, "--server", s, "buy", "2"], &[], b"").await;
    assert_eq!(r.code, 3);
    assert!(r.stdout.contains("2 is taken (401)"), "{r:?}");

    let r = lrv(&["--server", s, "--json", "--cpf", ALICE, "mine"], &[], b"").await;
    assert_eq!(nums(&r.ok().json()["numbers"]), [1]);
    let r = lrv(&["--server", s, "available"], &[], b"").await;
    assert!(
        r.ok().stdout.contains("no numbers available (203)"),
        "{r:?}"
    );
    let r = lrv(&["--server", s, "--json", "sold-out"], &[], b"").await;
    assert_eq!(r.ok().json()["sold_out"], true);
    // The fake draws the last number sold: alice's 1.
    let r = lrv(&["--server", s, "--cpf", BOB, "draw"], &[], b"").await;
    let out = &r.ok().stdout;
    assert!(
        out.contains("drawn (207): number 1, won by 123.456.789-09"),
        "{r:?}"
    );
    assert!(out.contains("not you"), "{r:?}");
    let r = lrv(&["--server", s, "--json", "--cpf", ALICE, "draw"], &[], b"").await;
    let j = r.ok().json();
    assert_eq!(
        (j["number"].clone(), j["you_won"].clone()),
        (1.into(), true.into())
    );
}

#[tokio::test]
async fn bad_input_and_missing_settings_fail_before_connecting() {
    // Nothing listens on the address: only the checks can answer.
    let nowhere = "127.0.0.1:9";
    let r = lrv(
        &["--server", nowhere, "--cpf", "12345678900", "register"],
        &[],
        b"",
    )
    .await;
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr
            .contains("digit 11 (the second check digit) must be 9"),
        "{r:?}"
    );
    let r = lrv(&["--server", nowhere, "--cpf", ALICE, "buy", "0"], &[], b"").await;
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("lrv §4.2"), "{r:?}");
    let r = lrv(&["--server", nowhere, "mine"], &[], b"").await;
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("LRV_CPF"), "{r:?}");
    // ZAP_SERVER is zap's: lrv asks for its own.
    let r = lrv(&["--json", "available"], &[("ZAP_SERVER", nowhere)], b"").await;
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.json()["exit"], 2);
    assert!(r.stderr.contains("LRV_SERVER"), "{r:?}");
}

#[tokio::test]
async fn a_missing_greeting_exits_6_naming_lrv_5_unless_allowed() {
    let fake = Fake::start(Style::NoGreeting, 3).await;
    let s = fake.addr.as_str();
    let r = lrv(&["--server", s, "--timeout", "1", "available"], &[], b"").await;
    assert_eq!(r.code, 6, "{r:?}");
    assert!(
        r.stderr.contains("lrv §5") && r.stderr.contains("--allow-missing-greeting"),
        "{r:?}"
    );
    let r = lrv(
        &[
            "--server",
            s,
            "--timeout",
            "1",
            "--allow-missing-greeting",
            "--json",
            "available",
        ],
        &[],
        b"",
    )
    .await;
    let j = r.ok().json();
    assert_eq!(nums(&j["available"]), [1, 2, 3]);
    assert_eq!(j["deviations"][0]["kind"], "missing_greeting");
    assert!(
        j["warnings"][0]
            .as_str()
            .unwrap_or_default()
            .contains("lrv §5"),
        "{j}"
    );
}

#[tokio::test]
async fn deviations_are_warnings_and_strict_makes_them_fail() {
    let fake = Fake::start(Style::Human, 3).await;
    let s = fake.addr.as_str();
    let r = lrv(&["--server", s, "available"], &[], b"").await;
    assert!(r.ok().stdout.contains("3 available: 1,2,3"), "{r:?}");
    assert!(
        r.stderr.contains("warning:") && r.stderr.contains("lrv §7.5"),
        "{r:?}"
    );
    let r = lrv(&["--server", s, "--strict", "available"], &[], b"").await;
    assert_eq!(r.code, 6, "{r:?}");
    assert!(
        r.stderr.contains("strict mode") && r.stderr.contains("lrv §5, D2"),
        "{r:?}"
    );

    let fake = Fake::start(Style::WrongCode, 3).await;
    let r = lrv(
        &["--server", &fake.addr, "--cpf", ALICE, "buy", "1"],
        &[],
        b"",
    )
    .await;
    assert_eq!(r.code, 6, "{r:?}");
    assert!(r.stderr.contains("COMPRAR 1 with 205"), "{r:?}");
}

#[tokio::test]
async fn a_session_reads_requests_from_a_pipe_and_prints_each_reply() {
    let fake = Fake::start(Style::Canonical, 5).await;
    let s = fake.addr.as_str();
    let script =
        b"# a comment\nCOMPRAR 1\nbuy 4\nmine\nCOMPRAR 4\nnonsense\navailable\nDISPONIVEIS\nquit\n";
    let r = lrv(
        &["--server", s, "--cpf", ALICE, "--json", "session"],
        &[],
        script,
    )
    .await;
    assert_eq!(r.code, 3, "the nonsense line: {r:?}");
    let objects: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    let codes: Vec<&str> = objects.iter().filter_map(|o| o["code"].as_str()).collect();
    // COMPRAR before REGISTRAR is sent as typed: 400. `buy` registers.
    assert_eq!(
        codes,
        ["400", "200", "202", "208", "401", "203", "203", "204"],
        "{r:?}"
    );
    assert_eq!(objects[0]["greeting"], "Bem-vindo à compra de rifa!");
    assert!(
        objects
            .iter()
            .any(|o| o["error"].as_str().is_some_and(|e| e.contains("nonsense")))
    );
    let mine = objects.iter().find(|o| o["code"] == "208").unwrap();
    assert_eq!(nums(&mine["numbers"]), [4]);
    assert_eq!(mine["sent"], "COMPRADOS");

    // Human lines, and SAIR said at the end of the input.
    let r = lrv(
        &["--server", s, "session"],
        &[],
        b"ESGOTOU\nregister 52998224725\nbuy 2\n",
    )
    .await;
    let out = &r.ok().stdout;
    for needle in [
        "206 not sold out",
        "200 registered 529.982.247-25 (new)",
        "202 bought 2",
        "204 bye",
    ] {
        assert!(out.contains(needle), "{needle:?} missing: {r:?}");
    }
}

#[tokio::test]
async fn help_teaches_every_subcommand_and_the_exit_codes() {
    let r = lrv(&["--help"], &[], b"").await;
    let text = &r.ok().stdout;
    for needle in [
        "Examples:",
        "lrv register",
        "lrv available",
        "lrv buy 7",
        "lrv mine",
        "lrv sold-out",
        "lrv draw",
        "session",
        "Exit codes:",
        "3  bad input",
        "6  the server broke LRV",
        "LRV_CPF",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} missing from lrv --help:\n{text}"
        );
    }
    for sub in [
        "register",
        "available",
        "mine",
        "buy",
        "sold-out",
        "draw",
        "session",
    ] {
        let r = lrv(&[sub, "--help"], &[], b"").await;
        assert!(
            r.ok().stdout.contains("Example: "),
            "{sub} --help has no example: {r:?}"
        );
    }
    let top = tokio::process::Command::new(bin())
        .arg("--help")
        .output()
        .await
        .unwrap();
    let top = String::from_utf8_lossy(&top.stdout);
    assert!(
        top.contains("zap (spec/zap.md)") && top.contains("LRV (spec/lrv.md)"),
        "{top}"
    );
}
