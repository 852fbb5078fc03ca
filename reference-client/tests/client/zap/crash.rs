//! The profile survives `kill -9` in the middle of storing a burst of
//! deliveries: it opens, passes SQLite's integrity check, keeps its id and
//! contacts, and its history holds no duplicate and nothing out of order.

use std::time::Duration;

use gabarito_client::zap::{Id, Profile};

use crate::common::{Cli, Config, Server, Users, bin};

/// The numbers of the `m<N>` messages stored, in history order.
fn stored(data: &std::path::Path, bob: &Id<'_>) -> Vec<u64> {
    let p = Profile::open(&data.join("alice")).expect("the profile opens after kill -9");
    assert_eq!(p.integrity().unwrap(), "ok");
    assert!(p.id().unwrap().is_some(), "the id survives");
    assert_eq!(p.contacts().unwrap().len(), 1, "the contacts survive");
    p.history(bob, None)
        .unwrap()
        .iter()
        .map(|e| {
            e.text
                .trim_start_matches('m')
                .trim_end_matches('.')
                .parse()
                .expect("an m<N> text")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_survives_kill_9_while_storing_deliveries() {
    const BURST: u64 = 150;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path().join("server"))).await;
    let data = dir.path().join("clients");
    let cli = Cli::new(&data, &server.addr());
    let alice = Id::parse(&cli.register("alice").await)
        .unwrap()
        .into_owned();
    let (bob, mut b) = server.user().await;
    cli.run("alice", &["contacts", "add", "bob", bob.as_str()])
        .await
        .ok();
    let mut sent = 0;
    for round in 0..6u64 {
        for _ in 0..BURST {
            b.send(&alice, &format!("m{sent}.")).await.unwrap();
            sent += 1;
        }
        // A 02 comes only after every earlier frame of this connection is
        // committed (zap §11.1): the burst is stored on the server. The 03
        // first ends the last 05's data at once (its header, R3): a `01`
        // right after a burst could be read as that data's last two
        // characters if the server, busy, read both at once (zap §3.2).
        b.login(bob.clone()).await.unwrap();
        if let Err(e) = b.register().await {
            panic!("round {round}: {e}");
        }
        let mut args = cli.args("alice");
        args.extend(["--wait-ms".into(), "3000".into(), "inbox".into()]);
        let mut child = tokio::process::Command::new(bin())
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        // Different moments each round: before connecting, while storing,
        // while waiting.
        tokio::time::sleep(Duration::from_millis(8 + 6 * round)).await;
        child.start_kill().unwrap();
        let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
        let got = stored(&data, &bob);
        eprintln!("round {round}: {} of {sent} stored", got.len());
        assert!(
            got.windows(2).all(|w| w[0] < w[1]),
            "round {round}: duplicates or disorder in {got:?}"
        );
        assert!(got.last().is_none_or(|&n| n < sent));
    }
    // What the server wrote to a killed client is gone (zap has no client
    // acknowledgement, §9.4); what it still held is not. A clean run after
    // one more burst stores all of that burst, after the rest, in order.
    let from = sent;
    for _ in 0..BURST {
        b.send(&alice, &format!("m{sent}.")).await.unwrap();
        sent += 1;
    }
    b.login(bob.clone()).await.unwrap();
    b.register().await.unwrap();
    cli.run("alice", &["inbox"]).await.ok();
    let got = stored(&data, &bob);
    assert!(got.windows(2).all(|w| w[0] < w[1]), "{got:?}");
    let tail: Vec<u64> = got.iter().copied().filter(|&n| n >= from).collect();
    assert_eq!(
        tail,
        (from..sent).collect::<Vec<_>>(),
        "the last burst, whole"
    );
}
