//! Framing (papo §3): where a line ends. Nothing here reads a message, so
//! one rule serves both directions: a line ends at its first LF, or at a
//! read boundary (L4); lines of only spaces and tabs are skipped (L2); a
//! line is never longer than its direction's limit (L3).

use super::error::{DecodeError, Field, Invalid, Kind};
use crate::framing::End;

/// Most content bytes of a client line (papo §3.4): a line and its CRLF fit
/// the classroom servers' `recv(1024)`.
pub const MAX_CLIENT_LEN: usize = 1_000;
/// Most content bytes of a server line (papo §3.4): the online list of
/// 10 000 users of 20 characters is 220 015.
pub const MAX_SERVER_LEN: usize = 262_144;

pub use crate::line::{Line, Terminator};

/// A space or a tab: what papo trims around nicknames, commands and texts
/// (papo §5.1, D26), and all an empty line may hold (L2).
pub(crate) fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A control byte of papo §4.3: `00`–`1F` but TAB, and `7F`. LF is one
/// too, though a line's content never holds it.
pub(crate) fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// The offset of the first control byte (papo §4.3), if any.
pub(crate) fn control_at(content: &[u8]) -> Option<usize> {
    content.iter().position(|&b| is_control(b))
}

/// `bytes` without the spaces and tabs at its ends, and where it began.
pub(crate) fn trim(bytes: &[u8]) -> (usize, &[u8]) {
    let start = bytes.iter().take_while(|&&b| is_blank(b)).count();
    let end = bytes.len()
        - bytes[start..]
            .iter()
            .rev()
            .take_while(|&&b| is_blank(b))
            .count();
    (start, &bytes[start..end])
}

/// Bytes of the empty lines at the head of `buf` (papo §3.3 L2): lines of
/// nothing but spaces and tabs, each ended by its LF or CRLF.
pub fn empty_lines(buf: &[u8]) -> usize {
    let mut at = 0;
    loop {
        let blanks = buf[at..].iter().take_while(|&&b| is_blank(b)).count();
        match &buf[at + blanks..] {
            [b'\n', ..] => at += blanks + 1,
            [b'\r', b'\n', ..] => at += blanks + 2,
            _ => return at,
        }
    }
}

/// Takes the first non-empty line off `buf` (papo §3.3), whose content may
/// hold at most `limit` bytes.
///
/// `Incomplete`: no LF yet and no boundary, or only empty lines so far (at
/// a boundary, blanks with no LF are an empty line too). `Invalid` only for
/// a line over the limit (L3), decided as soon as `limit + 1` content bytes
/// are in — the offset is then the limit, counted from the line's first
/// byte. Content is not examined: that is the message decoders' job.
pub fn next_line(buf: &[u8], limit: usize, end: End) -> Result<Line<'_>, DecodeError> {
    let skipped = empty_lines(buf);
    let rest = &buf[skipped..];
    let incomplete = DecodeError::Incomplete { have: buf.len() };
    // Content of `limit` bytes, a CR, an LF: no further byte can be the LF
    // of a line within the limit.
    let window = &rest[..rest.len().min(limit + 2)];
    if let Some(lf) = window.iter().position(|&b| b == b'\n') {
        let (content, terminator) = split_terminator(&rest[..lf]);
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
        End::Boundary if !rest.iter().all(|&b| is_blank(b)) => Ok(Line {
            content: rest,
            terminator: Terminator::Absent,
            skipped,
            len: buf.len(),
        }),
        _ => Err(incomplete),
    }
}

/// The content before an LF, and whether a CR before it was the
/// terminator's (papo §3.3 L1).
fn split_terminator(before_lf: &[u8]) -> (&[u8], Terminator) {
    match before_lf {
        [c @ .., b'\r'] => (c, Terminator::CrLf),
        c => (c, Terminator::Lf),
    }
}

/// A line over the limit, quoting its first bytes. Only bytes that are in
/// whenever the decision can be made — the first `limit + 1` — are quoted,
/// so the error is the same however the line was cut into reads.
fn too_long(line: &[u8], limit: usize) -> Invalid {
    let quoted = &line[..line.len().min(limit + 1)];
    Invalid::new(Field::Line, Kind::LineTooLong { limit }, quoted).at(limit)
}

/// One whole line, split into its content and terminator (papo §3.1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Whole<'a> {
    pub(crate) content: &'a [u8],
    pub(crate) terminator: Terminator,
}

