//! A control group of its own for one student's server, where the harness
//! may make one (root, cgroup v1 controllers mounted, or a v2 subtree with
//! `pids` and `memory` delegated): a process count and a memory size the
//! kernel enforces — for root too, which RLIMIT_NPROC is not — counters
//! that say when they were hit, and membership a process cannot leave by
//! changing its process group, so the end of a run kills every process.
//! Without one, the limits fall back to rlimits and sampling (`monitor.rs`).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::limits::Limits;

#[derive(Debug)]
pub struct Cgroup {
    /// `pids` and `memory` directories (one, for v2).
    pids: PathBuf,
    memory: PathBuf,
    v2: bool,
}

/// Distinct names for the cgroups of one harness.
static NEXT: AtomicU64 = AtomicU64::new(0);

impl Cgroup {
    /// A new cgroup with `limits`, under the harness's own; `None` where
    /// the machine does not let the harness make one.
    pub fn create(limits: &Limits) -> Option<Cgroup> {
        let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
        let name = format!(
            "gabarito-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let cg = v1(&own, &name).or_else(|| v2(&own, &name))?;
        let (memory_file, pids_file) = if cg.v2 {
            ("memory.max", "pids.max")
        } else {
            ("memory.limit_in_bytes", "pids.max")
        };
        let set = std::fs::write(cg.memory.join(memory_file), limits.memory.to_string())
            .and_then(|()| std::fs::write(cg.pids.join(pids_file), limits.processes.to_string()));
        if set.is_err() {
            cg.remove();
            return None;
        }
        Some(cg)
    }

    /// The `cgroup.procs` files a child writes itself into before it
    /// starts the server, opened now: the child may not allocate.
    pub fn procs_files(&self) -> std::io::Result<Vec<File>> {
        let mut dirs = vec![&self.pids];
        if self.memory != self.pids {
            dirs.push(&self.memory);
        }
        dirs.into_iter()
            .map(|d| OpenOptions::new().write(true).open(d.join("cgroup.procs")))
            .collect()
    }

    /// Every process in the group now.
    pub fn pids(&self) -> Vec<u32> {
        std::fs::read_to_string(self.pids.join("cgroup.procs"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    /// How often a fork was refused at the process limit.
    pub fn pids_refused(&self) -> u64 {
        counter(&self.pids.join("pids.events"), "max")
    }

    /// How many processes the kernel killed at the memory limit.
    pub fn oom_kills(&self) -> u64 {
        if self.v2 {
            counter(&self.memory.join("memory.events"), "oom_kill")
        } else {
            counter(&self.memory.join("memory.oom_control"), "oom_kill")
        }
    }

    /// SIGKILL to every process in the group, until none is left (a fork
    /// bomb forks while it is being killed), for a bounded number of rounds.
    pub fn kill_all(&self) {
        for _ in 0..50 {
            let pids = self.pids();
            if pids.is_empty() {
                return;
            }
            for pid in pids {
                if let Ok(pid) = i32::try_from(pid) {
                    let _ = nix::sys::signal::kill(
                        nix::unistd::Pid::from_raw(pid),
                        nix::sys::signal::Signal::SIGKILL,
                    );
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// The directories, for a watcher that removes them if the harness dies.
    pub fn dirs(&self) -> Vec<PathBuf> {
        let mut d = vec![self.pids.clone()];
        if self.memory != self.pids {
            d.push(self.memory.clone());
        }
        d
    }

    fn remove(&self) {
        for d in self.dirs() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

impl Drop for Cgroup {
    fn drop(&mut self) {
        self.kill_all();
        // An emptied cgroup can be removed once its last process is reaped.
        for _ in 0..20 {
            if self
                .dirs()
                .iter()
                .all(|d| std::fs::remove_dir(d).is_ok() || !d.exists())
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

/// v1: `pids` and `memory` hierarchies, each under the harness's own path.
fn v1(own: &str, name: &str) -> Option<Cgroup> {
    let path_of = |controller: &str| {
        own.lines().find_map(|l| {
            let mut parts = l.splitn(3, ':');
            let (_, list, path) = (parts.next()?, parts.next()?, parts.next()?);
            list.split(',').any(|c| c == controller).then(|| {
                Path::new("/sys/fs/cgroup")
                    .join(controller)
                    .join(path.trim_start_matches('/'))
            })
        })
    };
    let pids = make(&path_of("pids")?, name)?;
    let Some(memory) = path_of("memory").and_then(|p| make(&p, name)) else {
        let _ = std::fs::remove_dir(&pids);
        return None;
    };
    Some(Cgroup {
        pids,
        memory,
        v2: false,
    })
}

/// v2: a child of the harness's cgroup, if `pids` and `memory` are
/// enabled for its children.
fn v2(own: &str, name: &str) -> Option<Cgroup> {
    let path = own.lines().find_map(|l| l.strip_prefix("0::"))?;
    let parent = Path::new("/sys/fs/cgroup").join(path.trim_start_matches('/'));
    let enabled = std::fs::read_to_string(parent.join("cgroup.subtree_control")).ok()?;
    let words: Vec<&str> = enabled.split_whitespace().collect();
    if !(words.contains(&"pids") && words.contains(&"memory")) {
        return None;
    }
    let dir = make(&parent, name)?;
    Some(Cgroup {
        pids: dir.clone(),
        memory: dir,
        v2: true,
    })
}

fn make(parent: &Path, name: &str) -> Option<PathBuf> {
    let dir = parent.join(name);
    std::fs::create_dir(&dir).ok()?;
    Some(dir)
}

/// The number after `key` in a `key value` file.
fn counter(file: &Path, key: &str) -> u64 {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(' ')?;
            (k == key).then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0)
}
