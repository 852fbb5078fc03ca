//! No server outlives the harness. Each started server gets a watcher: a
//! tiny shell, in a process group of its own (a Ctrl-C at the terminal
//! does not reach it) that ignores the usual signals and reads a socket whose other end only
//! the harness holds. When the harness dies — even by SIGKILL, which no
//! handler sees — that end is closed by the kernel, the read ends, and
//! the watcher kills the server's process group and every process left in
//! its cgroup, then removes the cgroup and the sandbox's folder. When the
//! harness stops the server itself, it kills the watcher first.

use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::Stdio;

use tokio::process::{Child, Command};

/// What the watcher runs: `$1` the process group, then cgroup folders up
/// to `--`, then folders to remove.
const SCRIPT: &str = r#"trap '' INT TERM HUP QUIT
read _ignored
group=$1; shift
kill -KILL -- "-$group" 2>/dev/null
for _round in 1 2 3 4 5 6 7 8 9 10; do
  for d in "$@"; do
    [ "$d" = "--" ] && break
    for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  done
  sleep 0.1
done
cleanup=no
for d in "$@"; do
  if [ "$d" = "--" ]; then cleanup=yes; continue; fi
  if [ $cleanup = yes ]; then rm -rf -- "$d"; else rmdir -- "$d" 2>/dev/null; fi
done"#;

#[derive(Debug)]
pub struct Watcher {
    child: Child,
    /// Held, never written: its closing is the signal. (A socket pair,
    /// not a pipe: both ends are close-on-exec, so no other child of the
    /// harness holds it open.)
    _pipe: UnixStream,
}

impl Watcher {
    /// Starts a watcher for the process group `group`.
    pub fn start(group: u32, cgroups: &[PathBuf], folders: &[PathBuf]) -> Result<Watcher, String> {
        let (write, read) =
            UnixStream::pair().map_err(|e| format!("a socket pair for the watcher: {e}"))?;
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(SCRIPT)
            .arg("gabarito-watcher")
            .arg(group.to_string())
            .args(cgroups)
            .arg("--")
            .args(folders)
            .stdin(Stdio::from(OwnedFd::from(read)))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true);
        let child = cmd
            .spawn()
            .map_err(|e| format!("starting the watcher of the target: {e}"))?;
        Ok(Watcher {
            child,
            _pipe: write,
        })
    }

    /// Ends the watcher without it doing anything: the harness is
    /// stopping the server itself.
    pub async fn dismiss(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}