/// Splits one whole message: every byte must belong to the one line; no LF
/// at all is an absent terminator. Faults, the first by offset (papo §8.2):
/// over the limit; a control byte in the content, when `text` (a reader by
/// meaning reads such lines too); bytes after the LF (`trailing_bytes`);
/// nothing but blanks (`empty_line`).
pub(crate) fn whole(line: &[u8], limit: usize, text: bool) -> Result<Whole<'_>, Invalid> {
    let (content, terminator, after) = match line.iter().position(|&b| b == b'\n') {
        Some(lf) => {
            let (c, t) = split_terminator(&line[..lf]);
            (c, t, lf + 1)
        }
        None => (line, Terminator::Absent, line.len()),
    };
    if content.len() > limit {
        return Err(too_long(content, limit));
    }
    if text {
        if let Some(at) = control_at(content) {
            return Err(Invalid::new(Field::Line, Kind::ControlChar, &content[at..]).at(at));
        }
    }
    if after < line.len() {
        return Err(Invalid::new(Field::Line, Kind::TrailingBytes, &line[after..]).at(after));
    }
    if content.iter().all(|&b| is_blank(b)) {
        return Err(Invalid::new(Field::Line, Kind::EmptyLine, line));
    }
    Ok(Whole {
        content,
        terminator,
    })
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
            line(b":oi\nX", End::More),
            Ok((b":oi".to_vec(), Terminator::Lf, 0, 4))
        );
        assert_eq!(
            line(b":oi\r\n", End::More),
            Ok((b":oi".to_vec(), Terminator::CrLf, 0, 5))
        );
        assert_eq!(
            line(b"a\rb\n", End::More),
            Ok((b"a\rb".to_vec(), Terminator::Lf, 0, 4)),
            "a lone CR is content"
        );
    }

    #[test]
    fn blank_lines_are_skipped_and_counted() {
        assert_eq!(empty_lines(b"\n \t\r\n\nx"), 6);
        assert_eq!(empty_lines(b"  x\n"), 0);
        assert_eq!(
            line(b"\n  \r\n:a\n", End::More),
            Ok((b":a".to_vec(), Terminator::Lf, 5, 8))
        );
        assert!(line(b"  ", End::More).unwrap_err().is_incomplete());
        assert!(
            line(b"\n \t", End::Boundary).unwrap_err().is_incomplete(),
            "blanks at a boundary are an empty line"
        );
    }

    #[test]
    fn a_boundary_ends_an_unterminated_line() {
        assert!(line(b"ana", End::More).unwrap_err().is_incomplete());
        assert_eq!(
            line(b"ana", End::Boundary),
            Ok((b"ana".to_vec(), Terminator::Absent, 0, 3))
        );
    }

    #[test]
    fn the_limit_counts_content_only_and_is_decided_early() {
        assert!(line(b"12345678\r\n", End::More).is_ok());
        assert!(line(b"12345678\r", End::More).unwrap_err().is_incomplete());
        let err = |buf: &[u8], end| match line(buf, end) {
            Err(DecodeError::Invalid(i)) => (i.kind, i.offset),
            other => panic!("{other:?}"),
        };
        let too_long = (Kind::LineTooLong { limit: 8 }, 8);
        assert_eq!(err(b"123456789", End::More), too_long);
        assert_eq!(err(b"12345678\r", End::Boundary), too_long);
        assert_eq!(err(b"123456789\n", End::More), too_long);
    }

    #[test]
    fn whole_lines_hold_exactly_one_line_and_name_the_first_fault() {
        let w = whole(b"ana\r\n", 8, true).unwrap();
        assert_eq!((w.content, w.terminator), (&b"ana"[..], Terminator::CrLf));
        let kind = |line: &[u8], text| whole(line, 8, text).map(|_| ()).unwrap_err();
        let e = kind(b"ana\nbia\n", true);
        assert_eq!((e.kind, e.offset), (Kind::TrailingBytes, 4));
        let e = kind(b"a\x07\nb", true);
        assert_eq!(
            (e.kind, e.offset),
            (Kind::ControlChar, 1),
            "first by offset"
        );
        assert!(whole(b"a\x07\n", 8, false).is_ok(), "a reader reads it");
        assert_eq!(kind(b" \t\r\n", true).kind, Kind::EmptyLine);
        assert_eq!(
            kind(b"ana\r", true).kind,
            Kind::ControlChar,
            "CR without LF"
        );
        assert_eq!(
            kind(b"123456789", true).kind,
            Kind::LineTooLong { limit: 8 }
        );
    }

    #[test]
    fn trim_and_control_bytes() {
        assert_eq!(trim(b" \ta b \t"), (2, &b"a b"[..]));
        assert_eq!(trim(b"   "), (3, &b""[..]));
        assert_eq!(control_at(b"a\tb\x7f"), Some(3));
        assert_eq!(control_at("olá".as_bytes()), None);
    }
}
