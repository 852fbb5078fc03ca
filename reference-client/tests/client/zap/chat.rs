//! The interactive mode, driven through tmux like a person would: keys in
//! with send-keys, the screen read back with capture-pane.

use std::process::Command;
use std::time::Duration;

use gabarito_client::zap::{Event, Id};

use crate::common::{Cli, Config, PATIENCE, Server, Users, bin, event};

const TMUX: &str = "/usr/bin/tmux";

/// A private tmux server (its own socket) running one session; killed on
/// drop, whatever happens.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Option<Tmux> {
        if !std::path::Path::new(TMUX).exists() {
            return None;
        }
        let socket = format!("gabarito-client-test-{}", std::process::id());
        let t = Tmux { socket };
        let ok = t
            .tmux(&[
                "new-session",
                "-d",
                "-s",
                "chat",
                "-x",
                "160",
                "-y",
                "50",
                command,
            ])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
        t.tmux(&["set-option", "-t", "chat", "remain-on-exit", "on"]);
        Some(t)
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new(TMUX)
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux")
    }

    /// Types `text` and presses Enter.
    fn type_line(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "chat", "-l", text]);
        self.tmux(&["send-keys", "-t", "chat", "Enter"]);
    }

    fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-J", "-t", "chat", "-S", "-1000"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until `needle` is on the screen `times` times.
    async fn wait_for(&self, needle: &str, times: usize) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let screen = self.screen();
            if screen.matches(needle).count() >= times {
                return screen;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("{needle:?} (x{times}) never appeared; the screen:\n{screen}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatting_live_with_receipts_and_a_server_restart() {
    if !std::path::Path::new(TMUX).exists() {
        eprintln!("SKIPPED: {TMUX} is not installed; the interactive chat test needs tmux");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(Config::new(dir.path().join("server"))).await;
    let data = dir.path().join("clients");
    let cli = Cli::new(&data, &server.addr());
    let alice = Id::parse(&cli.register("alice").await)
        .unwrap()
        .into_owned();
    let (bob, mut b) = server.user().await;
    cli.run("alice", &["contacts", "add", "bob", bob.as_str()])
        .await
        .ok();
    // Something waiting before the chat starts.
    b.send(&alice, "chegou antes").await.unwrap();

    let args: Vec<String> = cli.args("alice").iter().map(|a| quote(a)).collect();
    let command = format!("exec {} {} chat", quote(bin()), args.join(" "));
    let tmux = Tmux::start(&command).expect("tmux present");
    tmux.wait_for("* connected to", 1).await;
    let screen = tmux.wait_for("[bob] ", 1).await;
    assert!(
        screen.contains("bob: chegou antes   (/open bob)"),
        "{screen}"
    );

    // Opening the conversation shows it and sends a read receipt.
    tmux.type_line("/open bob");
    tmux.wait_for("── bob (contact", 1).await;
    assert!(
        matches!(event(&mut b).await, Event::Delivered { .. }),
        "the 07 for 'chegou antes'"
    );
    assert!(matches!(event(&mut b).await, Event::Read { by, .. } if by == alice));

    // A message typed goes to bob; its marks follow bob's receipts.
    tmux.type_line("olá bob, tudo bem?");
    tmux.wait_for("me: olá bob, tudo bem? ·", 1).await;
    let m = match event(&mut b).await {
        Event::Message(m) => m,
        other => panic!("{other:?}"),
    };
    assert_eq!(m.text.as_str(), "olá bob, tudo bem?");
    tmux.wait_for("✓ delivered to bob: \"olá bob, tudo bem?\"", 1)
        .await;
    b.mark_read(&alice, &m.timestamp).await.unwrap();
    tmux.wait_for("✓✓ read by bob: \"olá bob, tudo bem?\"", 1)
        .await;

    // bob answers while the conversation is open: shown at once, read.
    b.send(&alice, "tudo ótimo").await.unwrap();
    tmux.wait_for("bob: tudo ótimo", 1).await;
    assert!(matches!(event(&mut b).await, Event::Delivered { .. }));
    assert!(matches!(event(&mut b).await, Event::Read { by, .. } if by == alice));

    // Bad input is refused on screen, nothing sent.
    tmux.type_line(&"x".repeat(219));
    tmux.wait_for("message too long: 219 characters", 1).await;
    tmux.type_line("/open zed");
    tmux.wait_for("unknown contact or group \"zed\"", 1).await;

    // The server restarts: the chat notices, reconnects, goes on.
    drop(b);
    server.restart().await;
    tmux.wait_for("connection lost", 1).await;
    tmux.wait_for("* connected to", 2).await;
    let mut b = server.client().await;
    b.login(bob.clone()).await.unwrap();
    b.send(&alice, "depois do restart").await.unwrap();
    tmux.wait_for("bob: depois do restart", 1).await;
    tmux.type_line("de volta");
    let m = loop {
        match event(&mut b).await {
            Event::Message(m) => break m,
            Event::Delivered { .. } | Event::Read { .. } => {}
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(m.text.as_str(), "de volta");

    tmux.type_line("/quit");
    tmux.wait_for("bye", 1).await;
    // The chat stored everything: the history shows it with its marks.
    let h = cli.run("alice", &["history", "bob"]).await;
    let h = &h.ok().stdout;
    for line in [
        "bob: chegou antes",
        "me: olá bob, tudo bem? ✓✓",
        "bob: tudo ótimo",
        "bob: depois do restart",
        "me: de volta",
    ] {
        assert!(h.contains(line), "{line:?} not in history:\n{h}");
    }
}

#[tokio::test]
async fn chat_reads_plain_lines_when_stdin_is_not_a_terminal() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path().join("server"))).await;
    let cli = Cli::new(&dir.path().join("clients"), &server.addr());
    cli.register("alice").await;
    let (bob, mut b) = server.user().await;
    cli.run("alice", &["contacts", "add", "bob", bob.as_str()])
        .await
        .ok();
    let mut child = tokio::process::Command::new(bin())
        .args(cli.args("alice"))
        .arg("chat")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all("/open bob\nfrom a pipe\n/quit\n".as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = tokio::time::timeout(PATIENCE, child.wait_with_output())
        .await
        .expect("chat ends at /quit")
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("me: from a pipe"), "{stdout}");
    match event(&mut b).await {
        Event::Message(m) => assert_eq!(m.text.as_str(), "from a pipe"),
        other => panic!("{other:?}"),
    }
}
