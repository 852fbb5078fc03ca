//! What registering a protocol takes ([`Spec`]) and what the one list of
//! protocols in `lib.rs` generates from it (`protocols!`): the
//! [`Protocol`](crate::Protocol) names, every protocol's own options
//! grouped in [`Options`](crate::Options), and the dispatch from a
//! [`Config`](crate::Config) to the protocol's runtime. Generic: it knows
//! no protocol; that list is the only place that names them all.

use std::fmt;

use crate::sans_io::Core;

/// A protocol as the list in `lib.rs` registers it: a unit type in the
/// protocol's folder (`zap::Zap`, `lrv::Lrv`).
pub trait Spec {
    /// The name on the command line (`--protocol`), in logs and as the
    /// data sub-directory.
    const NAME: &'static str;
    /// One line for `--help`: what it is, and its spec file.
    const SUMMARY: &'static str;
    /// Its paragraph of `--help`: how the reference server speaks it, with
    /// an example.
    const HELP: &'static str;
    /// Its own options, a clap group of their own under feature `runtime`
    /// (only the served protocol's are read).
    type Options: Clone + Default + fmt::Debug + PartialEq + Eq + Send + Sync + 'static;
    /// Its sans-I/O state machine.
    type Core: Core;
}

/// The list of protocols, written once in `lib.rs`: `Variant(field) =
/// path::Type,` per protocol, the default first. It generates
/// `Protocol` (one variant each), `Options` (one field each, flattened
/// into the command line) and, with feature `runtime`, `serve_protocol`,
/// which runs the configured one through the generic runtime (`hub/`).
macro_rules! protocols {
    ($( $(#[$doc:meta])* $variant:ident($field:ident) = $spec:ty ),+ $(,)?) => {
        /// The protocols this server speaks, as listed in `lib.rs`; the
        /// first is the default.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Protocol {
            $( $(#[$doc])* $variant, )+
        }

        impl Protocol {
            /// Every protocol, the default first.
            pub const ALL: &'static [Protocol] = &[$(Protocol::$variant),+];

            /// The name used on the command line and as the data
            /// sub-directory ([`Spec::NAME`](crate::Spec::NAME)).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Protocol::$variant => <$spec as $crate::Spec>::NAME,)+
                }
            }

            /// [`Spec::SUMMARY`](crate::Spec::SUMMARY).
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Protocol::$variant => <$spec as $crate::Spec>::SUMMARY,)+
                }
            }

            /// [`Spec::HELP`](crate::Spec::HELP).
            pub const fn help(self) -> &'static str {
                match self {
                    $(Protocol::$variant => <$spec as $crate::Spec>::HELP,)+
                }
            }
        }

        /// Every protocol's own options ([`Spec::Options`](crate::Spec::Options)),
        /// one field each; only the served protocol reads its own.
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        #[cfg_attr(feature = "runtime", derive(clap::Args))]
        pub struct Options {
            $(
                #[cfg_attr(feature = "runtime", command(flatten))]
                pub $field: <$spec as $crate::Spec>::Options,
            )+
        }

        /// Serves `config.protocol` (see [`run`](crate::run)).
        #[cfg(feature = "runtime")]
        pub(crate) async fn serve_protocol(
            listener: tokio::net::TcpListener,
            config: $crate::Config,
            shutdown: impl std::future::Future<Output = ()> + Send + 'static,
        ) -> anyhow::Result<()> {
            match config.protocol {
                $(Protocol::$variant => $crate::hub::serve::<$spec>(listener, config, shutdown).await,)+
            }
        }
    };
}
