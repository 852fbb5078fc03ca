//! Untrusted text on a terminal: names come from the targets file, error
//! reasons quote what a student's server printed. Neither may move the
//! cursor, change colours or ring the bell.

/// `s` with every control character but `\n` shown as `\xNN`, after
/// [`strip_ansi`].
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in strip_ansi(s).chars() {
        if c.is_control() && c != '\n' {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` without terminal escape sequences (CSI `ESC [ … final`, OSC
/// `ESC ] … BEL`): servers colour their logs even into a file, and the
/// colours would otherwise show as `\x1b[32m` noise around every line of
/// the output a report quotes.
pub fn strip_ansi(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\x1b') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\x1b', Some('[')) => {
                chars.next();
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            ('\x1b', Some(']')) => {
                chars.next();
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out.into()
}

/// [`printable`] on one line, cut to `max` characters with `…`.
pub fn cell(s: &str, max: usize) -> String {
    let one = printable(s).replace('\n', " ");
    if one.chars().count() <= max {
        one
    } else {
        one.chars()
            .take(max.saturating_sub(1))
            .chain(['…'])
            .collect()
    }
}

/// Display width, counted in characters (names are mostly Latin text).
pub fn width(s: &str) -> usize {
    s.chars().count()
}

/// `s` padded with spaces on the right to `w` characters.
pub fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// `s` padded with spaces on the left to `w` characters.
pub fn pad_left(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(printable("a\x1b[2Jb\x1b(0\nc"), "ab\\x1b(0\nc");
        assert_eq!(
            strip_ansi("\x1b[2m12:00\x1b[0m \x1b[32mINFO\x1b[0m x"),
            "12:00 INFO x"
        );
        assert_eq!(strip_ansi("a\x1b]0;title\x07b\x1b]8;;u\x1b\\c"), "abc");
        assert_eq!(cell("joão\nsilva", 20), "joão silva");
        assert_eq!(cell("abcdef", 4), "abc…");
        assert_eq!(pad("ã", 3), "ã  ");
        assert_eq!(pad_left("7/7", 5), "  7/7");
    }
}
