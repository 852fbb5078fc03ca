//! One student's server confined: made once per run (a private copy of
//! its folder, a cgroup, an unprivileged uid) and used for every start and
//! restart of that run, so state it keeps on disk survives its restarts
//! but not the run. The limits hit so far are kept in order, so a case can
//! ask which happened while it ran.

use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::{Arc, Mutex};

use nix::sys::resource::Resource;
use tokio::process::Command;
use tokio::task::JoinHandle;

use super::cgroup::Cgroup;
use super::child::{Rlimits, confine};
use super::limits::{Hit, Limits};
use super::mode::{Sandbox, UID_BASE};
use super::monitor::{self, Seen};
use super::procs;
use super::watcher::Watcher;
use super::workdir::Workdir;

#[derive(Debug)]
pub struct Jail {
    sandbox: Sandbox,
    /// The student's folder: where the server runs (in bwrap, where its
    /// copy is mounted).
    folder: PathBuf,
    workdir: Option<Workdir>,
    cgroup: Option<Cgroup>,
    /// The unprivileged uid bwrap runs under when the harness is root.
    uid: Option<u32>,
    hits: Mutex<(Vec<Hit>, Seen)>,
}

impl Jail {
    /// Prepares a server that runs in `folder` (the harness's own folder
    /// when `None`); `tag` tells this server's uid from another's (its
    /// first port: no two servers hold one at once).
    pub fn new(sandbox: &Sandbox, folder: Option<&Path>, tag: u16) -> Result<Jail, String> {
        let folder = match folder {
            Some(f) => std::path::absolute(f),
            None => std::env::current_dir(),
        }
        .map_err(|e| format!("the server's folder: {e}"))?;
        let root = nix::unistd::geteuid().is_root();
        let uid = (sandbox.bwrap.is_some() && root).then(|| UID_BASE + u32::from(tag));
        let workdir = match sandbox.bwrap {
            Some(_) => Some(Workdir::copy_of(&folder, uid)?),
            None => None,
        };
        let limited = sandbox.limits != Limits::unlimited();
        Ok(Jail {
            cgroup: limited.then(|| Cgroup::create(&sandbox.limits)).flatten(),
            sandbox: sandbox.clone(),
            folder,
            workdir,
            uid,
            hits: Mutex::new((Vec::new(), Seen::default())),
        })
    }

    pub fn limits(&self) -> &Limits {
        &self.sandbox.limits
    }

    /// The command that starts `shell_command` confined, with `env` added
    /// to what it sees (HOST and PORT among them).
    pub fn command(
        &self,
        shell_command: &str,
        env: &[(String, String)],
    ) -> Result<Command, String> {
        let mut cmd = match (&self.sandbox.bwrap, &self.workdir) {
            (Some(bwrap), Some(work)) => {
                let mut cmd = Command::new(bwrap);
                cmd.args(super::bwrap::args(
                    shell_command,
                    &self.folder,
                    &work.copy,
                    env,
                ))
                .current_dir("/");
                if let Some(uid) = self.uid {
                    cmd.uid(uid).gid(uid);
                }
                cmd
            }
            _ => {
                let mut cmd = Command::new("sh");
                cmd.arg("-c")
                    .arg(shell_command)
                    .current_dir(&self.folder)
                    .envs(env.iter().map(|(k, v)| (k, v)));
                if std::env::var_os("PYTHONUNBUFFERED").is_none() {
                    // A traceback printed before a crash reaches the report.
                    cmd.env("PYTHONUNBUFFERED", "1");
                }
                cmd
            }
        };
        let cgroups = match &self.cgroup {
            Some(cg) => cg
                .procs_files()
                .map_err(|e| format!("joining the server's cgroup: {e}"))?,
            None => Vec::new(),
        };
        confine(&mut cmd, self.rlimits(), cgroups);
        Ok(cmd)
    }

    fn rlimits(&self) -> Rlimits {
        let l = &self.sandbox.limits;
        let cpu = l.cpu.as_secs().max(1);
        let nofile_hard = nix::sys::resource::getrlimit(Resource::RLIMIT_NOFILE)
            .map_or(l.open_files, |(_, hard)| hard);
        let open = l.open_files.min(nofile_hard);
        let mut r = vec![
            // SIGXCPU at the limit, SIGKILL a little after.
            (Resource::RLIMIT_CPU, cpu, cpu.saturating_add(5)),
            (Resource::RLIMIT_FSIZE, l.file_size, l.file_size),
            (Resource::RLIMIT_NOFILE, open, open),
            (Resource::RLIMIT_CORE, 0, 0),
        ];
        if let Some(n) = self.nproc() {
            r.push((Resource::RLIMIT_NPROC, n, n));
        }
        r
    }

