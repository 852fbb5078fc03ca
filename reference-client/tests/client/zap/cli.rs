//! The `reference-client` binary against the reference server: two (or
//! three) profiles side by side in one data directory.

use gabarito_client::zap::{Event, Id, Profile};

use crate::common::{Cli, Config, Server, Users, event, fake};

fn state_of(history: &serde_json::Value, text: &str) -> String {
    history["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["text"] == text)
        .unwrap_or_else(|| panic!("{text:?} not in {history}"))["state"]
        .as_str()
        .expect("state")
        .to_owned()
}

#[tokio::test]
async fn two_profiles_exchange_offline_and_online_and_receipts_update_history() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path().join("server"))).await;
    let cli = Cli::new(&dir.path().join("clients"), &server.addr());
    let alice = cli.register("alice").await;
    let bob = cli.register("bob").await;
    assert_ne!(alice, bob);
    let again = cli.run("bob", &["--json", "register"]).await;
    assert_eq!(again.ok().json()["id"], bob.as_str(), "the id is kept");
    assert_eq!(again.json()["new"], false);
    cli.run("alice", &["contacts", "add", "bob", &bob])
        .await
        .ok();
    cli.run("bob", &["contacts", "add", "alice", &alice])
        .await
        .ok();

    // Offline: bob is not connected.
    let sent = cli
        .run("alice", &["send", "bob", "oi", "bob,", "tudo", "bem?"])
        .await;
    assert!(sent.ok().stdout.contains("not delivered yet"), "{sent:?}");
    let h = cli.run("alice", &["--json", "history", "bob"]).await.json();
    assert_eq!(state_of(&h, "oi bob, tudo bem?"), "sent");

    let inbox = cli.run("bob", &["inbox"]).await;
    assert!(
        inbox.ok().stdout.contains("alice: oi bob, tudo bem?"),
        "{inbox:?}"
    );
    assert!(inbox.stdout.contains("1 unread"), "{inbox:?}");
    // Still unread until read receipts are asked for.
    let again = cli.run("bob", &["--json", "inbox"]).await.json();
    assert_eq!(again["unread"].as_array().map(Vec::len), Some(1));

    // The 07 waited for alice on the server.
    cli.run("alice", &["inbox"]).await.ok();
    let h = cli.run("alice", &["--json", "history", "bob"]).await.json();
    assert_eq!(state_of(&h, "oi bob, tudo bem?"), "delivered");

    let read = cli.run("bob", &["--json", "inbox", "--read"]).await.json();
    assert_eq!(read["marked_read"], true);
    assert_eq!(read["unread"][0]["state"], "read");
    let empty = cli.run("bob", &["inbox"]).await;
    assert!(empty.ok().stdout.contains("no unread messages"));
    cli.run("alice", &["inbox"]).await.ok();
    let h = cli.run("alice", &["history", "bob"]).await;
    assert!(h.ok().stdout.contains("me: oi bob, tudo bem? ✓✓"), "{h:?}");

    // Online: bob's id is connected (through the library), so the 07
    // comes while `send` waits.
    let bob_id = Id::parse(&bob).unwrap().into_owned();
    let mut b = server.client().await;
    b.login(bob_id).await.unwrap();
    let sent = cli
        .run("alice", &["--json", "send", "bob", "agora online"])
        .await;
    assert_eq!(
        sent.ok().json()["message"]["state"],
        "delivered",
        "{sent:?}"
    );
    let m = match event(&mut b).await {
        Event::Message(m) => m,
        other => panic!("{other:?}"),
    };
    assert_eq!(m.text.as_str(), "agora online");
    b.mark_read(&m.from, &m.timestamp).await.unwrap();
    // Two messages in the same second as history entries of their own.
    let h = cli.run("alice", &["--json", "history", "bob"]).await.json();
    assert_eq!(h["messages"].as_array().map(Vec::len), Some(2));
    let status = cli.run("alice", &["--json", "inbox"]).await.json();
    assert_eq!(status["read"].as_array().map(Vec::len), Some(1), "{status}");
    let h = cli.run("alice", &["--json", "history", "bob"]).await.json();
    assert_eq!(state_of(&h, "agora online"), "read");
    let st = cli.run("alice", &["--json", "status"]).await.json();
    assert_eq!(st["id"], alice.as_str());
    assert_eq!(
        (st["sent"].as_u64(), st["undelivered"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(st["reachable"], true);
}

#[tokio::test]
async fn a_group_is_created_named_and_used() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path().join("server"))).await;
    let cli = Cli::new(&dir.path().join("clients"), &server.addr());
    let _alice = cli.register("alice").await;
    let bob = cli.register("bob").await;
    let carol = cli.register("carol").await;
    cli.run("alice", &["contacts", "add", "bob", &bob])
        .await
        .ok();
    let created = cli
        .run(
            "alice",
            &["--json", "group", "create", "team", "bob", &carol],
        )
        .await;
    let g = created.ok().json()["group"].clone();
    let group = g["id"].as_str().expect("group id").to_owned();
    assert_eq!(g["members"].as_array().map(Vec::len), Some(3));
    assert_eq!(g["name"], "team");

    let inbox = cli.run("bob", &["inbox"]).await;
    assert!(inbox.ok().stdout.contains("added to group"), "{inbox:?}");
    let list = cli.run("bob", &["--json", "group", "list"]).await.json();
    assert_eq!(list["groups"][0]["id"], group.as_str());
    cli.run("bob", &["group", "rename", &group, "amigos"])
        .await
        .ok();

    let sent = cli.run("alice", &["send", "team", "olá, time"]).await;
    assert!(sent.ok().stdout.contains("sent #"), "{sent:?}");
    let bob_inbox = cli.run("bob", &["--json", "inbox", "--read"]).await.json();
    assert_eq!(bob_inbox["unread"][0]["conversation"], group.as_str());
    let human = cli.run("bob", &["history", "amigos"]).await;
    assert!(human.ok().stdout.contains(": olá, time"), "{human:?}");
    // Only bob has fetched it: partly delivered.
    cli.run("alice", &["inbox"]).await.ok();
    let h = cli
        .run("alice", &["--json", "history", "team"])
        .await
        .json();
    let m = &h["messages"][0];
    assert_eq!(
        (m["recipients"].as_u64(), m["delivered"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(m["state"], "sent");
    cli.run("carol", &["inbox", "--read"]).await.ok();
    cli.run("alice", &["inbox"]).await.ok();
    let h = cli
        .run("alice", &["--json", "history", "team"])
        .await
        .json();
    assert_eq!(h["messages"][0]["state"], "read", "{h}");
}

#[tokio::test]
async fn bad_input_and_bad_servers_get_clear_errors_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path().join("server"))).await;
    let data = dir.path().join("clients");
    let cli = Cli::new(&data, &server.addr());
    let _alice = cli.register("alice").await;
    let bob = cli.register("bob").await;
    cli.run("alice", &["contacts", "add", "bob", &bob])
        .await
        .ok();
    cli.run("alice", &["send", "bob", "first"]).await.ok();
    let before = cli.run("alice", &["history", "bob"]).await.stdout;

    let long = "x".repeat(219);
    let r = cli.run("alice", &["send", "bob", &long]).await;
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("219 characters") && r.stderr.contains("218"),
        "{r:?}"
    );
    let r = cli.run("alice", &["send", "zed", "hi"]).await;
    assert_eq!(r.code, 3, "{r:?}");
    assert!(
        r.stderr.contains("unknown contact or group \"zed\""),
        "{r:?}"
    );
    let r = cli
        .run("alice", &["contacts", "add", "carol", "12345"])
        .await;
    assert_eq!(r.code, 3, "{r:?}");
    let r = cli
        .run("alice", &["contacts", "add", "bob", "2000000000009"])
        .await;
    assert_eq!(r.code, 3, "the name is taken: {r:?}");
    let eight: Vec<String> = (1..=8).map(|i| format!("300000000000{i}")).collect();
    let mut args = vec!["group", "create", "big"];
    args.extend(eight.iter().map(String::as_str));
    let r = cli.run("alice", &args).await;
    assert_eq!(r.code, 3, "{r:?}");
    assert!(r.stderr.contains("at most 7"), "{r:?}");
    let r = cli.run("nobody", &["send", "2000000000001", "hi"]).await;
    assert_eq!(r.code, 4, "{r:?}");
    let mut bare = tokio::process::Command::new(crate::common::bin());
    let out = bare
        .args([
            "--data-dir",
            &data.display().to_string(),
            "-p",
            "fresh",
            "register",
        ])
        .env_remove("ZAP_SERVER")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "no server known");

    // Another process holds the profile.
    {
        let _held = Profile::open(&data.join("alice")).unwrap();
        let r = cli.run("alice", &["--json", "status"]).await;
        assert_eq!(r.code, 7, "{r:?}");
        assert!(
            r.json()["error"].as_str().unwrap().contains("in use"),
            "{r:?}"
        );
    }

    // The server disappears.
    server.stop().await.expect("clean stop");
    let r = cli.run("alice", &["send", "bob", "into the void"]).await;
    assert_eq!(r.code, 5, "{r:?}");
    assert!(r.stderr.contains("cannot connect"), "{r:?}");

    // A server that answers garbage instead of 02.
    let (addr, _t) = fake(b"Bem-vindo! digite seu nome:\n", false).await;
    let garbage = Cli::new(&data, &addr.to_string());
    let r = garbage.run("dave", &["--timeout", "1", "register"]).await;
    assert_eq!(r.code, 6, "{r:?}");
    assert!(
        r.stderr.contains("no 02 (registered)") && r.stderr.contains("zap server"),
        "{r:?}"
    );
    let st = garbage.run("dave", &["--json", "status"]).await.json();
    assert_eq!(st["id"], serde_json::Value::Null, "no id invented");

    // A server that mixes garbage with a real delivery: reported, not fatal.
    let alice_id = cli.run("alice", &["--json", "status"]).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut reply = b"Bem-vindo!\n".to_vec();
    reply.extend_from_slice(format!("06{bob}{alice_id}1700000000chegou").as_bytes());
    let reply: &'static [u8] = Box::leak(reply.into_boxed_slice());
    let (addr, _t) = fake(reply, false).await;
    let mixed = Cli::new(&data, &addr.to_string());
    let r = mixed.run("alice", &["inbox"]).await;
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("bob: chegou"), "{r:?}");
    assert!(r.stderr.contains("not zap"), "{r:?}");

    let after = cli.run("alice", &["history", "bob"]).await;
    assert!(
        after.ok().stdout.starts_with(before.trim_end()),
        "history kept: {before:?} then {after:?}"
    );
    assert!(after.stdout.contains("bob: chegou"));
    let p = Profile::open(&data.join("alice")).unwrap();
    assert_eq!(p.integrity().unwrap(), "ok");
    assert_eq!(p.contacts().unwrap().len(), 1);
}

