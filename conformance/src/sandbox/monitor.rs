//! Watching a running server for the limits the kernel does not enforce
//! or does not report: a sample of its processes every
//! [`PERIOD`]. With a cgroup, the kernel's own counters say when a limit
//! was hit. Without one, the harness sums the resident memory of the
//! server's process group and kills the group over the limit, and — for
//! root, where RLIMIT_NPROC is not enforced — counts its processes and
//! kills the group over that limit too. (Sampling is not a hard bound: a
//! server can overshoot by what it allocates in one period.)

use std::time::Duration;

use super::cgroup::Cgroup;
use super::limits::{Hit, Limits};
use super::procs;

pub const PERIOD: Duration = Duration::from_millis(100);

/// The counters already reported, so each hit is reported once.
#[derive(Debug, Default)]
pub struct Seen {
    refused: u64,
    oom: u64,
}

/// One look at the server whose process group is `group`; a limit it hit
/// since the last look. `kill_processes`: the kernel does not limit its
/// processes, so the harness does.
pub fn sample(
    limits: &Limits,
    cgroup: Option<&Cgroup>,
    seen: &mut Seen,
    group: i32,
    kill_processes: bool,
) -> Option<Hit> {
    if let Some(cg) = cgroup {
        let (refused, oom) = (cg.pids_refused(), cg.oom_kills());
        let hit = if oom > seen.oom {
            Some(Hit::Memory)
        } else if refused > seen.refused {
            Some(Hit::Processes)
        } else {
            None
        };
        (seen.refused, seen.oom) = (refused, oom);
        return hit;
    }
    if group <= 0 {
        // No server running: nothing to look at (and killpg(0) would be
        // the harness's own group).
        return None;
    }
    let members: Vec<_> = procs::in_group(group)
        .into_iter()
        .filter(|p| !p.zombie)
        .collect();
    let rss: u64 = members.iter().map(|p| p.rss_kib * 1024).sum();
    let hit = if rss > limits.memory {
        Some(Hit::Memory)
    } else if kill_processes && members.len() as u64 > limits.processes {
        Some(Hit::Processes)
    } else {
        None
    };
    if hit.is_some() {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(group),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    hit
}
