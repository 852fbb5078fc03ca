//! Framing (lrv §3): where a line ends. Nothing here looks at content, so
//! one rule serves requests, replies and the greeting: a line ends at its
//! first LF, or at a read boundary (L4), and is never longer than its
//! direction's limit (L3).

use super::error::{DecodeError, Field, Invalid, Kind};
use crate::framing::End;

/// Most content bytes of a request line (lrv §3.4).
pub const MAX_REQUEST_LEN: usize = 256;
/// Most content bytes of a greeting or reply line (lrv §3.4): a `203`
/// listing all 10 000 numbers of the largest raffle is 48 897.
pub const MAX_REPLY_LEN: usize = 65_536;

pub use crate::line::{Line, Terminator};

/// One line as it arrived, owned: what a [`StreamDecoder<Lines>`]
/// yields to a reader that interprets lines itself — by their position
/// (lrv §3.6) and by the tolerant rules of [`extract_reply`] (lrv §7.5).
///
/// [`StreamDecoder<Lines>`]: crate::stream::StreamDecoder
/// [`extract_reply`]: super::extract_reply
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLine {
    /// The content and its terminator, exactly as received (empty lines
    /// before it excluded).
    pub bytes: Vec<u8>,
    /// How the line ended.
    pub terminator: Terminator,
    /// Bytes of empty lines skipped before it (lrv §3.3 L2).
    pub skipped: usize,
}

impl RawLine {
    /// The bytes before the terminator.
    pub fn content(&self) -> &[u8] {
        &self.bytes[..self.bytes.len() - self.terminator.as_bytes().len()]
    }
}

/// Bytes of the empty lines (`\n`, `\r\n`) at the head of `buf`
/// (lrv §3.3 L2).
pub fn empty_lines(buf: &[u8]) -> usize {
    let mut at = 0;
    loop {
        match &buf[at..] {
            [b'\n', ..] => at += 1,
            [b'\r', b'\n', ..] => at += 2,
            _ => return at,
        }
    }
}

/// Takes the first non-empty line off `buf` (lrv §3.3), whose content may
/// hold at most `limit` bytes.
///
/// `Incomplete`: no LF yet and no boundary, or only empty lines so far.
/// `Invalid` only for a line over the limit (L3), decided as soon as
/// `limit + 1` content bytes are in — the offset is then the limit, counted
/// from the line's first byte. Content is not examined: that is the
/// message decoders' job, once the line is whole.
pub fn next_line(buf: &[u8], limit: usize, end: End) -> Result<Line<'_>, DecodeError> {
    let skipped = empty_lines(buf);
    let rest = &buf[skipped..];
    let incomplete = DecodeError::Incomplete { have: buf.len() };
    // Content of `limit` bytes, a CR, an LF: no further byte can be an LF
    // of a line within the limit.
    let window = &rest[..rest.len().min(limit + 2)];
    if let Some(lf) = window.iter().position(|&b| b == b'\n') {
        let (content, terminator) = match &rest[..lf] {
            [c @ .., b'\r'] => (c, Terminator::CrLf),
            c => (c, Terminator::Lf),
        };
        if content.len() > limit {
            return Err(too_long(rest, limit).into());
        }
        return Ok(Line {
            content,
            terminator,
            skipped,
            len: skipped + lf + 1,
        });
    }
    // A CR right after `limit` bytes may still be followed by its LF.
    let cr_pending = rest.len() == limit + 1 && rest[limit] == b'\r' && end == End::More;
    if rest.len() > limit && !cr_pending {
        return Err(too_long(rest, limit).into());
    }
    match end {
        End::Boundary if !rest.is_empty() => Ok(Line {
            content: rest,
            terminator: Terminator::Absent,
            skipped,
            len: buf.len(),
        }),
        _ => Err(incomplete),
    }
}

/// A line over the limit, quoting its first bytes. Only bytes that are in
/// whenever the decision can be made — the first `limit + 1` — are quoted,
/// so the error is the same however the line was cut into reads (found by
/// the `lrv_decode` fuzz target).
fn too_long(line: &[u8], limit: usize) -> Invalid {
    Invalid::new(Field::Line, Kind::LineTooLong { limit }, &line[..limit + 1]).at(limit)
}