#[tokio::test]
async fn help_teaches_examples_and_exit_codes() {
    let out = tokio::process::Command::new(crate::common::bin())
        .arg("--help")
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for needle in ["Examples:", "Exit codes:", "inbox --read", "5  network"] {
        assert!(
            text.contains(needle),
            "{needle:?} missing from --help:\n{text}"
        );
    }
}

#[tokio::test]
async fn zap_subcommands_answer_under_zap_and_at_the_root_alike() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path().join("server"))).await;
    let cli = Cli::new(&dir.path().join("clients"), &server.addr());
    let alice = cli.run("alice", &["--json", "zap", "register"]).await;
    let alice = alice.ok().json()["id"].as_str().expect("id").to_owned();
    let bob = cli.run("bob", &["--json", "register"]).await;
    let bob = bob.ok().json()["id"].as_str().expect("id").to_owned();
    assert_ne!(alice, bob);
    cli.run("alice", &["zap", "contacts", "add", "bob", &bob])
        .await
        .ok();
    cli.run("alice", &["send", "bob", "dos", "dois", "jeitos"])
        .await
        .ok();
    for spelling in [&["--json", "zap", "inbox"][..], &["--json", "inbox"]] {
        let inbox = cli.run("bob", spelling).await.json();
        assert_eq!(
            inbox["unread"][0]["text"], "dos dois jeitos",
            "{spelling:?}"
        );
    }
    let under_zap = cli.run("alice", &["--json", "zap", "status"]).await.json();
    let at_root = cli.run("alice", &["--json", "status"]).await.json();
    assert_eq!(under_zap, at_root);
    assert_eq!(at_root["id"], alice.as_str());
}

/// The subcommands `reference-client <args> --help` lists.
async fn listed_commands(args: &[&str]) -> Vec<String> {
    let out = tokio::process::Command::new(crate::common::bin())
        .args(args)
        .arg("--help")
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.strip_prefix("  ").filter(|rest| !rest.starts_with(' ')))
        .filter_map(|l| Some(l.split_whitespace().next()?.to_owned()))
        .collect()
}

#[tokio::test]
async fn help_shows_the_protocols_side_by_side_and_hides_the_root_spellings() {
    assert_eq!(listed_commands(&[]).await, ["zap", "lrv", "help"]);
    assert_eq!(
        listed_commands(&["zap"]).await,
        [
            "register", "send", "inbox", "history", "contacts", "group", "status", "chat", "help"
        ]
    );
}
