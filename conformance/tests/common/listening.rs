//! A `conformance` subcommand that listens (`proxy`, `serve`) running in
//! the background: where it says it listens, and its stdout lines as they
//! come. English whatever the machine's locale, unless the arguments say
//! `--lang`.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio::time::timeout;

use super::client::PATIENCE;

pub struct Listening {
    pub child: Child,
    pub addr: String,
    /// The first line on stderr: where it listens.
    pub banner: String,
    pub lines: mpsc::UnboundedReceiver<String>,
}

impl Listening {
    /// Runs `conformance ARGS…`; resolves once it has said where it listens.
    pub async fn start(args: &[&str]) -> Listening {
        let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
            .args(args)
            .env("LC_ALL", "C")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the conformance binary starts");
        let mut errors = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let banner = timeout(PATIENCE, errors.next_line())
            .await
            .unwrap_or_else(|_| panic!("conformance {} says where it listens", args[0]))
            .expect("stderr is readable")
            .expect("a first line");
        let addr = listening_address(&banner);
        tokio::spawn(async move { while let Ok(Some(_)) = errors.next_line().await {} });
        let (tx, lines) = mpsc::unbounded_channel();
        let mut out = BufReader::new(child.stdout.take().expect("stdout")).lines();
        tokio::spawn(async move {
            while let Ok(Some(l)) = out.next_line().await {
                let _ = tx.send(l);
            }
        });
        Listening {
            child,
            addr,
            banner,
            lines,
        }
    }
}

/// The `HOST:PORT` in a line like `listening on 127.0.0.1:5000, …`.
pub fn listening_address(banner: &str) -> String {
    banner
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', ':', ';']))
        .find(|w| w.parse::<std::net::SocketAddr>().is_ok())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no address in {banner:?}"))
}
