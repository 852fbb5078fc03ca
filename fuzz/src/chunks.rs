//! The `zap_stream` target's input layout. Kept simple and byte-oriented so
//! that seeds can be made from `spec/vectors/zap.toml` (`seeds.py` writes
//! this layout) and so libFuzzer's mutations map onto meaningful changes:
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | selector: bit 0 direction (0 to server, 1 to client); bit 1 mode (0 raw bytes, 1 messages); bit 2, raw mode only, end mode (0 `End::More` after each read and `End::Boundary` at the end, 1 `End::Boundary` after every read) |
//! | raw: 1 | `n`, the number of cut points (mod 32) |
//! | raw: 2 .. 2+n | the length of each read but the last (0–255; a read of 0 bytes is allowed) |
//! | raw: rest | the byte stream; the last read is whatever is left |
//! | messages: 1.. | `arbitrary` choices: messages, line breaks, cut points |

use gabarito_codec::zap::{Direction, End};

/// How the receiver treats the end of each read (zap §3.4 R5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// `End::More` after every read, `End::Boundary` once at the end: the
    /// peer never paused (a tokio `FramedRead` until EOF).
    MoreThenBoundary,
    /// `End::Boundary` after every read: the peer paused after each (a
    /// naive receiver, or a settle timer that always fires).
    BoundaryEach,
}

impl Reads {
    pub fn end_of_read(self) -> End {
        match self {
            Reads::MoreThenBoundary => End::More,
            Reads::BoundaryEach => End::Boundary,
        }
    }
}

#[derive(Debug)]
pub enum StreamInput<'a> {
    /// Arbitrary bytes, cut into reads.
    Raw {
        dir: Direction,
        reads: Reads,
        chunks: Vec<&'a [u8]>,
        whole: &'a [u8],
    },
    /// `arbitrary` choices for a sequence of valid messages.
    Messages { dir: Direction, choices: &'a [u8] },
}

pub fn parse(data: &[u8]) -> Option<StreamInput<'_>> {
    let (&selector, rest) = data.split_first()?;
    let dir = if selector & 1 == 0 {
        Direction::ToServer
    } else {
        Direction::ToClient
    };
    if selector & 2 != 0 {
        return Some(StreamInput::Messages { dir, choices: rest });
    }
    let reads = if selector & 4 == 0 {
        Reads::MoreThenBoundary
    } else {
        Reads::BoundaryEach
    };
    let (&n, rest) = rest.split_first()?;
    let n = usize::from(n % 32).min(rest.len());
    let (lengths, mut stream) = rest.split_at(n);
    let whole = stream;
    let mut chunks = Vec::with_capacity(n + 1);
    for &len in lengths {
        let (chunk, tail) = stream.split_at(usize::from(len).min(stream.len()));
        chunks.push(chunk);
        stream = tail;
    }
    chunks.push(stream);
    Some(StreamInput::Raw {
        dir,
        reads,
        chunks,
        whole,
    })
}
