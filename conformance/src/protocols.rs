//! Every protocol the harness knows, in one list ([`ALL`]): the only place
//! that names them all. Each protocol's folder (`zap/`, `lrv/`) describes
//! itself in an [`Entry`] — how the runner speaks it, how the built-in
//! reference server is set up for it, how `decode`, `proxy`, `serve` and
//! `bench` handle it — and every subcommand finds it here by the name
//! `--protocol` gives. Adding a protocol is its folder, its `pub mod` in
//! `lib.rs`, one line in [`ALL`] and, if it has options, one `flatten` in
//! [`ProtocolArgs`] (docs/ADDING_A_PROTOCOL.md).

use std::sync::Arc;

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use crate::explain::Sender;
use crate::protocol::Protocol;
use crate::proxy::Lens;

/// Every protocol, the default ([`DEFAULT`]) first.
pub const ALL: &[&Entry] = &[&crate::zap::ENTRY, &crate::lrv::ENTRY];

/// The protocol of a command line that names none.
pub const DEFAULT: &Entry = ALL[0];

/// One protocol, as the subcommands find it.
pub struct Entry {
    /// What `--protocol` takes, and what case ids and suites start with.
    pub name: &'static str,
    /// One line for `--protocol`'s help: what it is and its spec.
    pub about: &'static str,
    /// The adapter the runner grades a target with.
    pub harness: fn(&ProtocolArgs) -> Arc<dyn Protocol>,
    /// The built-in reference server's configuration for this protocol.
    pub reference: fn(gabarito_server::Config, &ProtocolArgs) -> gabarito_server::Config,
    /// `conformance decode --protocol NAME`.
    pub decode: Decode,
    /// `conformance proxy` and `conformance serve --protocol NAME`.
    pub relay: Relay,
    /// `conformance bench --protocol NAME`: its load generator, if it has
    /// one (`bench --help` names those that do).
    pub bench: Option<fn(&crate::cli::bench::BenchArgs) -> anyhow::Result<i32>>,
}

/// How `proxy` and `serve` handle one protocol: both are written once over
/// the protocol's [`Lens`], and the entry points at them made for it
/// ([`Relay::of`]).
#[derive(Debug)]
pub struct Relay {
    pub proxy: fn(&crate::cli::proxy::ProxyArgs) -> anyhow::Result<i32>,
    pub serve: fn(&crate::cli::serve::ServeArgs) -> anyhow::Result<i32>,
    /// [`Lens::PROXY_HELP`].
    pub proxy_help: &'static str,
    /// [`Lens::SERVE_HELP`].
    pub serve_help: &'static str,
}

impl Relay {
    /// `proxy` and `serve` over the lens `L`.
    pub const fn of<L: Lens>() -> Relay {
        Relay {
            proxy: crate::cli::proxy::run_as::<L>,
            serve: crate::cli::serve::run_as::<L>,
            proxy_help: L::PROXY_HELP,
            serve_help: L::SERVE_HELP,
        }
    }
}

/// How `decode` explains one protocol's messages.
#[derive(Debug)]
pub struct Decode {
    /// A trailing newline read from standard input belongs to the message
    /// (it is lrv's terminator), or is `echo`'s and is dropped (zap).
    pub keeps_newline: bool,
    /// Explains `input` — one message, or with `stream` a byte stream —
    /// as `from` sends it (`None`: the protocol's default) into `out`;
    /// whether it was all valid (NON-STRICT included).
    pub run: fn(input: &[u8], stream: bool, from: Option<Sender>, out: &mut String) -> bool,
    /// The paragraph of `decode --help` about this protocol.
    pub help: &'static str,
    /// Its lines of `decode --help`'s examples.
    pub examples: &'static str,
}

impl Entry {
    /// The entry `name` stands for.
    pub fn named(name: &str) -> Option<&'static Entry> {
        ALL.iter().copied().find(|e| e.name == name)
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Entry").field(&self.name).finish()
    }
}

impl std::fmt::Display for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Entry {}

/// `--protocol NAME`: a value of [`ALL`], with its `about` in the help.
impl ValueEnum for &'static Entry {
    fn value_variants<'a>() -> &'a [Self] {
        ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name).help(self.about))
    }
}

/// `--protocol` and the options a protocol needs to be graded, defined once
/// for a single run and for `grade`: which adapter the runner uses, and how
/// the built-in reference server is configured to match it.
#[derive(Debug, Clone, Args)]
pub struct ProtocolArgs {
    /// The protocol the target speaks.
    #[arg(long, value_enum, default_value_t = DEFAULT)]
    pub protocol: &'static Entry,
    #[command(flatten)]
    pub lrv: crate::lrv::Options,
}

impl ProtocolArgs {
    pub fn protocol(&self) -> Arc<dyn Protocol> {
        (self.protocol.harness)(self)
    }

    /// The built-in reference server's configuration for this protocol.
    pub fn reference(&self, config: gabarito_server::Config) -> gabarito_server::Config {
        (self.protocol.reference)(config, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_each_adapter_bears_its_own() {
        let args = ProtocolArgs {
            protocol: DEFAULT,
            lrv: crate::lrv::Options::default(),
        };
        for (i, e) in ALL.iter().enumerate() {
            assert_eq!(Entry::named(e.name), Some(*e));
            assert!(
                ALL[..i].iter().all(|o| o.name != e.name),
                "{} twice",
                e.name
            );
            let args = ProtocolArgs {
                protocol: e,
                ..args.clone()
            };
            assert_eq!(args.protocol().name(), e.name);
        }
        assert_eq!(Entry::named("nope"), None);
    }
}
