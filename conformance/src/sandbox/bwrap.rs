//! The bubblewrap command line for one server: the system read-only, the
//! student's private copy writable at the path of their folder, a private
//! /tmp and $HOME, nothing else of the machine's files, the host's network
//! (so the harness reaches it on 127.0.0.1), new user, pid, ipc and uts
//! namespaces, no new privileges (bwrap sets PR_SET_NO_NEW_PRIVS), and a
//! clean environment.

use std::ffi::OsString;
use std::path::Path;

/// The system's folders the server may read (programs, libraries,
/// configuration); only those that exist are given.
const SYSTEM: [&str; 9] = [
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt",
];
/// The server's home inside.
pub const HOME: &str = "/home/aluno";
/// The uid and gid the server has inside (mapped to an unprivileged one
/// outside when the harness is root).
const INSIDE_ID: &str = "1000";
/// Size of the private /tmp and home (memory-backed).
const TMPFS_BYTES: u64 = 64 << 20;

/// bwrap's arguments for `shell_command` run in `folder` (where `copy` is
/// mounted), with `env` (HOST and PORT included) as its whole environment.
pub fn args(
    shell_command: &str,
    folder: &Path,
    copy: &Path,
    env: &[(String, String)],
) -> Vec<OsString> {
    let mut a: Vec<OsString> = Vec::new();
    let mut push = |items: &[&std::ffi::OsStr]| a.extend(items.iter().map(|s| s.to_os_string()));
    for dir in SYSTEM {
        let path = Path::new(dir);
        match std::fs::read_link(path) {
            // A merged /usr: /lib -> usr/lib.
            Ok(target) => push(&["--symlink".as_ref(), target.as_os_str(), dir.as_ref()]),
            Err(_) if path.is_dir() => push(&["--ro-bind".as_ref(), dir.as_ref(), dir.as_ref()]),
            Err(_) => {}
        }
    }
    let size = TMPFS_BYTES.to_string();
    for fixed in [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        &size,
        "--tmpfs",
        "/tmp",
        "--size",
        &size,
        "--tmpfs",
        "/home",
        "--dir",
        HOME,
        "--unshare-all",
        "--unshare-user",
        "--share-net",
        "--die-with-parent",
        "--uid",
        INSIDE_ID,
        "--gid",
        INSIDE_ID,
        "--clearenv",
    ] {
        push(&[fixed.as_ref()]);
    }
    push(&["--bind".as_ref(), copy.as_os_str(), folder.as_os_str()]);
    push(&["--chdir".as_ref(), folder.as_os_str()]);
    let defaults = [
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
        ("HOME", HOME),
        ("LANG", "C.UTF-8"),
        ("PYTHONUNBUFFERED", "1"),
    ];
    for (k, v) in defaults {
        if !env.iter().any(|(key, _)| key == k) {
            push(&["--setenv".as_ref(), k.as_ref(), v.as_ref()]);
        }
    }
    for (k, v) in env {
        push(&["--setenv".as_ref(), k.as_ref(), v.as_ref()]);
    }
    push(&[
        "--".as_ref(),
        "/bin/sh".as_ref(),
        "-c".as_ref(),
        shell_command.as_ref(),
    ]);
    a
}
