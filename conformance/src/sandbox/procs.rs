//! The processes of a started target, read from /proc (Linux): which are
//! alive, how much memory they hold, how many there are. Where /proc
//! cannot be read, nothing is found.

use std::path::Path;

/// One process, as much of it as the harness needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proc {
    pub pid: u32,
    pub pgrp: i32,
    /// A zombie holds no memory and no socket.
    pub zombie: bool,
    pub rss_kib: u64,
}

/// Every process whose process group is `group`.
pub fn in_group(group: i32) -> Vec<Proc> {
    all().filter(|p| p.pgrp == group).collect()
}

/// The processes with these pids (those still there).
pub fn with_pids(pids: &[u32]) -> Vec<Proc> {
    pids.iter()
        .filter_map(|pid| read(&Path::new("/proc").join(pid.to_string()), *pid))
        .collect()
}

/// How many processes (threads included) the real user `uid` runs now.
pub fn tasks_of_user(uid: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path().join("status")).ok())
        .filter(|status| field(status, "Uid:") == Some(u64::from(uid)))
        .map(|status| field(&status, "Threads:").unwrap_or(1))
        .sum()
}

fn all() -> impl Iterator<Item = Proc> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_str()?.parse::<u32>().ok()?;
            read(&e.path(), pid)
        })
}

fn read(dir: &Path, pid: u32) -> Option<Proc> {
    let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
    // `pid (comm) state ppid pgrp …`; comm may hold spaces and ')', so
    // count from the last ')'.
    let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
    let state = rest.next()?;
    let pgrp = rest.nth(1)?.parse().ok()?;
    let rss_kib = std::fs::read_to_string(dir.join("status"))
        .ok()
        .and_then(|s| field(&s, "VmRSS:"))
        .unwrap_or(0);
    Some(Proc {
        pid,
        pgrp,
        zombie: state == "Z",
        rss_kib,
    })
}

/// The first number after `name` in a /proc status file.
fn field(status: &str, name: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_found_with_its_memory() {
        let me = std::process::id();
        let found = with_pids(&[me]);
        assert_eq!(found.len(), 1);
        assert!(found[0].rss_kib > 0 && !found[0].zombie);
        let group = found[0].pgrp;
        assert!(in_group(group).iter().any(|p| p.pid == me));
        assert!(tasks_of_user(nix::unistd::getuid().as_raw()) >= 1);
    }
}
