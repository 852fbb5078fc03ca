//! What the line protocols share (lrv §3, papo §3): how a line ended, and
//! a line taken off the head of a buffer. Each protocol's `line.rs` keeps
//! its own limits and rules for where a line ends, and re-exports these.

/// How a line ended (lrv §3.1, papo §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Terminator {
    /// `\n`: canonical.
    Lf,
    /// `\r\n`: tolerated, NON-STRICT (lrv §3.5, papo §3.5).
    CrLf,
    /// Nothing: the line ended at a read boundary (§3.3 L4), or it is a
    /// whole line given without one. Tolerated, NON-STRICT.
    Absent,
}

impl Terminator {
    /// The stable name used in `spec/vectors/*.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Terminator::Lf => "lf",
            Terminator::CrLf => "crlf",
            Terminator::Absent => "absent",
        }
    }

    /// The terminator's bytes: empty for [`Terminator::Absent`].
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            Terminator::Lf => b"\n",
            Terminator::CrLf => b"\r\n",
            Terminator::Absent => b"",
        }
    }
}

/// A line taken off the head of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// The bytes before the terminator.
    pub content: &'a [u8],
    /// How the line ended.
    pub terminator: Terminator,
    /// Bytes of empty lines skipped before it (§3.3 L2).
    pub skipped: usize,
    /// Bytes used from the buffer: skipped lines, content and terminator.
    pub len: usize,
}
