//! What `conformance` grades: a server already listening (`--target`), one
//! it starts itself (`--exec`), or the built-in reference server.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};

use super::reference::Reference;
use super::run::RunArgs;
use crate::lang::t;
use crate::run::{ExecSpec, ExecTarget, Restart};
use crate::sandbox::{Mode, Sandbox};

#[derive(Debug)]
pub enum StartedTarget {
    Listening(SocketAddr),
    Exec(Arc<ExecTarget>),
    Reference(Arc<Reference>),
    /// An --exec command that did not start: every case is an ERROR that
    /// says why, as for a --target that cannot be reached.
    Failed {
        addr: SocketAddr,
        command: String,
        why: String,
    },
}

/// Resolves or starts the target `args` name.
pub async fn start_target(args: &RunArgs) -> Result<StartedTarget> {
    match (&args.exec, &args.target) {
        (Some(command), target) => {
            let addr = match target {
                Some(t) => resolve(t).await?,
                None => free_port().context("finding a free port on 127.0.0.1 for --exec")?,
            };
            let mode = args.sandbox.mode_or(Mode::None);
            let (sandbox, note) = Sandbox::resolve(mode, args.sandbox.limits())
                .map_err(|e| anyhow!("--sandbox: {e}"))?;
            if let Some(note) = note {
                eprintln!("{note}");
            }
            let spec = ExecSpec {
                command: command.clone(),
                cwd: args.cwd.clone(),
                env: args.env.clone(),
                addr,
                start_timeout: args.start_timeout,
                sandbox,
            };
            eprintln!(
                "--exec: {} `{}` ({} {addr}; --sandbox {})",
                t("starting", "iniciando"),
                spec.shell_command(),
                t("expected on", "esperado em"),
                spec.sandbox.name()
            );
            match ExecTarget::start(spec).await {
                Ok(exec) => {
                    eprintln!(
                        "--exec: {} {addr} (--sandbox {})",
                        t("up on", "no ar em"),
                        exec.confinement()
                    );
                    Ok(StartedTarget::Exec(Arc::new(exec)))
                }
                Err(why) => {
                    eprintln!("--exec: {why}");
                    Ok(StartedTarget::Failed {
                        addr,
                        command: command.clone(),
                        why,
                    })
                }
            }
        }
        (None, Some(t)) => Ok(StartedTarget::Listening(resolve(t).await?)),
        (None, None) => {
            let r = Reference::start_with(|c| args.protocol.reference(c)).await?;
            eprintln!(
                "{} {}",
                t(
                    "no --target: grading the built-in reference server at",
                    "sem --target: avaliando o servidor de referência embutido em"
                ),
                r.addr
            );
            Ok(StartedTarget::Reference(Arc::new(r)))
        }
    }
}

impl StartedTarget {
    pub fn addr(&self) -> SocketAddr {
        match self {
            StartedTarget::Listening(a) => *a,
            StartedTarget::Exec(e) => e.addr(),
            StartedTarget::Reference(r) => r.addr,
            StartedTarget::Failed { addr, .. } => *addr,
        }
    }

    /// Why every case is an ERROR before any runs: the --exec command did
    /// not start.
    pub fn failed(&self) -> Option<&str> {
        match self {
            StartedTarget::Failed { why, .. } => Some(why),
            _ => None,
        }
    }

    /// How the harness restarts it, if it can.
    pub fn restart(&self) -> Option<Arc<dyn Restart>> {
        match self {
            StartedTarget::Listening(_) | StartedTarget::Failed { .. } => None,
            StartedTarget::Exec(e) => Some(e.clone()),
            StartedTarget::Reference(r) => Some(r.clone()),
        }
    }

    /// Stops what the harness started.
    pub async fn stop(&self) -> Result<()> {
        match self {
            StartedTarget::Listening(_) | StartedTarget::Failed { .. } => Ok(()),
            StartedTarget::Exec(e) => e.shutdown().await.map_err(|e| anyhow!("--exec: {e}")),
            StartedTarget::Reference(r) => r.stop().await,
        }
    }

    /// The target as a report names it.
    pub fn describe(&self, args: &RunArgs) -> String {
        match self {
            StartedTarget::Listening(_) => args.target.clone().unwrap_or_default(),
            StartedTarget::Exec(e) => format!(
                "`{}` on {} (--sandbox {})",
                args.exec.clone().unwrap_or_default(),
                e.addr(),
                e.confinement()
            ),
            StartedTarget::Failed { addr, command, .. } => format!("`{command}` on {addr}"),
            StartedTarget::Reference(r) => format!(
                "{} ({})",
                t(
                    "the built-in reference server",
                    "o servidor de referência embutido"
                ),
                r.addr
            ),
        }
    }
}

pub async fn resolve(target: &str) -> Result<SocketAddr> {
    let mut addrs = tokio::net::lookup_host(target)
        .await
        .with_context(|| format!("--target {target}: expected HOST:PORT (e.g. 127.0.0.1:5000)"))?;
    addrs
        .next()
        .with_context(|| format!("--target {target}: the name resolved to no address"))
}

/// A port nothing listens on now: bound on 127.0.0.1, then released for the
/// target to take.
fn free_port() -> std::io::Result<SocketAddr> {
    std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()
}

/// `KEY=VALUE` for `--env`.
pub fn parse_env(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, found \"{s}\"")),
    }
}
