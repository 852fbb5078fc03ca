//! What the proxy and `serve` need from a protocol, and nothing more: how
//! each side's bytes split into messages ([`Framing`]), what a client must
//! and should do ([`Rules`]), how an item reads on the console ([`Shown`])
//! and in a recorded script ([`Step`]). Each protocol implements [`Lens`]
//! in its own folder (`zap/proxy/`, `lrv/proxy/`); the watch, the
//! examiner and the command lines are written once over it.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::finding::{Check, Finding};
use super::script_log::Step;
use super::tap::{Framing, ObservedOf};

/// A protocol, as the proxy and `serve` see it.
pub trait Lens: Send + 'static {
    type Framing: Framing;
    /// What the rules learn across connections (the ids a server
    /// assigned, …): one per proxy or `serve`.
    type World: Default + Debug + Send + 'static;
    type Rules: Rules<Framing = Self::Framing>;

    /// How reports name the protocol and its messages.
    const TERMS: Terms;
    /// What `serve` reports a verdict on, in report order.
    const CHECKS: &'static [Check];
    /// The paragraph of `proxy --help` about this protocol: what the proxy
    /// skips, checks and waits for.
    const PROXY_HELP: &'static str;
    /// The paragraph of `serve --help` about this protocol: the server's
    /// behaviour and each check.
    const SERVE_HELP: &'static str;

    /// The rules for one connection. `complete`: `world` sees everything
    /// the server ever did (a fresh server only this process talks to);
    /// `settle`: the receiver's settle time.
    fn rules(world: Arc<Mutex<Self::World>>, complete: bool, settle: Duration) -> Self::Rules;

    /// How `o` reads on the proxy's console, before the verdicts.
    fn show(o: &ObservedOf<Self::Framing>) -> Shown;

    /// Whether what [`Lens::show`] says of `o` already says what `f` says
    /// (the framing fault of bytes that are no message): `f` is then not
    /// repeated under it.
    fn restates(_o: &ObservedOf<Self::Framing>, _f: &Finding) -> bool {
        false
    }

    /// The step of the recorded script for `o`, and the section it
    /// exercises; `None` for nothing to replay.
    fn step(o: &ObservedOf<Self::Framing>) -> Option<(Step, Option<&'static str>)>;
}

/// How reports name a protocol and its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms {
    /// As sections are cited (`zap §3.6`), scripts begin (`protocol zap`)
    /// and JSON reports say.
    pub name: &'static str,
    /// What its messages are called in counts, in English and Portuguese:
    /// `frame(s)`, `line(s)`.
    pub messages: (&'static str, &'static str),
    /// The section that says a sender's pause ends a message: `§3.4 R5`.
    pub pause: &'static str,
}

/// What a client must and should do, applied to one connection.
pub trait Rules: Debug + Send + 'static {
    type Framing: Framing;

    /// Checks an item the client sent.
    fn client(&mut self, o: &ObservedOf<Self::Framing>) -> Vec<Finding>;

    /// Learns from an item the server sent; what the proxy says of it
    /// besides (a tolerated deviation). `serve` grades only the client.
    fn server(&mut self, o: &ObservedOf<Self::Framing>) -> Vec<Finding>;

    /// How many items the check `id` looked at.
    fn checked(&self, id: &str) -> usize;

    /// Said before a client item is judged: when the oldest byte the
    /// server sent that is no item yet was read, if any — a reply still
    /// open, which only the server's pause will end (zap §3.4 R5, lrv §3.3
    /// L4). Nothing, by default.
    fn server_pending(&mut self, _since: Option<tokio::time::Instant>) {}
}

/// One item on the proxy's console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// A message's fields (`05 send src=…`), or what bytes that are no
    /// message are.
    pub text: String,
    /// Lines under it: the excerpt and caret of a fault.
    pub more: Vec<String>,
    pub kind: Said,
    /// When its bytes are shown under it.
    pub bytes: Bytes,
}

impl Shown {
    /// A message in one line; its bytes with `--bytes` or a FAIL.
    pub fn message(text: String) -> Shown {
        Shown {
            text,
            more: Vec::new(),
            kind: Said::Message,
            bytes: Bytes::AsAsked,
        }
    }

    /// Bytes that are no message: what they are, and the lines under it.
    pub fn other(kind: Said, text: String, more: Vec<String>, bytes: Bytes) -> Shown {
        Shown {
            text,
            more,
            kind,
            bytes,
        }
    }
}

/// What an item is, for its mark on the console and the fault count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    /// A message: ✓, or ✗ and the rules it breaks, follow it.
    Message,
    /// Bytes no receiver can take, the sender's fault: `✗ …`.
    Fault,
    /// Bytes a receiver steps over, tolerated or said by a finding: `· …`.
    Note,
}

/// When an item's bytes are shown under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bytes {
    /// With `--bytes`, or when a rule it breaks needs them seen.
    AsAsked,
    Always,
    /// Never: [`Shown::more`] shows them already.
    Never,
}
