//! The zap adapter: how scripts write zap messages, and how the harness
//! reads a target's replies tolerantly (zap §3.4–§3.6).

mod message_text;
mod reader;

pub use reader::ZapReader;

use gabarito_codec::zap::{Direction, decode};

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

    fn reader(&self) -> Box<dyn FrameReader> {
        Box::new(ZapReader::new(Direction::ToClient))
    }
}
