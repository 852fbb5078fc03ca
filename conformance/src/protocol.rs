//! What the generic runner needs from a protocol, and nothing more: turn a
//! script's message text into field templates, encode resolved fields into
//! wire bytes, read a byte stream tolerantly into frames, and name the
//! values every case starts with. The runner never looks inside a
//! protocol's codes or layouts.

pub use gabarito_codec::framing::End;

use crate::script::template::{Template, Vars};

/// How a field's value is compared and normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Compared exactly; transcripts show captured names instead of values.
    Id,
    /// Compared exactly.
    Plain,
    /// One of a list of ids whose order is prescribed but whose membership is
    /// what matters: the same ids in another order are a tolerated deviation.
    Member,
    /// Free text: a received value that differs from the expected one only by
    /// trailing spaces or NULs is a tolerated deviation (padding).
    Text,
}

/// A field of a received or sent frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValue {
    pub name: &'static str,
    pub kind: FieldKind,
    pub value: Vec<u8>,
}

/// A deviation the receiver tolerated, or a rule the sender broke, tied to
/// the spec section that allows or forbids it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    pub section: String,
    pub text: String,
}

/// A decoded frame, in a protocol-neutral shape: its code and its fields in
/// wire order, the exact bytes it came from, and what was tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub fields: Vec<FieldValue>,
    pub raw: Vec<u8>,
    pub tolerated: Vec<Deviation>,
    /// A message the target sends of its own accord at a fixed position (a
    /// greeting, lrv §5), not in answer to anything: an `expect` that does
    /// not ask for it steps over it, so only the cases about it see it.
    pub preamble: bool,
    /// The section that tolerates this frame's [`FieldKind::Member`] fields
    /// in another order (zap §8.2); the matcher names it when it does.
    pub members_section: &'static str,
    /// Rules of the seed this frame breaks while it can still be read (zap
    /// D17: a 13-character id that is not digits). A case that cites the
    /// section FAILs on it; every other case goes on with the bytes as they
    /// came, so one deviation is one FAIL, not one per case.
    pub violations: Vec<Deviation>,
}

impl Frame {
    /// The fields as text, separated by spaces: how a frame reads in reports.
    pub fn display(&self) -> String {
        self.fields
            .iter()
            .map(|f| gabarito_codec::escape::escape_bytes(&f.value))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a tolerant reader takes off a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadItem {
    Frame(Frame),
    /// Bytes that are no frame: a banner, an invented reply, a malformed
    /// frame. The reader has stepped over them.
    Garbage {
        bytes: Vec<u8>,
        why: String,
        section: String,
    },
}

/// A stateful, tolerant reader of one direction of one connection.
pub trait FrameReader: Send {
    fn push(&mut self, bytes: &[u8]);
    /// The next item, if any is decidable now; `End::Boundary` once the peer
    /// paused or closed (the settle rule of the protocol's framing).
    fn next(&mut self, end: End) -> Option<ReadItem>;
    /// Bytes received and not yet taken.
    fn pending(&self) -> &[u8];
    /// What the bytes still pending are, now that the peer has closed and
    /// `next(End::Boundary)` has taken all it could: an incomplete frame,
    /// named with the section of the protocol's framing that says so.
    fn closed(&mut self) -> Option<ReadItem>;
}

/// A protocol, as the runner sees it.
pub trait Protocol: Send + Sync {
    fn name(&self) -> &'static str;

    /// Splits a script's message text (what follows `send` or `expect`) into
    /// templates: the code first, then one per field. `col0` is the column of
    /// `text`, for errors.
    fn parse_message(&self, text: &str, col0: usize) -> Result<Vec<Template>, (usize, String)>;

    /// The wire bytes of a message whose fields are resolved (code first).
    /// Errors say which field is invalid and why.
    fn encode(&self, fields: &[Vec<u8>]) -> Result<Vec<u8>, String>;

    /// The field names and kinds of a message with these fields, as the
    /// reader would report them (for transcripts of what the harness sent).
    fn describe(&self, bytes: &[u8]) -> Option<Frame>;

    /// What bytes the harness wrote say, read as a receiver would (glued
    /// frames split, garbage named), for the exchange log.
    fn describe_raw(&self, bytes: &[u8]) -> String;

    /// A reader for what the target sends.
    fn reader(&self) -> Box<dyn FrameReader>;

    /// Whether `bytes` end in a frame a receiver can only end at a pause
    /// (zap §3.4 R5: a 05's data, a 10's members). After one, the harness
    /// waits past the target's settle time before it writes again on any
    /// connection — otherwise a frame sent next, even on another
    /// connection, may be acted on first, and the script's order is lost.
    fn ends_open(&self, _bytes: &[u8]) -> bool {
        false
    }

    /// Whether `bytes` end in a frame the target never answers (zap's 03):
    /// the script cannot see when the target acted on it, so the harness
    /// pauses as after an open frame before it writes again. Otherwise a
    /// server that serves each client on a thread may act on another
    /// connection's next frame first (a 05 before the recipient's 03), and
    /// the case would grade the scheduler, not the server.
    fn unanswered(&self, _bytes: &[u8]) -> bool {
        false
    }

    /// Whether the target speaks first on every connection (lrv §5). The
    /// harness then waits for that first line (up to `--quiet`) before it
    /// writes: a greeting without a terminator written just before the
    /// first reply would be glued to it and the two read as one line.
    fn greets(&self) -> bool {
        false
    }

    /// Learns, once before any case runs, how the target speaks where the
    /// seed allows several readings (lrv D1, D14: the terminator its
    /// requests need, where its raffle's numbers start), so that every case
    /// speaks it and grades what the case is about. The cases that check
    /// the canonical form report the reading the target took. Default:
    /// nothing to learn.
    fn learn<'a>(
        &'a self,
        _target: std::net::SocketAddr,
        _opts: &'a crate::run::RunOptions,
    ) -> crate::run::BoxFuture<'a, ()> {
        Box::pin(std::future::ready(()))
    }

    /// Whether a case run a second time against the same target means what
    /// it meant the first time (the runner runs again, alone, a case that
    /// failed beside others). Not for lrv: the raffle is one state every
    /// case shares and no purchase is ever undone (lrv §8.3), so a case run
    /// again finds its own numbers sold and fails on that instead.
    fn cases_repeat(&self) -> bool {
        true
    }

    /// The section that defines the layout of `frame`'s message (zap: the
    /// 06's is §6.2). A case that expects such a message and gets one of
    /// another shape FAILs only if that is the first section it cites; any other case
    /// could not see its own requirement through it, and is an ERROR that
    /// names the case that grades the shape.
    fn layout_section(&self, _frame: &Frame) -> Option<&'static str> {
        None
    }

    /// The sentence of the seed that asks a server to serve several
    /// clients at once, quoted by the finding of a run in which cases
    /// failed beside others and passed alone (`<protocol>.concurrency`).
    fn concurrency_seed(&self) -> Option<&'static str> {
        None
    }

    /// Names a script may use without capturing them first: values the
    /// protocol gives every case (lrv: the raffle size, fresh CPFs).
    fn preset_names(&self) -> Vec<String> {
        Vec::new()
    }

    /// The values of [`Protocol::preset_names`] for one case. Called once
    /// per case, so a value meant to be fresh (a CPF no earlier case or run
    /// has used) differs between cases.
    fn presets(&self) -> Vars {
        Vars::new()
    }
}
