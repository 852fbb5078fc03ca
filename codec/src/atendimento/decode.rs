//! The whole-document decoders (atendimento §3.1, §8.2): optional
//! whitespace, one document, optional whitespace — every byte of the input
//! accounted for. A document is found as a stream receiver finds it (§3.3:
//! its limit and nesting first, J7), then parsed (§4).

use super::deviation::{Deviation, normalise};
use super::encode::Style;
use super::error::{Expected, Invalid, Kind};
use super::limits::Direction;
use super::parse::{self, Dialect, char_len};
use super::reply::Reply;
use super::request::{Reading, request_deviations};
use super::scan::{Scanned, Scanner, Shape, is_ws};
use super::value::{Object, Value, duplicates_inside};

/// One JSON document decoded from a whole input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    /// The document's value.
    pub value: Value<'a>,
    /// The document's extent: its bytes from its first to its last.
    pub bytes: &'a [u8],
    /// Whitespace bytes before it (§3.1).
    pub skipped: usize,
    /// Bytes of the input: whitespace around the document included.
    pub len: usize,
}

impl Document<'_> {
    /// The style whose encoding of the value is exactly the input (§3.2),
    /// `ascii` where both are; `None` when no style's is — whitespace
    /// around the document, other separators or escapes, a name twice.
    pub fn canonical(&self) -> Option<Style> {
        if duplicates_inside(&self.value) {
            return None;
        }
        canonical(self.bytes, self.skipped, self.len, |s| {
            self.value.to_bytes(s)
        })
    }
}

/// A request or reply decoded from a whole input: the message, the object
/// it was read from, and how the input framed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a, T> {
    /// What the protocol reads: a [`Reading`] of a request, a [`Reply`].
    pub message: T,
    /// The object as decoded: every member in wire order, duplicates too.
    pub object: Object<'a>,
    /// Readings a tolerant receiver reports (D4, D5, D20), in
    /// [`Deviation`]'s order.
    pub deviations: Vec<Deviation>,
    /// The document's extent.
    pub bytes: &'a [u8],
    /// Whitespace bytes before it.
    pub skipped: usize,
    /// Bytes of the input.
    pub len: usize,
}

impl<T> Decoded<'_, T> {
    /// As [`Document::canonical`].
    pub fn canonical(&self) -> Option<Style> {
        if self.object.has_duplicates_anywhere() {
            return None;
        }
        canonical(self.bytes, self.skipped, self.len, |s| {
            let mut out = Vec::with_capacity(self.bytes.len());
            self.object.encode(s, &mut out);
            out
        })
    }
}

/// The style whose `encode` is exactly `bytes`, with nothing around them.
fn canonical(
    bytes: &[u8],
    skipped: usize,
    len: usize,
    encode: impl Fn(Style) -> Vec<u8>,
) -> Option<Style> {
    if skipped != 0 || bytes.len() != len {
        return None;
    }
    [Style::Ascii, Style::Utf8]
        .into_iter()
        .find(|&style| encode(style) == bytes)
}

/// Garbage where a document should start (§3.3 J2).
pub(crate) fn garbage(at: &[u8]) -> Invalid {
    Invalid::new(
        Kind::UnexpectedByte,
        Some(Expected::Value),
        0,
        &at[..char_len(at)],
    )
}

pub(crate) fn too_deep(doc: &[u8], at: usize) -> Invalid {
    Invalid::new(Kind::TooDeep, None, at, &doc[at..=at])
}

pub(crate) fn too_long(doc: &[u8], limit: usize) -> Invalid {
    Invalid::new(Kind::TooLong, None, limit, &doc[limit.min(doc.len())..])
}

/// Decodes `input` as one whole JSON document flowing in `dir`: any JSON
/// value, within the direction's limit (§3.4). Faults as §8.2 names them;
/// whitespace alone is `empty`, a second document `trailing_bytes`.
pub fn decode_value(input: &[u8], dir: Direction) -> Result<Document<'_>, Invalid> {
    let skipped = input.iter().take_while(|&&b| is_ws(b)).count();
    let doc = &input[skipped..];
    let Some(&first) = doc.first() else {
        return Err(Invalid::new(Kind::Empty, None, 0, b""));
    };
    let Some(shape) = Shape::of(first) else {
        return Err(garbage(doc));
    };
    let extent = match Scanner::new(shape).feed(doc, dir.limit()) {
        Scanned::TooDeep { at, .. } => return Err(too_deep(doc, at)),
        Scanned::TooLong { .. } => return Err(too_long(doc, dir.limit())),
        Scanned::End { used } => &doc[..used],
        // A scalar runs to the end; an open container or string is parsed
        // as it is, which names its first fault (J8).
        Scanned::More => doc,
    };
    let parsed = parse::document(extent, Dialect::Json)?;
    let end = parsed.used;
    if let Some(k) = doc[end..].iter().position(|&b| !is_ws(b)) {
        return Err(Invalid::new(
            Kind::TrailingBytes,
            None,
            end + k,
            &doc[end + k..],
        ));
    }
    Ok(Document {
        value: parsed.value,
        bytes: &doc[..end],
        skipped,
        len: input.len(),
    })
}

/// The object of a document, or `not_object` (§3.1, D12).
fn object_of(doc: Document<'_>) -> Result<(Object<'_>, &[u8], usize, usize), Invalid> {
    match doc.value {
        Value::Object(o) => Ok((o, doc.bytes, doc.skipped, doc.len)),
        _ => Err(Invalid::new(Kind::NotObject, None, 0, doc.bytes)),
    }
}

/// Decodes `input` as exactly one request (§5): a JSON object of at most
/// 512 bytes, read by §7.1's checks that need no store ([`Reading`]). A
/// document that is not an object is `not_object`, which a server answers
/// with C1 (D12, [`Refusal::not_object`](super::Refusal::not_object)).
pub fn decode_request(input: &[u8]) -> Result<Decoded<'_, Reading<'_>>, Invalid> {
    let (object, bytes, skipped, len) = object_of(decode_value(input, Direction::ToServer)?)?;
    Ok(Decoded {
        message: Reading::read(&object),
        deviations: request_deviations(&object),
        object,
        bytes,
        skipped,
        len,
    })
}

/// Decodes `input` as exactly one reply (§6), strictly: a JSON object of
/// at most 65 536 bytes shaped as §6.1–§6.3 say, or its first shape fault
/// (§8.2). A tolerant client reads what this refuses with
/// [`read_reply`](super::read_reply).
pub fn decode_reply(input: &[u8]) -> Result<Decoded<'_, Reply<'_>>, Invalid> {
    let (object, bytes, skipped, len) = object_of(decode_value(input, Direction::ToClient)?)?;
    let mut deviations = Vec::new();
    if object.has_duplicates_anywhere() {
        deviations.push(Deviation::DuplicateMember);
    }
    Ok(Decoded {
        message: Reply::from_object(&object)?,
        deviations: normalise(deviations),
        object,
        bytes,
        skipped,
        len,
    })
}
