//! What the child does between fork and exec: the only place a process's
//! own rlimits and cgroup can be set before the student's code runs, and
//! the only `unsafe` of the crate (a `pre_exec` closure). The closure calls
//! nothing but system calls (setrlimit, write): after a fork in a
//! multi-threaded harness, nothing that allocates or locks is safe.

#![allow(unsafe_code)]

use std::fs::File;

use nix::sys::resource::{Resource, setrlimit};

/// Rlimits to set in the child, as (resource, soft, hard).
pub type Rlimits = Vec<(Resource, u64, u64)>;

/// Arranges for `cmd`'s child to set `rlimits` and write itself into each
/// of `cgroups` (their `cgroup.procs`, opened by the parent) before exec.
pub fn confine(cmd: &mut tokio::process::Command, rlimits: Rlimits, cgroups: Vec<File>) {
    let pre_exec = move || -> std::io::Result<()> {
        for file in &cgroups {
            // "0" is the writing process itself, in v1 and v2 alike.
            nix::unistd::write(file, b"0").map_err(std::io::Error::from)?;
        }
        for (resource, soft, hard) in &rlimits {
            setrlimit(*resource, *soft, *hard).map_err(std::io::Error::from)?;
        }
        Ok(())
    };
    // SAFETY: the closure only makes system calls (write, setrlimit) on
    // values prepared before the fork, which is async-signal-safe.
    unsafe {
        cmd.pre_exec(pre_exec);
    }
}
