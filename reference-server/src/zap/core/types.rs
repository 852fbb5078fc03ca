//! The small values the zap core trades in: ids as numbers, store sequence
//! numbers and stored items.

use std::fmt;

use gabarito_codec::zap::Id;

/// A 13-digit zap id as a number (zap §4.1): users and groups share this
/// namespace (zap §9.1, D9). Numbers keep the state small and ordered; the
/// wire form is `{:013}`. The field is private: every `Uid` is at most
/// [`Uid::MAX`], so it always has a wire form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uid(u64);

impl Uid {
    /// The first id the reference server assigns (zap §9.1): its first digit
    /// is 2, so an id can never be taken for a frame header (zap §3.4).
    pub const FIRST: Uid = Uid(2_000_000_000_001);
    /// The largest 13-digit id.
    pub const MAX: Uid = Uid(9_999_999_999_999);

    /// The id with this value, if it has at most 13 digits.
    pub const fn new(value: u64) -> Option<Uid> {
        if value <= Uid::MAX.0 {
            Some(Uid(value))
        } else {
            None
        }
    }

    pub fn of(id: &Id<'_>) -> Uid {
        Uid(id.value())
    }

    pub const fn value(self) -> u64 {
        self.0
    }

    /// The id after this one, if there is one.
    pub const fn next(self) -> Option<Uid> {
        Uid::new(self.0 + 1)
    }

    /// The validated wire id.
    pub fn id(self) -> Id<'static> {
        Id::from_value(self.0).expect("a Uid has at most 13 digits by construction")
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:013}", self.0)
    }
}

/// The position of a stored item in the store: one counter for all
/// recipients, so "in the order stored" (zap §9.4) is "in `Seq` order".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seq(pub u64);

/// Names one outstanding [`LoadRequest`](super::LoadRequest), so a late
/// answer for a connection that has since moved on is recognised and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoadId(pub u64);

/// What writing a stored 06 to its recipient obliges the server to do: send
/// a 07 to `originator` (zap §7.1) and remember the delivery for 08s (D15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Receipt {
    /// Who sent the 05 (the 06's `src`, before any fault rewrote it).
    pub originator: Uid,
    /// The 06's timestamp, in seconds (exactly 10 digits on the wire).
    pub timestamp: u64,
}

/// Something the server owes a recipient: a 06, 07, 09 or 11 (zap §9.4). It
/// is stored before it is sent and leaves the store only once written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StoredItem {
    pub seq: Seq,
    pub recipient: Uid,
    /// The exact bytes to write (quirks such as padding already applied).
    pub frame: Vec<u8>,
    /// Set for 06s only.
    pub receipt: Option<Receipt>,
}
