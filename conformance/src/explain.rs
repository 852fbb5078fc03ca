//! What every protocol's explanation of a message shares, for `decode` and
//! the proxy's console lines: who sent the bytes, the excerpt with a caret
//! under the offending byte, the NON-STRICT wording, one line per field.
//! Knows no protocol: each protocol's `decode.rs` says what its fields and
//! faults are.

use gabarito_codec::escape::escape_bytes;

use crate::verdict::Verdict;

/// Who sends the bytes being explained: what a receiver expects of them
/// depends on it (a zap code's direction, an lrv request or reply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sender {
    /// Bytes a server sends.
    Server,
    /// Bytes a client sends.
    Client,
}

/// The input around `offset`, escaped, indented by four, with a caret
/// under the offending byte and `label` (the field) beside it.
pub fn caret(input: &[u8], offset: usize, label: &str, out: &mut String) {
    const WINDOW: usize = 40;
    let start = offset.saturating_sub(WINDOW);
    let end = (offset + WINDOW).min(input.len());
    let before = escape_bytes(&input[start..offset.min(input.len())]);
    let shown = escape_bytes(&input[start..end]);
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < input.len() { "…" } else { "" };
    out.push_str(&format!("    {lead}{shown}{tail}\n"));
    let caret_col = lead.chars().count() + before.chars().count();
    out.push_str(&format!("    {}^ {label}\n", " ".repeat(caret_col)));
}

/// `NON-STRICT: a, b` in the report's language.
pub fn non_strict(parts: &[String]) -> String {
    format!("{}: {}", Verdict::NonStrict.display(), parts.join(", "))
}

/// One field of a decoded message: `  name       value`.
pub fn field(name: &str, value: &str, out: &mut String) {
    out.push_str(&format!("  {name:<10} {value}\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caret_stands_under_the_escaped_byte() {
        let mut out = String::new();
        caret(b"ab\ncd", 3, "x", &mut out);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "    ab\\ncd");
        assert_eq!(lines[1], "        ^ x", "{out}");
    }

    #[test]
    fn a_long_input_is_cut_around_the_offset() {
        let input = vec![b'a'; 100];
        let mut out = String::new();
        caret(&input, 50, "f", &mut out);
        let first = out.lines().next().unwrap_or_default();
        assert!(first.starts_with("    …") && first.ends_with('…'), "{out}");
    }
}
