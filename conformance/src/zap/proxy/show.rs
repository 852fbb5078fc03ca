//! How a zap item reads on the proxy's console (`proxy/render.rs` lays it
//! out): a frame's code, name and fields in one line; bytes that are no
//! frame with the caret of `conformance decode` under the bad one and how
//! far the receiver skips (zap §3.6); a frame cut by a close (§3.4 R2);
//! line breaks after the last frame (§3.5).

use gabarito_codec::escape::escape_bytes;
use gabarito_codec::zap::Message;

use super::framing::ZapFraming;
use super::rules::Check;
use super::sections;
use crate::lang::{Lang, current};
use crate::proxy::finding::{CheckId, Finding};
use crate::proxy::lens::{Bytes, Said, Shown};
use crate::proxy::tap::{Item, ObservedOf};
use crate::verdict::Verdict;
use crate::zap::decode::explain;

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

pub fn show(o: &ObservedOf<ZapFraming>) -> Shown {
    let other = Shown::other;
    match &o.item {
        Item::Frame(d) => Shown::message(summary(&d.message)),
        Item::Invalid(e) => {
            let mut explained = String::new();
            explain(e, &o.raw, 0, &mut explained);
            let mut lines = explained.lines();
            let first = lines.next().unwrap_or_default();
            let text = format!("{first} (zap {})", sections::of_fault(e.kind));
            // `explain` indents by four; the caret line keeps its spaces.
            let mut more: Vec<String> = lines
                .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
                .collect();
            let n = o.raw.len();
            more.push(match current() {
                Lang::En => {
                    format!("skipped {n} byte(s) to where a frame can start (zap §3.6)")
                }
                Lang::PtBr => {
                    format!("{n} byte(s) pulado(s) até onde um frame pode começar (zap §3.6)")
                }
            });
            other(Said::Fault, text, more, Bytes::Never)
        }
        Item::Incomplete => {
            let (who, n) = (o.from.the(), o.raw.len());
            let text = match current() {
                Lang::En => format!(
                    "{who} closed in the middle of a frame: {n} byte(s) of a valid beginning (zap §3.1, §3.4 R2)"
                ),
                Lang::PtBr => format!(
                    "{who} fechou no meio de um frame: {n} byte(s) de um começo válido (zap §3.1, §3.4 R2)"
                ),
            };
            other(Said::Fault, text, Vec::new(), Bytes::Always)
        }
        Item::Breaks => {
            let (n, non_strict) = (o.raw.len(), Verdict::NonStrict.display());
            let text = match current() {
                Lang::En => {
                    format!("{n} line-break byte(s) after the last frame (zap §3.5, {non_strict})")
                }
                Lang::PtBr => format!(
                    "{n} byte(s) de quebra de linha depois do último frame (zap §3.5, {non_strict})"
                ),
            };
            other(Said::Note, text, Vec::new(), Bytes::AsAsked)
        }
    }
}

/// The decoder's own verdict on bytes that are no frame: the client
/// rules' copy of it is not repeated.
pub fn restates(o: &ObservedOf<ZapFraming>, f: &Finding) -> bool {
    let framing = matches!(o.item, Item::Invalid(_) | Item::Incomplete);
    let breaks = matches!(o.item, Item::Breaks);
    (framing && f.check == Check::Framing.id()) || (breaks && f.check == Check::LineBreaks.id())
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