/// Splits one whole message: its content and terminator (lrv §3.1). Every
/// byte must belong to the one line: bytes after its LF are
/// `trailing_bytes`; no LF at all is an absent terminator.
pub(crate) fn whole(line: &[u8], limit: usize) -> Result<(&[u8], Terminator), Invalid> {
    let (content, terminator, after) = match line.iter().position(|&b| b == b'\n') {
        Some(lf) => match &line[..lf] {
            [c @ .., b'\r'] => (c, Terminator::CrLf, lf + 1),
            c => (c, Terminator::Lf, lf + 1),
        },
        None => (line, Terminator::Absent, line.len()),
    };
    if content.len() > limit {
        return Err(too_long(content, limit));
    }
    if after < line.len() {
        return Err(Invalid::new(Field::Line, Kind::TrailingBytes, &line[after..]).at(after));
    }
    if content.is_empty() {
        return Err(Invalid::new(Field::Line, Kind::EmptyLine, line));
    }
    Ok((content, terminator))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(buf: &[u8], end: End) -> Result<(Vec<u8>, Terminator, usize, usize), DecodeError> {
        next_line(buf, 8, end).map(|l| (l.content.to_vec(), l.terminator, l.skipped, l.len))
    }

    #[test]
    fn a_line_ends_at_lf_and_crlf_is_tolerated() {
        assert_eq!(
            line(b"SAIR\nX", End::More),
            Ok((b"SAIR".to_vec(), Terminator::Lf, 0, 5))
        );
        assert_eq!(
            line(b"SAIR\r\n", End::More),
            Ok((b"SAIR".to_vec(), Terminator::CrLf, 0, 6))
        );
        assert_eq!(
            line(b"A\rB\n", End::More),
            Ok((b"A\rB".to_vec(), Terminator::Lf, 0, 4)),
            "a lone CR is content"
        );
    }

    #[test]
    fn empty_lines_are_skipped_and_counted() {
        assert_eq!(
            line(b"\n\r\nSAIR\n", End::More),
            Ok((b"SAIR".to_vec(), Terminator::Lf, 3, 8))
        );
        assert!(line(b"\n\n", End::Boundary).unwrap_err().is_incomplete());
        assert!(
            line(b"\r", End::More).unwrap_err().is_incomplete(),
            "maybe the start of CRLF"
        );
    }

    #[test]
    fn a_boundary_ends_an_unterminated_line() {
        assert!(line(b"SAIR", End::More).unwrap_err().is_incomplete());
        assert_eq!(
            line(b"SAIR", End::Boundary),
            Ok((b"SAIR".to_vec(), Terminator::Absent, 0, 4))
        );
        assert!(line(b"", End::Boundary).unwrap_err().is_incomplete());
    }

    #[test]
    fn the_limit_counts_content_only_and_is_decided_early() {
        assert!(line(b"12345678\r\n", End::More).is_ok(), "8 bytes and CRLF");
        assert!(line(b"12345678\r", End::More).unwrap_err().is_incomplete());
        let err = |buf: &[u8], end| match line(buf, end) {
            Err(DecodeError::Invalid(i)) => (i.kind, i.offset),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            err(b"123456789", End::More),
            (Kind::LineTooLong { limit: 8 }, 8)
        );
        assert_eq!(
            err(b"12345678\r", End::Boundary),
            (Kind::LineTooLong { limit: 8 }, 8)
        );
        assert_eq!(
            err(b"123456789\n", End::More),
            (Kind::LineTooLong { limit: 8 }, 8)
        );
        assert_eq!(
            err(b"\n123456789", End::More).1,
            8,
            "offset from the line's start"
        );
    }

    #[test]
    fn whole_lines_hold_exactly_one_line() {
        assert_eq!(whole(b"SAIR\n", 8), Ok((&b"SAIR"[..], Terminator::Lf)));
        assert_eq!(whole(b"SAIR", 8), Ok((&b"SAIR"[..], Terminator::Absent)));
        let e = whole(b"SAIR\nSAIR\n", 8).unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::TrailingBytes, 5));
        assert_eq!(whole(b"\r\n", 8).unwrap_err().kind, Kind::EmptyLine);
        assert_eq!(
            whole(b"123456789", 8).unwrap_err().kind,
            Kind::LineTooLong { limit: 8 }
        );
    }
}
