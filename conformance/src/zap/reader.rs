//! The tolerant reader of what a zap target sends (zap §3.4–§3.6): frames
//! are split and joined by the codec's streaming rules; bytes that are no
//! frame are stepped over and reported, never fatal.

use gabarito_codec::zap::{DecodeError, Decoded, Direction, decode_stream, resync};

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
                let n = resync(&self.buf, self.dir).max(1);
                let bytes: Vec<u8> = self.buf.drain(..n).collect();
                Some(ReadItem::Garbage {
                    bytes,
                    why: crate::lang::invalid(&invalid),
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
            why: "an incomplete frame when the connection closed".into(),
            section: "§3.4".into(),
        })
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
            text: format!("{} line-break byte(s) between frames", d.skipped),
        });
    }
    if d.padding.nul_bytes > 0 {
        tolerated.push(Deviation {
            section: "§3.3".into(),
            text: format!("data padded with {} NUL byte(s)", d.padding.nul_bytes),
        });
    }
    if d.padding.zero_members > 0 {
        tolerated.push(Deviation {
            section: "§3.3".into(),
            text: format!(
                "member list padded with {} zero id(s)",
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
    fn an_open_tail_waits_for_the_boundary() {
        let mut r = ZapReader::new(Direction::ToClient);
        r.push(b"06200000000000120000000000021700000000ol");
        assert!(r.next(End::More).is_none());
        assert!(matches!(r.next(End::Boundary), Some(ReadItem::Frame(_))));
        assert!(r.pending().is_empty());
    }
}
