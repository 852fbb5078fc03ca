//! The zap adapter: how scripts write zap messages, and how the harness
//! reads a target's replies tolerantly (zap §3.4–§3.6).

mod message_text;
mod reader;

pub use reader::ZapReader;

use gabarito_codec::zap::{Direction, End, decode};

use crate::protocol::{Frame, FrameReader, Protocol};
use crate::script::template::Template;

/// zap, as the runner sees it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Zap;

impl Protocol for Zap {
    fn name(&self) -> &'static str {
        "zap"
    }

    fn ends_open(&self, bytes: &[u8]) -> bool {
        // The last frame of the write is what a pause must end.
        let mut rest = bytes;
        let mut open = false;
        while let Ok(d) = gabarito_codec::zap::decode_stream(
            rest,
            gabarito_codec::zap::Direction::ToServer,
            gabarito_codec::zap::End::Boundary,
        ) {
            open = matches!(
                d.message,
                gabarito_codec::zap::Message::Send(_)
                    | gabarito_codec::zap::Message::CreateGroup { .. }
            );
            rest = &rest[d.len.min(rest.len())..];
            if rest.is_empty() {
                break;
            }
        }
        open && rest.is_empty()
    }

    fn parse_message(&self, text: &str, col0: usize) -> Result<Vec<Template>, (usize, String)> {
        message_text::parse(text, col0)
    }

    fn encode(&self, fields: &[Vec<u8>]) -> Result<Vec<u8>, String> {
        message_text::encode(fields)
    }

    fn describe(&self, bytes: &[u8]) -> Option<Frame> {
        let d = decode(bytes).ok()?;
        Some(reader::frame_of(&d, bytes))
    }

    fn describe_raw(&self, bytes: &[u8]) -> String {
        let mut r = ZapReader::new(Direction::ToServer);
        r.push(bytes);
        let parts: Vec<String> = std::iter::from_fn(|| r.next(End::Boundary))
            .map(|item| match item {
                crate::protocol::ReadItem::Frame(f) => f.display(),
                crate::protocol::ReadItem::Garbage { why, .. } => format!("(not a frame: {why})"),
            })
            .collect();
        let mut s = parts.join(" + ");
        if !r.pending().is_empty() {
            s.push_str(if s.is_empty() {
                "(an incomplete frame)"
            } else {
                " + (an incomplete frame)"
            });
        }
        s
    }

    fn reader(&self) -> Box<dyn FrameReader> {
        Box::new(ZapReader::new(Direction::ToClient))
    }
}

#[cfg(test)]
mod open_tail_tests {
    use super::*;

    #[test]
    fn a_write_ends_open_when_its_last_frame_is_a_05_or_a_10() {
        let (a, b, t) = ("2000000000001", "2000000000002", "1700000000");
        assert!(Zap.ends_open(format!("05{a}{b}{t}oi").as_bytes()));
        assert!(Zap.ends_open(format!("10{a}{t}{b}").as_bytes()));
        assert!(Zap.ends_open(format!("03{a}05{a}{b}{t}").as_bytes()));
        assert!(!Zap.ends_open(format!("03{a}").as_bytes()));
        assert!(!Zap.ends_open(format!("05{a}{b}{t}oi03{a}").as_bytes()));
        assert!(!Zap.ends_open(b"01"));
        assert!(!Zap.ends_open(b"hello"), "garbage is no frame");
    }
}
