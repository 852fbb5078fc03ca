//! Human-readable rendering of wire bytes.
//!
//! Reports and errors must show *exactly* what arrived, including bytes that
//! are not printable or not UTF-8, without ever producing output that a
//! terminal would interpret. Printable ASCII and valid non-control Unicode are
//! shown as they are; everything else is escaped (`\n`, `\x00`, `\xff`).

use std::fmt::Write as _;

/// Escapes `bytes` for display. Valid UTF-8 characters that are not control
/// characters are kept, so Portuguese text stays readable (`"olá"`).
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut out, c);
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Escapes at most `max` bytes of `bytes`, appending `…` when cut.
pub fn escape_excerpt(bytes: &[u8], max: usize) -> String {
    if bytes.len() <= max {
        escape_bytes(bytes)
    } else {
        let mut s = escape_bytes(&bytes[..max]);
        s.push('…');
        s
    }
}

fn push_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        c if c.is_control() || c == '\u{feff}' => {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        c => out.push(c),
    }
}

/// Parses the escape syntax [`escape_bytes`] produces (plus `\0`), so that a
/// teacher can write any byte string in a script or on a command line.
///
/// Errors name the character offset of the bad escape.
pub fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => out.push(b'\n'),
            Some((_, 'r')) => out.push(b'\r'),
            Some((_, 't')) => out.push(b'\t'),
            Some((_, '0')) => out.push(0),
            Some((_, '\\')) => out.push(b'\\'),
            Some((_, '"')) => out.push(b'"'),
            Some((_, 'x')) => {
                let hi = chars.next().map(|(_, c)| c);
                let lo = chars.next().map(|(_, c)| c);
                match (
                    hi.and_then(|c| c.to_digit(16)),
                    lo.and_then(|c| c.to_digit(16)),
                ) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => {
                        return Err(format!(
                            "character {i}: \\x must be followed by two hex digits"
                        ));
                    }
                }
            }
            Some((_, other)) => return Err(format!("character {i}: unknown escape \\{other}")),
            None => return Err(format!("character {i}: lone backslash at end")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_invalid_utf8_but_keeps_accents() {
        assert_eq!(
            escape_bytes(b"ol\xc3\xa1\n\x00\xff\""),
            "olá\\n\\x00\\xff\\\""
        );
    }

    #[test]
    fn unescape_inverts_escape() {
        let raw = b"a\\b\n\x00\xfe\xc3\xa1\"z";
        assert_eq!(unescape(&escape_bytes(raw)).as_deref(), Ok(&raw[..]));
    }

    #[test]
    fn unescape_reports_bad_escape_position() {
        assert_eq!(
            unescape("ab\\q").unwrap_err(),
            "character 2: unknown escape \\q"
        );
        assert!(unescape("\\x4").is_err());
    }

    #[test]
    fn excerpt_marks_cut() {
        assert_eq!(escape_excerpt(b"0123456789", 4), "0123…");
        assert_eq!(escape_excerpt(b"0123", 4), "0123");
    }
}
