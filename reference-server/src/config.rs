//! What a server instance is told at start: the protocol, where its state
//! lives, which faults and quirks are switched on, its limits, and each
//! protocol's own [`Options`].
//!
//! Generic: the protocols are named by the list in `lib.rs` ([`Protocol`],
//! [`Options`]), and each protocol reads its own options.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::fault::{Fault, NotForProtocol, Quirk};
use crate::{Options, Protocol};

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

/// Resource limits (zap §11.2 and lrv §10.2 give the same defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Simultaneous connections; one more is accepted and closed at once.
    pub max_connections: usize,
    /// Frames queued to one connection and not yet written before it is
    /// disconnected as a slow reader. Its stored items stay stored.
    pub max_queue: usize,
    /// Bytes of those frames before it is disconnected as a slow reader; a
    /// lone frame is never refused for its size.
    pub max_queue_bytes: usize,
    /// Frames one connection may send that are ignored (zap §10.2) or
    /// answered `400` (lrv §9.2) before it is closed.
    pub max_rejected: usize,
    /// A connection that completes no frame for this long is closed: bytes
    /// that never make a frame do not keep it open.
    pub idle_timeout: Duration,
    /// How long a receiver waits for more bytes before a read boundary ends
    /// an open variable frame (zap §3.4 R5) or an unterminated line
    /// (lrv §3.3 L4).
    pub settle: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 10_000,
            max_queue: 10_000,
            max_queue_bytes: DEFAULT_MAX_QUEUE_BYTES,
            max_rejected: 1_000,
            idle_timeout: Duration::from_secs(600),
            settle: Duration::from_millis(20),
        }
    }
}

/// `--max-queue-bytes` when none is given: 1 MiB, twenty of the largest
/// lrv replies (a raffle of 10,000, lrv §10.2) or a thousand of the largest
/// zap frames (zap §3.1).
pub const DEFAULT_MAX_QUEUE_BYTES: usize = 1 << 20;

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
    /// Every protocol's own options; only `protocol`'s are read.
    pub options: Options,
}

/// A [`Config`] that cannot be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// A fault or quirk of another protocol.
    NotForProtocol(NotForProtocol),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotForProtocol(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// The default protocol (the first listed: zap), no faults, no quirks,
    /// the default limits and options, state in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            protocol: Protocol::ALL[0],
            data_dir: data_dir.into(),
            faults: BTreeSet::new(),
            quirks: BTreeSet::new(),
            limits: Limits::default(),
            options: Options::default(),
        }
    }

    pub fn with_protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Whether this configuration can be served: every fault and quirk is
    /// one of the protocol's (a fault that would do nothing is refused, not
    /// ignored). [`run`](crate::run) and the command line check it.
    ///
    /// # Errors
    ///
    /// The first fault or quirk of another protocol.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for f in &self.faults {
            f.check(self.protocol)
                .map_err(ConfigError::NotForProtocol)?;
        }
        for q in &self.quirks {
            q.check(self.protocol)
                .map_err(ConfigError::NotForProtocol)?;
        }
        Ok(())
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
        assert_eq!(c.limits.max_queue_bytes, 1 << 20);
        assert_eq!(c.limits.max_rejected, 1_000);
        assert_eq!(c.limits.max_connections, 10_000);
        assert_eq!(c.limits.idle_timeout, Duration::from_secs(600));
        assert_eq!(c.limits.settle, Duration::from_millis(20));
        assert!(c.faults.is_empty() && c.quirks.is_empty());
        assert_eq!(c.options.lrv.raffle_size.get(), 100, "lrv §10.2");
        assert_eq!(c.options.lrv.draw_seed, None);
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn a_fault_or_quirk_of_another_protocol_is_refused() {
        let c = Config::new("/tmp/x").with_fault(Fault::NoGreeting);
        let e = c.validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "fault no-greeting is for lrv; this server speaks zap"
        );
        let c = c.with_protocol(Protocol::Lrv);
        assert_eq!(c.validate(), Ok(()));
        let e = c.with_quirk(Quirk::PadData).validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "quirk pad-data is for zap; this server speaks lrv"
        );
    }

    #[test]
    fn protocol_names_parse() {
        assert_eq!("zap".parse::<Protocol>(), Ok(Protocol::Zap));
        assert_eq!("lrv".parse::<Protocol>(), Ok(Protocol::Lrv));
        let e = "no-such-protocol".parse::<Protocol>().unwrap_err();
        let names: Vec<_> = Protocol::ALL.iter().map(|p| p.name()).collect();
        assert!(e.to_string().contains(&names.join(", ")), "{e}");
        assert!(names.starts_with(&["zap", "lrv"]), "zap is the default");
    }

    #[test]
    fn default_data_dir_ends_in_gabarito_protocol() {
        assert!(default_data_dir(Protocol::Zap).ends_with("gabarito/zap"));
        assert!(default_data_dir(Protocol::Lrv).ends_with("gabarito/lrv"));
    }
}
