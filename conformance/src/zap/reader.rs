//! The tolerant reader of what a zap target sends (zap §3.4–§3.6): frames
//! are split and joined by the codec's streaming rules; bytes that are no
//! frame are stepped over and reported, never fatal.
//!
//! Two rules keep it from reporting frames the target never sent:
//! - after garbage, reading resumes only where the rest of the buffered
//!   bytes reads cleanly as frames (a "02" inside an invented `04<id>` with
//!   leading zeros is not a frame, because what follows it is not one);
//! - ids that are 13 printable characters but not digits (`Client-000001`,
//!   zap D17) are read as ids and carried as a violation of §5.2, so the
//!   case about ids FAILs once and every other case goes on with those
//!   bytes.

use gabarito_codec::zap::{
    DecodeError, Decoded, Direction, Field, Kind, decode_stream, frame_starts, resync,
};

use crate::protocol::{Deviation, End, FieldKind, FieldValue, Frame, FrameReader, ReadItem};

#[derive(Debug)]
pub struct ZapReader {
    dir: Direction,
    buf: Vec<u8>,
}

impl ZapReader {
    pub fn new(dir: Direction) -> Self {
        ZapReader {
            dir,
            buf: Vec::new(),
        }
    }
}

impl FrameReader for ZapReader {
    fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    fn next(&mut self, end: End) -> Option<ReadItem> {
        if self.buf.is_empty() {
            return None;
        }
        match decode_stream(&self.buf, self.dir, end) {
            Ok(d) => {
                let frame = frame_of(&d, &self.buf[d.skipped..d.len]);
                self.buf.drain(..d.len);
                Some(ReadItem::Frame(frame))
            }
            Err(DecodeError::Incomplete { .. }) => {
                // Only line breaks left at a boundary: nothing to report.
                if end == End::Boundary && self.buf.iter().all(|b| matches!(b, b'\r' | b'\n')) {
                    self.buf.clear();
                }
                None
            }
            Err(DecodeError::Invalid(invalid)) => {
                if is_id_field(invalid.field) && matches!(invalid.kind, Kind::NotDigits { .. }) {
                    if let Some(item) = self.non_digit_ids(end) {
                        return Some(item);
                    }
                }
                let n = clean_resync(&self.buf, self.dir, end);
                let bytes: Vec<u8> = self.buf.drain(..n).collect();
                Some(ReadItem::Garbage {
                    bytes,
                    why: super::error_text::invalid(&invalid),
                    section: "§3.6".into(),
                })
            }
        }
    }

    fn pending(&self) -> &[u8] {
        &self.buf
    }

    fn closed(&mut self) -> Option<ReadItem> {
        (!self.buf.is_empty()).then(|| ReadItem::Garbage {
            bytes: std::mem::take(&mut self.buf),
            why: crate::lang::t(
                "an incomplete frame when the connection closed",
                "um frame incompleto quando a conexão fechou",
            )
            .into(),
            section: "§3.4".into(),
        })
    }
}

/// How far garbage at the head of `buf` reaches: the first later position
/// from which everything buffered reads as frames (an incomplete one may
/// end it while more can come), else the first that merely looks like a
/// header (zap §3.6), else everything. Bounded: only the first
/// [`CLEAN_SCAN`] bytes are tried as resume points.
fn clean_resync(buf: &[u8], dir: Direction, end: End) -> usize {
    let reads_clean = |mut rest: &[u8]| loop {
        if rest.is_empty() {
            return true;
        }
        match decode_stream(rest, dir, end) {
            Ok(d) if d.len > 0 => rest = &rest[d.len..],
            Err(DecodeError::Incomplete { .. }) => return true,
            _ => return false,
        }
    };
    (1..buf.len().min(CLEAN_SCAN))
        .filter(|&p| frame_starts(&buf[p..], dir) != gabarito_codec::zap::Lookahead::No)
        .find(|&p| reads_clean(&buf[p..]))
        .unwrap_or_else(|| resync(buf, dir).max(1))
}

/// Resume points tried after garbage before falling back to the first
/// header-like position: enough for a banner and an invented reply, small
/// enough that a target streaming garbage costs little.
const CLEAN_SCAN: usize = 4096;

