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
    DecodeError, Decoded, Direction, Field, Kind, decode_stream, frame_starts,
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
                    match self.non_digit_ids(end) {
                        Foreign::Frame(item) => return Some(item),
                        Foreign::Wait => return None,
                        Foreign::No => {}
                    }
                }
                if matches!(invalid.field, Field::Member(_)) {
                    if let Some(item) = self.fewer_members(end) {
                        return Some(item);
                    }
                }
                let n = clean_resync(&self.buf, self.dir, end)?;
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
/// from which everything buffered reads as whole frames, else the first
/// whole frame right after a line break, else everything. `None`
/// while more bytes may still decide it: a position whose frames run into
/// the end of what has arrived could be a frame start or the inside of an
/// id with leading zeros (`04` + `0000000000202` + a 06: the "02" there is
/// no frame), and the next read or the pause tells which. Bounded: only
/// the first [`CLEAN_SCAN`] bytes are tried as resume points.
fn clean_resync(buf: &[u8], dir: Direction, end: End) -> Option<usize> {
    let reads = |rest: &[u8]| reads(rest, dir, end);
    // Field study: servers answer a 03 with an invented `04` + 13 digits.
    // Digits all the way from the start: the frame after it starts at 15,
    // and any header found inside those digits is a piece of the id.
    if buf.len() > 15 && buf[..15].iter().all(u8::is_ascii_digit) {
        match reads(&buf[15..]) {
            Reads::Clean => return Some(15),
            Reads::Undecided if end == End::More => return None,
            _ => {}
        }
    }
    for p in (1..buf.len().min(CLEAN_SCAN))
        .filter(|&p| frame_starts(&buf[p..], dir) != gabarito_codec::zap::Lookahead::No)
    {
        match reads(&buf[p..]) {
            Reads::Clean => return Some(p),
            Reads::Undecided if end == End::More => return None,
            _ => {}
        }
    }
    // Nowhere reads cleanly to the end: resume only after a line break (a
    // banner's end) where a whole frame starts; anywhere else, a header
    // inside the garbage is as likely a piece of an id as a frame, and a
    // frame the target never sent must not be reported (issue 13).
    let after_break = (1..buf.len().min(CLEAN_SCAN))
        .filter(|&p| matches!(buf[p - 1], b'\n' | b'\r'))
        .find(|&p| matches!(decode_stream(&buf[p..], dir, end), Ok(d) if d.len > 0));
    Some(after_break.unwrap_or(buf.len()))
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

/// Where the 13-character ids of a frame stand, by code (zap §5–§8);
/// members of a 10 or 11 follow its header.
fn id_slots(code: &[u8]) -> (&'static [usize], bool) {
    match code {
        b"02" | b"03" | b"07" | b"08" | b"09" => (&[2], false),
        b"05" | b"06" => (&[2, 15], false),
        b"10" | b"11" => (&[2], true),
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

/// What the head of the buffer is, read with non-digit ids (zap D17).
enum Foreign {
    Frame(ReadItem),
    /// It may be such a frame once more bytes or the pause come.
    Wait,
    /// It is not.
    No,
}

impl ZapReader {
    /// Reads the head of the buffer as a frame whose ids are not digits
    /// (zap D17), if that is what it is: each such id is read in place of
    /// digits, the frame is decoded, and the ids are put back as they came.
    fn non_digit_ids(&mut self, end: End) -> Foreign {
        let Some((fixed, members)) = self.buf.get(..2).map(id_slots) else {
            return Foreign::No;
        };
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
        // Where a glued frame starts after the members, if one does: the
        // codec reads a digit there as one more member, so the frame is
        // decoded up to it.
        let mut cut = None;
        if members {
            let mut at = 2 + ID_LEN + 10;
            for _ in 0..8 {
                // A slot that starts with a code a server sends is the next
                // frame (glued), not a member.
                let next_frame = self
                    .buf
                    .get(at..at + 2)
                    .is_some_and(|c| matches!(c, b"02" | b"06" | b"07" | b"09" | b"11"));
                if next_frame {
                    cut = Some(at);
                    break;
                }
                if !swap(at, &mut patched) && !patched.get(at).is_some_and(u8::is_ascii_digit) {
                    break;
                }
                at += ID_LEN;
            }
        }
        if swapped.is_empty() {
            return Foreign::No;
        }
        let (input, end) = match cut {
            Some(at) => (&patched[..at], End::Boundary),
            None => (&patched[..], end),
        };
        let d = match decode_stream(input, self.dir, end) {
            Ok(d) => d,
            // A 06 whose data may go on: the pause decides, as for any.
            Err(DecodeError::Incomplete { .. }) => return Foreign::Wait,
            Err(DecodeError::Invalid(_)) => return Foreign::No,
        };
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
            // An 11's own id is the group's (zap §8.2); every other is a
            // user's, assigned by a 02 (§5.2).
            let section = if self.buf.starts_with(b"11") && at == 2 {
                "§8.2"
            } else {
                "§5.2"
            };
            violations.push(Deviation {
                section: section.into(),
                text: crate::lang::tr!(
                    "id \"{}\" is not 13 digits (seed 001: \"uma sequência de 13 dígitos\"; zap D17)",
                    "o id \"{}\" não tem 13 dígitos (enunciado 001: \"uma sequência de 13 dígitos\"; zap D17)",
                    String::from_utf8_lossy(&original)
                ),
            });
        }
        frame.violations = violations;
        self.buf.drain(..d.len);
        Foreign::Frame(ReadItem::Frame(frame))
    }
}

impl ZapReader {
    /// A 10 or 11 whose member list runs into bytes that only look like
    /// members (an invented `04` + 13 digits glued after a stored 11): the
    /// list is ended at the latest member boundary after which the rest is
    /// such a reply, or reads cleanly as frames. Nothing is made up — the
    /// frame is read as it came, only shorter.
    fn fewer_members(&mut self, end: End) -> Option<ReadItem> {
        let header = 2 + ID_LEN + 10;
        if !matches!(self.buf.get(..2)?, b"10" | b"11") || self.buf.len() <= header {
            return None;
        }
        let members = (self.buf.len() - header) / ID_LEN;
        let (frame, cut) = (0..members).rev().find_map(|k| {
            let cut = header + k * ID_LEN;
            let rest = &self.buf[cut..];
            let invented = rest.len() >= 15 && rest[..15].iter().all(u8::is_ascii_digit);
            let after = if invented { &rest[15..] } else { rest };
            if !reads_clean(after, self.dir, end) {
                return None;
            }
            let d = decode_stream(&self.buf[..cut], self.dir, End::Boundary).ok()?;
            (d.len == cut).then(|| (frame_of(&d, &self.buf[d.skipped..cut]), cut))
        })?;
        self.buf.drain(..cut);
        Some(ReadItem::Frame(frame))
    }
}

/// How the bytes from some point to the end of the buffer read.
#[derive(PartialEq)]
enum Reads {
    /// As whole frames.
    Clean,
    /// As frames, the last one not yet complete.
    Undecided,
    /// Not as frames.
    Dirty,
}

fn reads(mut rest: &[u8], dir: Direction, end: End) -> Reads {
    loop {
        if rest.is_empty() {
            return Reads::Clean;
        }
        match decode_stream(rest, dir, end) {
            Ok(d) if d.len > 0 => rest = &rest[d.len..],
            Err(DecodeError::Incomplete { .. }) => return Reads::Undecided,
            _ => return Reads::Dirty,
        }
    }
}

/// Whether `rest` reads as whole frames to its end (an open frame at its
/// end counts while more may come).
fn reads_clean(rest: &[u8], dir: Direction, end: End) -> bool {
    match reads(rest, dir, end) {
        Reads::Clean => true,
        Reads::Undecided => end == End::More,
        Reads::Dirty => false,
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
    fn a_relayed_frame_with_a_nul_inside_is_garbage_whole_not_a_phantom_07() {
        // A 06 with U+0000 inside its data (malformed, zap §10.1): the "07"
        // across its two ids is no frame, and nothing after it reads clean.
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"06500000000007450000000000751700000603before\0after");
        let items = drain(&mut r, End::Boundary);
        assert_eq!(items.len(), 1, "{items:?}");
        assert!(matches!(&items[0], ReadItem::Garbage { bytes, .. } if bytes.len() == 50));
    }

    #[test]
    fn an_11_with_non_digit_members_glued_to_a_06_is_read_as_both() {
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"11Grupo-00001791796534316Client-000176Client-000177");
        r.push(b"06Client-000176Grupo-00001791700000451oi");
        let items = drain(&mut r, End::Boundary);
        let shown: Vec<String> = items
            .iter()
            .map(|i| match i {
                ReadItem::Frame(f) => f.display(),
                ReadItem::Garbage { bytes, .. } => format!("garbage {bytes:?}"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "11 Grupo-0000179 1796534316 Client-000176 Client-000177",
                "06 Client-000176 Grupo-0000179 1700000451 oi"
            ]
        );
    }

    #[test]
    fn an_invented_04_id_then_a_06_is_cut_after_the_id() {
        // A 06 starting inside `0000000000067` + "06" + … also reads
        // cleanly to the end (its data takes anything): the id's length
        // decides.
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"040000000000067060000000000065000000000006717000001960plain");
        let items = drain(&mut r, End::Boundary);
        assert_eq!(items.len(), 2, "{items:?}");
        match &items[1] {
            ReadItem::Frame(f) => {
                assert_eq!(
                    f.display(),
                    "06 0000000000065 0000000000067 1700000196 0plain"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_stored_11_glued_to_an_invented_04_id_keeps_its_members() {
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"11000000000020617965345850000000000204000000000020504");
        r.push(b"0000000000205");
        let items = drain(&mut r, End::Boundary);
        assert_eq!(items.len(), 2, "{items:?}");
        match &items[0] {
            ReadItem::Frame(f) => assert_eq!(
                f.display(),
                "11 0000000000206 1796534585 0000000000204 0000000000205"
            ),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&items[1], ReadItem::Garbage { bytes, .. } if bytes == b"040000000000205")
        );
    }

    #[test]
    fn a_header_inside_an_invented_id_waits_for_what_follows() {
        // `04` + `0000000000202`, then a 06 cut by the read: the "02" at
        // byte 13 could start a frame only if what follows it did.
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"040000000000202060000000000");
        assert_eq!(r.next(End::More), None, "undecided until more arrives");
        r.push(b"01000000000002021700000100oi");
        let items = drain(&mut r, End::Boundary);
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(
            matches!(&items[0], ReadItem::Garbage { bytes, .. } if bytes == b"040000000000202")
        );
        match &items[1] {
            ReadItem::Frame(f) => {
                assert_eq!(f.display(), "06 0000000000010 0000000000202 1700000100 oi")
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
        assert!(
            r.next(End::More).is_none(),
            "its data may go on until the pause"
        );
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
