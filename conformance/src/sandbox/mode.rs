//! `--sandbox auto|bwrap|none`: which confinement a run uses, decided once
//! before any server starts, and said on stderr when `auto` falls back.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use super::limits::Limits;
use crate::lang::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// bwrap where bubblewrap is installed and works, none elsewhere.
    Auto,
    /// Isolated with bubblewrap; an error where it cannot run.
    Bwrap,
    /// No isolation: limits only.
    None,
}

/// A decided confinement: isolation or not, and the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sandbox {
    /// bubblewrap's path, when the server is isolated.
    pub bwrap: Option<PathBuf>,
    pub limits: Limits,
}

/// The first uid of those the harness gives servers when it runs as root:
/// far above any real account's.
pub const UID_BASE: u32 = 2_000_000;

impl Sandbox {
    /// Decides `mode` on this machine; with `auto`, a note saying why it
    /// fell back to no isolation.
    pub fn resolve(mode: Mode, limits: Limits) -> Result<(Sandbox, Option<String>), String> {
        let bwrap = match mode {
            Mode::None => None,
            Mode::Bwrap => Some(usable_bwrap().clone()?),
            Mode::Auto => match usable_bwrap() {
                Ok(path) => Some(path.clone()),
                Err(why) => {
                    let note = format!(
                        "{}: {why}",
                        t(
                            "--sandbox auto: running the servers WITHOUT isolation (resource limits only)",
                            "--sandbox auto: rodando os servidores SEM isolamento (só limites de recursos)"
                        )
                    );
                    return Ok((
                        Sandbox {
                            bwrap: None,
                            limits,
                        },
                        Some(note),
                    ));
                }
            },
        };
        Ok((Sandbox { bwrap, limits }, None))
    }

    /// `bwrap` or `none`, for reports.
    pub fn name(&self) -> &'static str {
        if self.bwrap.is_some() {
            "bwrap"
        } else {
            "none"
        }
    }
}

/// bubblewrap on PATH, and able to make a sandbox here (as the
/// unprivileged uid it will run under, when the harness is root); found
/// once per harness.
fn usable_bwrap() -> &'static Result<PathBuf, String> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND.get_or_init(|| {
        let path = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|d| d.join("bwrap"))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                t(
                    "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)",
                    "o bubblewrap não está instalado (Debian/Ubuntu: apt-get install bubblewrap)",
                )
                .to_string()
            })?;
        let mut probe = Command::new(&path);
        probe
            .args(["--ro-bind", "/", "/", "--unshare-all", "--unshare-user"])
            .args(["--uid", "1000", "--", "true"])
            .current_dir("/")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if nix::unistd::geteuid().is_root() {
            use std::os::unix::process::CommandExt as _;
            probe.uid(UID_BASE).gid(UID_BASE);
        }
        let out = probe
            .output()
            .map_err(|e| format!("{} {}: {e}", t("cannot run", "não foi possível rodar"), path.display()))?;
        if out.status.success() {
            Ok(path)
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            Err(format!(
                "{} ({}): {}",
                t(
                    "bubblewrap cannot make a sandbox here (are user namespaces disabled?)",
                    "o bubblewrap não consegue criar um sandbox aqui (namespaces de usuário desativados?)"
                ),
                out.status,
                err.trim().chars().take(300).collect::<String>()
            ))
        }
    })
}