fn is_id_field(field: Field) -> bool {
    matches!(
        field,
        Field::Id | Field::Src | Field::Dst | Field::Group | Field::Member(_)
    )
}

/// Where the 13-character ids of a server → client frame stand, by code
/// (zap §5.2, §6.2, §7.1, §7.3, §8.2); members of an 11 follow its header.
fn id_slots(code: &[u8]) -> (&'static [usize], bool) {
    match code {
        b"02" | b"07" | b"09" => (&[2], false),
        b"06" => (&[2, 15], false),
        b"11" => (&[2], true),
        _ => (&[], false),
    }
}

/// An id as the seed's students sometimes write it: 13 printable
/// characters, no spaces, not all digits.
fn non_digit_id(slot: &[u8]) -> bool {
    slot.len() == ID_LEN
        && slot.iter().all(|b| (0x21..=0x7e).contains(b))
        && !slot.iter().all(u8::is_ascii_digit)
}

const ID_LEN: usize = 13;

impl ZapReader {
    /// Reads the head of the buffer as a frame whose ids are not digits
    /// (zap D17), if that is what it is: each such id is read in place of
    /// digits, the frame is decoded, and the ids are put back as they came.
    fn non_digit_ids(&mut self, end: End) -> Option<ReadItem> {
        let (fixed, members) = id_slots(self.buf.get(..2)?);
        let mut patched = self.buf.clone();
        let mut swapped: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut swap = |at: usize, patched: &mut Vec<u8>| -> bool {
            match self.buf.get(at..at + ID_LEN) {
                Some(slot) if non_digit_id(slot) => {
                    swapped.push((at, slot.to_vec()));
                    patched[at..at + ID_LEN].copy_from_slice(b"9999999999999");
                    true
                }
                _ => false,
            }
        };
        for &at in fixed {
            swap(at, &mut patched);
        }
        if members {
            let mut at = 2 + ID_LEN + 10;
            for _ in 0..8 {
                if !swap(at, &mut patched) && !patched.get(at).is_some_and(u8::is_ascii_digit) {
                    break;
                }
                at += ID_LEN;
            }
        }
        if swapped.is_empty() {
            return None;
        }
        let d = decode_stream(&patched, self.dir, end).ok()?;
        let mut frame = frame_of(&d, &self.buf[d.skipped..d.len]);
        let mut violations = Vec::new();
        for (at, original) in swapped.into_iter().filter(|(at, _)| *at < d.len) {
            let value = &patched[at..at + ID_LEN];
            if let Some(f) = frame
                .fields
                .iter_mut()
                .find(|f| matches!(f.kind, FieldKind::Id | FieldKind::Member) && f.value == value)
            {
                f.value = original.clone();
            }
            violations.push(Deviation {
                section: "§5.2".into(),
                text: crate::lang::tr!(
                    "id \"{}\" is not 13 digits (seed 001: \"uma sequência de 13 dígitos\"; zap D17)",
                    "o id \"{}\" não tem 13 dígitos (enunciado 001: \"uma sequência de 13 dígitos\"; zap D17)",
                    String::from_utf8_lossy(&original)
                ),
            });
        }
        frame.violations = violations;
        self.buf.drain(..d.len);
        Some(ReadItem::Frame(frame))
    }
}

