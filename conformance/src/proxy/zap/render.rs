//! The proxy's console lines: one per item, with the time, the connection,
//! the direction, the message and its fields, and ✓ or ✗ with the precise
//! fault and the section it breaks. Faults show the bytes, with the caret
//! of `conformance decode` under the bad one. In the report's language
//! (`--lang`); codes, field names and sections are the same in both.

use std::time::Duration;

use gabarito_codec::escape::escape_bytes;
use gabarito_codec::zap::Message;

use super::rules::{Check, Finding, Severity};
use super::tap::{Item, Observed};
use crate::lang::{Lang, current, t};
use crate::proxy::relay::Side;
use crate::verdict::Verdict;
use crate::zap::decode::explain;

/// Continuation lines (bytes, caret) start here, under the message.
const INDENT: &str = "                  ";

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

/// The message in one line: code, name and fields (`id=…`, data quoted and
/// escaped, members joined).
pub fn summary(m: &Message<'_>) -> String {
    let code = m.code();
    let mut s = format!("{code} {}", code.name());
    let mut members = Vec::new();
    for (name, value) in m.fields().into_iter().skip(1) {
        match name {
            "data" => s.push_str(&format!(" data=\"{}\"", escape_bytes(value.as_bytes()))),
            "member" => members.push(value),
            _ => s.push_str(&format!(" {name}={value}")),
        }
    }
    if matches!(
        m,
        Message::CreateGroup { .. } | Message::GroupCreated { .. }
    ) {
        s.push_str(&format!(" members=[{}]", members.join(",")));
    }
    s
}

/// The lines for one item. `show_bytes`: the bytes of every frame, not
/// only of faulty ones.
pub fn item(o: &Observed, findings: &[Finding], head: &str, show_bytes: bool) -> String {
    let mut out = format!("{head} {} ", arrow(o.from));
    let mut bytes_line = show_bytes;
    // The decoder's own verdict on bytes that are no frame; the client
    // rules' copy of it is not repeated.
    let repeated = |f: &&Finding| {
        let framing = matches!(o.item, Item::Invalid(_) | Item::Incomplete);
        let breaks = matches!(o.item, Item::Breaks);
        !((framing && f.check == Check::Framing) || (breaks && f.check == Check::LineBreaks))
    };
    let findings: Vec<&Finding> = findings.iter().filter(repeated).collect();
    let fails: Vec<&&Finding> = findings
        .iter()
        .filter(|f| f.severity == Severity::Fail)
        .collect();
    match &o.item {
        Item::Frame(d) => {
            out.push_str(&summary(&d.message));
            if fails.is_empty() {
                out.push_str(" ✓");
            } else {
                let text: Vec<String> = fails
                    .iter()
                    .map(|f| format!("{} (zap {})", f.text, f.section))
                    .collect();
                out.push_str(&format!(" ✗ {}", text.join("; ")));
                bytes_line = true;
            }
        }
        Item::Invalid(e) => {
            let mut explained = String::new();
            explain(e, &o.raw, 0, &mut explained);
            let mut lines = explained.lines();
            let first = lines.next().unwrap_or_default();
            out.push_str(&format!(
                "✗ {first} (zap {})",
                super::sections::of_fault(e.kind)
            ));
            // `explain` indents by four; the caret line keeps its spaces.
            for l in lines {
                out.push_str(&format!(
                    "\n{INDENT}{}",
                    l.strip_prefix("    ").unwrap_or(l)
                ));
            }
            let n = o.raw.len();
            out.push_str(&match current() {
                Lang::En => {
                    format!("\n{INDENT}skipped {n} byte(s) to where a frame can start (zap §3.6)")
                }
                Lang::PtBr => {
                    format!(
                        "\n{INDENT}{n} byte(s) pulado(s) até onde um frame pode começar (zap §3.6)"
                    )
                }
            });
        }
        Item::Incomplete => {
            let (who, n) = (o.from.the(), o.raw.len());
            out.push_str(&match current() {
                Lang::En => format!(
                    "✗ {who} closed in the middle of a frame: {n} byte(s) of a valid beginning (zap §3.1, §3.4 R2)"
                ),
                Lang::PtBr => format!(
                    "✗ {who} fechou no meio de um frame: {n} byte(s) de um começo válido (zap §3.1, §3.4 R2)"
                ),
            });
            bytes_line = true;
        }
        Item::Breaks => {
            let (n, non_strict) = (o.raw.len(), Verdict::NonStrict.display());
            out.push_str(&match current() {
                Lang::En => format!(
                    "· {n} line-break byte(s) after the last frame (zap §3.5, {non_strict})"
                ),
                Lang::PtBr => format!(
                    "· {n} byte(s) de quebra de linha depois do último frame (zap §3.5, {non_strict})"
                ),
            });
        }
    }
    for f in findings.iter().filter(|f| f.severity != Severity::Fail) {
        let label = match f.severity {
            Severity::NonStrict => Verdict::NonStrict.display(),
            _ => t("note", "observação"),
        };
        out.push_str(&format!(
            "\n{INDENT}{label}: {} (zap {})",
            f.text, f.section
        ));
    }
    if bytes_line && !matches!(o.item, Item::Invalid(_)) {
        out.push_str(&format!("\n{INDENT}\"{}\"", escape_bytes(&o.raw)));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gabarito_codec::zap::decode;

    #[test]
    fn summary_names_every_field() {
        let d = decode(b"05200000000000120000000000021700000000ol\xc3\xa1\n").unwrap();
        assert_eq!(
            summary(&d.message),
            "05 send src=2000000000001 dst=2000000000002 timestamp=1700000000 data=\"olá\\n\""
        );
        let d = decode(b"112000000000003170000000020000000000012000000000002").unwrap();
        assert_eq!(
            summary(&d.message),
            "11 group-created group=2000000000003 timestamp=1700000000 \
             members=[2000000000001,2000000000002]"
        );
    }
}
