//! What `bench` loads when it is not the built-in reference server: a
//! `--target` address, or a server it starts with `--exec`. Knows no
//! protocol.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::lang::t;
use crate::run::{ExecSpec, ExecTarget};

/// What is loaded when it is not the built-in reference server.
#[derive(Debug)]
pub struct Target {
    pub name: String,
    /// Known already (--exec); otherwise `name` is resolved.
    pub addr: Option<SocketAddr>,
    /// Whose memory the idle scenario reads.
    pub pid: Option<u32>,
}

impl Target {
    pub async fn resolve(&self) -> Result<SocketAddr> {
        match self.addr {
            Some(a) => Ok(a),
            None => resolve(&self.name).await,
        }
    }
}

/// Starts the --exec target (on --target's address, or a free port).
/// Starts `command` on `target`'s address, or a free port on 127.0.0.1.
pub async fn start_exec(
    target: Option<&str>,
    command: &str,
    cwd: Option<PathBuf>,
    env: Vec<(String, String)>,
) -> Result<ExecTarget> {
    let addr = match target {
        Some(t) => resolve(t).await?,
        None => std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .context("finding a free port on 127.0.0.1 for --exec")?,
    };
    let spec = ExecSpec {
        command: command.to_string(),
        cwd,
        env,
        addr,
        start_timeout: Duration::from_secs(10),
        // A load test measures the server as it is: no isolation, no limit.
        sandbox: crate::sandbox::Sandbox {
            bwrap: None,
            limits: crate::sandbox::Limits::unlimited(),
        },
    };
    eprintln!(
        "--exec: {} `{}` ({} {addr})",
        t("starting", "iniciando"),
        spec.shell_command(),
        t("expected on", "esperado em")
    );
    ExecTarget::start(spec)
        .await
        .map_err(|e| anyhow::anyhow!("--exec: {e}"))
}

/// `HOST:PORT` as an address, or why it is none.
pub async fn resolve(target: &str) -> Result<SocketAddr> {
    tokio::net::lookup_host(target)
        .await
        .with_context(|| format!("--target {target}: expected HOST:PORT (e.g. 127.0.0.1:5000)"))?
        .next()
        .with_context(|| format!("--target {target}: the name resolved to no address"))
}
