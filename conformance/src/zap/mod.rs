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