    /// RLIMIT_NPROC counts every process of the uid, not only the
    /// server's: without a cgroup, a uid of its own gets the limit, the instructor's own
    /// uid gets what it runs already plus the limit, and root none (the
    /// kernel does not enforce it for root).
    fn nproc(&self) -> Option<u64> {
        if self.cgroup.is_some() {
            // The cgroup counts exactly the server's processes, and says
            // when it refused one; an rlimit would refuse first, silently.
            return None;
        }
        if self.uid.is_some() {
            return Some(self.sandbox.limits.processes);
        }
        let me = nix::unistd::getuid();
        (!me.is_root()).then(|| {
            procs::tasks_of_user(me.as_raw()).saturating_add(self.sandbox.limits.processes)
        })
    }

    /// Whether the kernel limits the server's processes.
    fn processes_enforced(&self) -> bool {
        self.cgroup.is_some() || !nix::unistd::getuid().is_root() || self.uid.is_some()
    }

    /// A watcher that kills the server's group (`group`) and cleans up if
    /// the harness dies.
    pub fn watch(&self, group: u32) -> Result<Watcher, String> {
        let cgroups = self.cgroup.as_ref().map(Cgroup::dirs).unwrap_or_default();
        let folders: Vec<PathBuf> = self
            .workdir
            .iter()
            .map(|w| w.root().to_path_buf())
            .collect();
        Watcher::start(group, &cgroups, &folders)
    }

    /// Looks at the server once (see `monitor.rs`); records a new hit.
    pub fn check(&self, group: i32) -> Option<Hit> {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let hit = monitor::sample(
            &self.sandbox.limits,
            self.cgroup.as_ref(),
            &mut hits.1,
            group,
            !self.processes_enforced(),
        )?;
        hits.0.push(hit);
        Some(hit)
    }

    /// Samples the server whose process group is `group` every
    /// [`monitor::PERIOD`] until the task is aborted (the server stopped).
    pub fn monitor(jail: &Arc<Jail>, group: u32) -> JoinHandle<()> {
        let jail = jail.clone();
        let group = i32::try_from(group).unwrap_or(0);
        tokio::spawn(async move {
            if group <= 0 {
                return;
            }
            loop {
                tokio::time::sleep(monitor::PERIOD).await;
                let _ = jail.check(group);
            }
        })
    }

    /// A process ended by `status`: a limit it hit, as a report says it.
    pub fn explain_exit(&self, status: ExitStatus) -> Option<String> {
        let hit = Limits::hit_by_signal(status.signal().or_else(|| {
            // A shell reports its command's death by signal N as 128+N.
            status.code().and_then(|c| c.checked_sub(128))
        })?)?;
        self.hits
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .push(hit);
        Some(self.sandbox.limits.explain(hit))
    }

    /// How many hits so far; a mark for [`Self::hits_since`].
    pub fn hit_count(&self) -> usize {
        self.hits.lock().unwrap_or_else(|e| e.into_inner()).0.len()
    }

    /// The hits after `mark`, each once, as a report says them.
    pub fn hits_since(&self, mark: usize) -> Vec<String> {
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let mut said: Vec<String> = Vec::new();
        for h in hits.0.iter().skip(mark) {
            let text = self.sandbox.limits.explain(*h);
            if !said.contains(&text) {
                said.push(text);
            }
        }
        said
    }

    /// Kills every process of the server the cgroup still holds (one that
    /// left its process group); the end of a run.
    pub fn kill_all(&self) {
        if let Some(cg) = &self.cgroup {
            cg.kill_all();
        }
    }

    /// How the server is confined, for reports: `bwrap` or `none`, the
    /// cgroup, the uid.
    pub fn describe(&self) -> String {
        let mut s = self.sandbox.name().to_string();
        if self.cgroup.is_some() {
            s.push_str(" + cgroup");
        }
        if let Some(uid) = self.uid {
            s.push_str(&format!(" + uid {uid}"));
        }
        s
    }
}