/// The protocol-neutral view of a decoded frame, with what was tolerated.
pub fn frame_of(d: &Decoded<'_>, raw: &[u8]) -> Frame {
    let fields = d
        .message
        .fields()
        .into_iter()
        .map(|(name, value)| FieldValue {
            name,
            kind: match name {
                "id" | "src" | "dst" | "creator" | "group" => FieldKind::Id,
                "member" => FieldKind::Member,
                "data" => FieldKind::Text,
                _ => FieldKind::Plain,
            },
            value: value.into_bytes(),
        })
        .collect();
    let mut tolerated = Vec::new();
    if d.skipped > 0 {
        tolerated.push(Deviation {
            section: "§3.5".into(),
            text: crate::lang::tr!(
                "{} line-break byte(s) between frames",
                "{} byte(s) de quebra de linha entre frames",
                d.skipped
            ),
        });
    }
    if d.padding.nul_bytes > 0 {
        tolerated.push(Deviation {
            section: "§3.3".into(),
            text: crate::lang::tr!(
                "data padded with {} NUL byte(s)",
                "data preenchido com {} byte(s) NUL",
                d.padding.nul_bytes
            ),
        });
    }
    if d.padding.zero_members > 0 {
        tolerated.push(Deviation {
            section: "§3.3".into(),
            text: crate::lang::tr!(
                "member list padded with {} zero id(s)",
                "lista de membros preenchida com {} id(s) zero",
                d.padding.zero_members
            ),
        });
    }
    Frame {
        fields,
        raw: raw.to_vec(),
        tolerated,
        preamble: false,
        members_section: "§8.2",
        violations: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(r: &mut ZapReader, end: End) -> Vec<ReadItem> {
        std::iter::from_fn(|| r.next(end)).collect()
    }

    #[test]
    fn banner_is_reported_and_the_glued_reply_still_read() {
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"Bem-vindo ao zap!\n022000000000001");
        let items = drain(&mut r, End::Boundary);
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(
            matches!(&items[0], ReadItem::Garbage { bytes, .. } if bytes == b"Bem-vindo ao zap!\n")
        );
        match &items[1] {
            ReadItem::Frame(f) => assert_eq!(f.display(), "02 2000000000001"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn glued_deliveries_are_split_and_padding_is_noted() {
        let mut r = ZapReader::new(Direction::ToClient);
        let one = b"06200000000000120000000000021700000000 hi".to_vec();
        let mut two = b"06200000000000120000000000021700000000 yo\0\0".to_vec();
        two.splice(0..0, one.iter().copied());
        r.push(&two);
        let items = drain(&mut r, End::Boundary);
        assert_eq!(items.len(), 2, "{items:?}");
        let ReadItem::Frame(second) = &items[1] else {
            panic!()
        };
        assert_eq!(second.fields[4].value, b" yo");
        assert_eq!(second.tolerated[0].section, "§3.3");
    }

    #[test]
    fn an_invented_reply_with_leading_zero_ids_hides_no_phantom_frame() {
        // `04` + an id with leading zeros, glued to the stored 06 it
        // precedes: the "02" inside the zeros is no frame, since what
        // follows it does not read as frames.
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"04000000000002106000000000001000000000000211700000100are you there?");
        let items = drain(&mut r, End::Boundary);
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(
            matches!(&items[0], ReadItem::Garbage { bytes, .. } if bytes == b"040000000000021")
        );
        match &items[1] {
            ReadItem::Frame(f) => {
                assert_eq!(
                    f.display(),
                    "06 0000000000010 0000000000021 1700000100 are you there?"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_digit_ids_are_read_as_ids_and_carried_as_a_violation() {
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"02Client-000001");
        let items = drain(&mut r, End::Boundary);
        let [ReadItem::Frame(f)] = items.as_slice() else {
            panic!("{items:?}")
        };
        assert_eq!(f.display(), "02 Client-000001");
        assert_eq!(f.violations.len(), 1);
        assert_eq!(f.violations[0].section, "§5.2");
        r.push(b"06Client-000001Client-0000021700000100oi, bob");
        let items = drain(&mut r, End::Boundary);
        let [ReadItem::Frame(f)] = items.as_slice() else {
            panic!("{items:?}")
        };
        assert_eq!(
            f.display(),
            "06 Client-000001 Client-000002 1700000100 oi, bob"
        );
        assert_eq!(f.violations.len(), 2);
        // A banner with spaces is not an id.
        r.push(b"02 hello world!");
        assert!(matches!(
            r.next(End::Boundary),
            Some(ReadItem::Garbage { .. })
        ));
    }

    #[test]
    fn an_open_tail_waits_for_the_boundary() {
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"06200000000000120000000000021700000000ol");
        assert!(r.next(End::More).is_none());
        assert!(matches!(r.next(End::Boundary), Some(ReadItem::Frame(_))));
        assert!(r.pending().is_empty());
    }
}
