//! What a server instance is told at start: the protocol, where its state
//! lives, which faults and quirks are switched on, and its limits.
//!
//! This module knows no protocol beyond the [`Protocol`] names; each
//! protocol module reads the parts it needs.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::fault::{Fault, Quirk};

/// The protocols this server speaks. Adding one is adding a module beside
/// `zap/` and a variant here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// WhatsApp-like messaging (`spec/zap.md`).
    Zap,
}

impl Protocol {
    pub const ALL: &'static [Protocol] = &[Protocol::Zap];

    /// The name used on the command line and as the data sub-directory.
    pub const fn name(self) -> &'static str {
        match self {
            Protocol::Zap => "zap",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown protocol, fault or quirk name, with the names that exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    pub what: &'static str,
    pub found: String,
    pub known: Vec<&'static str>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?}; known: {}",
            self.what,
            self.found,
            self.known.join(", ")
        )
    }
}

impl std::error::Error for UnknownName {}

impl FromStr for Protocol {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Protocol::ALL
            .iter()
            .copied()
            .find(|p| p.name() == s)
            .ok_or_else(|| UnknownName {
                what: "protocol",
                found: s.to_owned(),
                known: Protocol::ALL.iter().map(|p| p.name()).collect(),
            })
    }
}

/// Resource limits (zap §11.2 gives the defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Simultaneous connections; one more is accepted and closed at once.
    pub max_connections: usize,
    /// Frames queued to one connection and not yet written before it is
    /// disconnected as a slow reader. Its stored items stay stored.
    pub max_queue: usize,
    /// A connection that sends nothing for this long is closed.
    pub idle_timeout: Duration,
    /// How long a receiver waits for more bytes before a read boundary ends
    /// an open variable frame (zap §3.4 R5).
    pub settle: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 10_000,
            max_queue: 10_000,
            idle_timeout: Duration::from_secs(600),
            settle: Duration::from_millis(20),
        }
    }
}

/// Everything a server instance needs besides its listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub protocol: Protocol,
    /// The directory holding this protocol's database (created if missing).
    pub data_dir: PathBuf,
    /// Deliberate misbehaviours, for testing graders. Empty by default.
    pub faults: BTreeSet<Fault>,
    /// Conformant variations, for testing that graders tolerate them.
    pub quirks: BTreeSet<Quirk>,
    pub limits: Limits,
}

impl Config {
    /// zap, no faults, no quirks, the default limits, state in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            protocol: Protocol::Zap,
            data_dir: data_dir.into(),
            faults: BTreeSet::new(),
            quirks: BTreeSet::new(),
            limits: Limits::default(),
        }
    }

    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.faults.insert(fault);
        self
    }

    pub fn with_quirk(mut self, quirk: Quirk) -> Self {
        self.quirks.insert(quirk);
        self
    }
}

/// The default data directory for `protocol`: `gabarito/<protocol>` under
/// `$XDG_DATA_HOME`, else `~/.local/share`, else `%APPDATA%`, else the
/// current directory.
pub fn default_data_dir(protocol: Protocol) -> PathBuf {
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = env_dir("XDG_DATA_HOME")
        .or_else(|| env_dir("HOME").map(|h| h.join(".local").join("share")))
        .or_else(|| env_dir("APPDATA"))
        .unwrap_or_else(|| Path::new(".").to_path_buf());
    base.join("gabarito").join(protocol.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_zap_11_2() {
        let c = Config::new("/tmp/x");
        assert_eq!(c.protocol, Protocol::Zap);
        assert_eq!(c.limits.max_queue, 10_000);
        assert_eq!(c.limits.max_connections, 10_000);
        assert_eq!(c.limits.idle_timeout, Duration::from_secs(600));
        assert_eq!(c.limits.settle, Duration::from_millis(20));
        assert!(c.faults.is_empty() && c.quirks.is_empty());
    }

    #[test]
    fn protocol_names_parse() {
        assert_eq!("zap".parse::<Protocol>(), Ok(Protocol::Zap));
        let e = "lrv".parse::<Protocol>().unwrap_err();
        assert!(e.to_string().contains("known: zap"), "{e}");
    }

    #[test]
    fn default_data_dir_ends_in_gabarito_protocol() {
        assert!(default_data_dir(Protocol::Zap).ends_with("gabarito/zap"));
    }
}
