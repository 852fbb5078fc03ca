//! How a target's process ended, as an instructor reads it: the signal by
//! name ("killed by signal 11 (SIGSEGV)"), not Rust's `signal: 11 (SIGSEGV)`
//! nor a shell's 139.

use std::os::unix::process::ExitStatusExt as _;
use std::process::ExitStatus;

use nix::sys::signal::Signal;

use crate::lang::{Lang, current};

/// What a signal is called, `SIGSEGV`, or its number alone.
fn signal_name(n: i32) -> String {
    Signal::try_from(n).map_or_else(|_| n.to_string(), |s| format!("{n} ({})", s.as_str()))
}

/// "exited with status 1", "killed by signal 11 (SIGSEGV)". A shell that
/// ran the server as its child reports the server's death by signal N as
/// status 128+N; that is said too.
pub fn describe(status: ExitStatus) -> String {
    if let Some(sig) = status.signal() {
        return killed(sig);
    }
    let Some(code) = status.code() else {
        return format!("{status}");
    };
    let by_shell = code
        .checked_sub(128)
        .filter(|n| Signal::try_from(*n).is_ok());
    match (current(), by_shell) {
        (Lang::En, Some(sig)) => {
            format!("exited with status {code}: its command was {}", killed(sig))
        }
        (Lang::PtBr, Some(sig)) => format!(
            "terminou com status {code}: seu comando foi {}",
            killed(sig)
        ),
        (Lang::En, None) => format!("exited with status {code}"),
        (Lang::PtBr, None) => format!("terminou com status {code}"),
    }
}

fn killed(sig: i32) -> String {
    match current() {
        Lang::En => format!("killed by signal {}", signal_name(sig)),
        Lang::PtBr => format!("morto pelo sinal {}", signal_name(sig)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_are_named_and_a_shells_128_plus_n_is_read_as_one() {
        assert_eq!(
            describe(ExitStatus::from_raw(11)),
            "killed by signal 11 (SIGSEGV)"
        );
        assert_eq!(
            describe(ExitStatus::from_raw(139 << 8)),
            "exited with status 139: its command was killed by signal 11 (SIGSEGV)"
        );
        assert_eq!(
            describe(ExitStatus::from_raw(1 << 8)),
            "exited with status 1"
        );
        assert_eq!(describe(ExitStatus::from_raw(0)), "exited with status 0");
    }
}
