//! The proxy's console lines: one per item, with the time, the connection,
//! the direction, the message and its fields, and ✓ or ✗ with the precise
//! fault and the section it breaks; notes and NON-STRICT findings under
//! it; the bytes of faulty items. What an item says is the protocol's
//! ([`Lens::show`]); the layout is written once here. In the report's
//! language (`--lang`); codes, field names and sections are the same in
//! both.

use std::time::Duration;

use gabarito_codec::escape::escape_bytes;

use super::finding::{Finding, Severity};
use super::lens::{Bytes, Lens, Said};
use super::relay::Side;
use super::tap::ObservedOf;
use crate::lang::t;
use crate::verdict::Verdict;

/// Continuation lines (bytes, caret) start here, under the message.
pub const INDENT: &str = "                  ";

/// `   12.345s #3  `: when (since the proxy started) and which connection.
pub fn prefix(since_start: Duration, conn: usize) -> String {
    format!("{:>9.3}s #{conn:<3}", since_start.as_secs_f64())
}

pub fn arrow(from: Side) -> &'static str {
    match from {
        Side::Client => "→",
        Side::Server => "←",
    }
}

/// The lines for one item. `show_bytes`: the bytes of every message, not
/// only of faulty ones.
pub fn item<L: Lens>(
    o: &ObservedOf<L::Framing>,
    findings: &[Finding],
    head: &str,
    show_bytes: bool,
) -> String {
    let shown = L::show(o);
    let name = L::TERMS.name;
    let mark = match shown.kind {
        Said::Message => "",
        Said::Fault => "✗ ",
        Said::Note => "· ",
    };
    let mut out = format!("{head} {} {mark}{}", arrow(o.from), shown.text);
    let findings: Vec<&Finding> = findings.iter().filter(|f| !L::restates(o, f)).collect();
    let mut bytes_line = match shown.bytes {
        Bytes::AsAsked => show_bytes,
        Bytes::Always => true,
        Bytes::Never => false,
    };
    if shown.kind == Said::Message {
        let fails: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Fail)
            .map(|f| format!("{} ({name} {})", f.text, f.section))
            .collect();
        if fails.is_empty() {
            out.push_str(" ✓");
        } else {
            out.push_str(&format!(" ✗ {}", fails.join("; ")));
            bytes_line |= shown.bytes != Bytes::Never;
        }
    }
    for l in &shown.more {
        out.push_str(&format!("\n{INDENT}{l}"));
    }
    for f in findings.iter().filter(|f| f.severity != Severity::Fail) {
        let label = match f.severity {
            Severity::NonStrict => Verdict::NonStrict.display(),
            _ => t("note", "observação"),
        };
        out.push_str(&format!(
            "\n{INDENT}{label}: {} ({name} {})",
            f.text, f.section
        ));
    }
    if bytes_line {
        out.push_str(&format!("\n{INDENT}\"{}\"", escape_bytes(&o.raw)));
    }
    out.push('\n');
    out
}
