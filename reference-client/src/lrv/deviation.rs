//! What the client tolerated: every way the server's lines differed from
//! canonical LRV, each with the spec section that tolerates it. The client
//! records them all ([`Client::deviations`](super::Client::deviations));
//! with [`Options::strict`](super::Options::strict) the first one is an
//! error instead.

use std::fmt;

use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::lrv::Deviation as ReplyDeviation;
use serde::Serialize;

/// Bytes of a line a deviation quotes.
pub const QUOTED: usize = 120;

/// Which rule the server bent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviationKind {
    /// A line ended in CRLF, not LF (lrv §3.5).
    CrLf,
    /// A line with no terminator, ended by a pause or a close (lrv §3.3 L4).
    NoTerminator,
    /// Empty lines before a line (lrv §3.3 L2, D18).
    EmptyLines,
    /// A greeting whose text is not the seed's (lrv §5, D2).
    GreetingText,
    /// A greeting that is not UTF-8 (lrv §5).
    GreetingNotUtf8,
    /// No greeting within the greeting timeout, tolerated because the
    /// caller asked to go on without it (a FAIL of lrv §5 otherwise).
    MissingGreeting,
    /// A line after the greeting, before the first reply, that does not
    /// begin with a reply code: a banner of several lines (lrv §5).
    Banner,
    /// A line that does not begin with a reply code where a reply was
    /// awaited, skipped (lrv §7.5 rule 1, §9.3).
    NotAReply,
    /// A reply that arrived when no request was waiting for one: more
    /// replies than requests (lrv §8.5, §9.3).
    Unsolicited,
    /// What the tolerant reader of lrv §7.5 reported about a reply.
    Reply(ReplyDeviation),
    /// `204` and the connection left open (lrv §6.8, D20).
    NoClose,
}

impl DeviationKind {
    /// The stable name used in `--json` output.
    pub fn name(self) -> &'static str {
        match self {
            DeviationKind::CrLf => "crlf",
            DeviationKind::NoTerminator => "no_terminator",
            DeviationKind::EmptyLines => "empty_lines",
            DeviationKind::GreetingText => "greeting_text",
            DeviationKind::GreetingNotUtf8 => "greeting_not_utf8",
            DeviationKind::MissingGreeting => "missing_greeting",
            DeviationKind::Banner => "banner",
            DeviationKind::NotAReply => "not_a_reply",
            DeviationKind::Unsolicited => "unsolicited",
            DeviationKind::Reply(d) => d.name(),
            DeviationKind::NoClose => "no_close",
        }
    }

    /// The spec section that defines what is tolerated.
    pub fn section(self) -> &'static str {
        match self {
            DeviationKind::CrLf => "lrv §3.5",
            DeviationKind::NoTerminator => "lrv §3.3 L4",
            DeviationKind::EmptyLines => "lrv §3.3 L2",
            DeviationKind::GreetingText => "lrv §5, D2",
            DeviationKind::GreetingNotUtf8
            | DeviationKind::MissingGreeting
            | DeviationKind::Banner => "lrv §5",
            DeviationKind::NotAReply => "lrv §9.3",
            DeviationKind::Unsolicited => "lrv §8.5",
            DeviationKind::Reply(ReplyDeviation::Duplicates) => "lrv §7.5, D8",
            DeviationKind::Reply(_) => "lrv §7.5",
            DeviationKind::NoClose => "lrv §6.8, D20",
        }
    }

    /// How the conformance harness grades it: most are tolerated
    /// (NON-STRICT); two are FAILs this client reads past.
    pub fn verdict(self) -> &'static str {
        match self {
            DeviationKind::MissingGreeting | DeviationKind::Reply(ReplyDeviation::Duplicates) => {
                "a FAIL, read past"
            }
            _ => "NON-STRICT",
        }
    }

    /// What happened, as a phrase.
    pub fn describe(self) -> &'static str {
        match self {
            DeviationKind::CrLf => "the line ended in CRLF, not LF",
            DeviationKind::NoTerminator => {
                "the line had no LF; it ended when the server paused or closed"
            }
            DeviationKind::EmptyLines => "empty lines came before the line",
            DeviationKind::GreetingText => "the greeting is not the seed's text",
            DeviationKind::GreetingNotUtf8 => "the greeting is not UTF-8",
            DeviationKind::MissingGreeting => "no greeting arrived; going on without it, as asked",
            DeviationKind::Banner => {
                "the greeting had more lines; this one was skipped before the first reply"
            }
            DeviationKind::NotAReply => "a line that does not begin with a reply code was skipped",
            DeviationKind::Unsolicited => "a reply arrived that answers no request; skipped",
            DeviationKind::Reply(ReplyDeviation::Text) => {
                "the reply carries human text or extra spaces around its values"
            }
            DeviationKind::Reply(ReplyDeviation::Unordered) => "the list is not in ascending order",
            DeviationKind::Reply(ReplyDeviation::Duplicates) => {
                "a number is listed twice: the list is not a set"
            }
            DeviationKind::Reply(ReplyDeviation::LeadingZeros) => {
                "a number is written with leading zeros"
            }
            DeviationKind::Reply(ReplyDeviation::FormattedCpf) => {
                "the winner's CPF is written ddd.ddd.ddd-dd"
            }
            DeviationKind::Reply(ReplyDeviation::NoWinner) => "the 207 names no winner CPF",
            DeviationKind::Reply(ReplyDeviation::NotUtf8) => "the reply is not UTF-8",
            DeviationKind::NoClose => "the server sent 204 but did not close; the client closed",
        }
    }
}

/// One deviation: what, in which line, during which exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    pub kind: DeviationKind,
    /// The request whose reply it was (`COMPRAR 7`), or `greeting`.
    pub during: String,
    /// The line, escaped and cut to [`QUOTED`] bytes; empty when there was
    /// none (a missing greeting).
    pub line: String,
}

impl Deviation {
    pub fn new(kind: DeviationKind, during: impl Into<String>, line: &[u8]) -> Self {
        Deviation {
            kind,
            during: during.into(),
            line: escape_excerpt(line, QUOTED),
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}; {}: {})",
            self.kind.describe(),
            self.during,
            self.kind.section(),
            self.kind.verdict()
        )?;
        if !self.line.is_empty() {
            write!(f, ": \"{}\"", self.line)?;
        }
        Ok(())
    }
}

impl Serialize for Deviation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Deviation", 6)?;
        st.serialize_field("kind", self.kind.name())?;
        st.serialize_field("section", self.kind.section())?;
        st.serialize_field("verdict", self.kind.verdict())?;
        st.serialize_field("during", &self.during)?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("message", &self.kind.describe())?;
        st.end()
    }
}
