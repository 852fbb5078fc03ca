//! How an lrv item reads on the proxy's console (`proxy/render.rs` lays it
//! out): a request's command and arguments, a reply's code, meaning and
//! values as the harness's reader extracts them (lrv §7.5), the greeting
//! (lrv §5); a line that is no request with the caret and names of
//! `conformance decode` and what the reference server does with it.

use gabarito_codec::escape::escape_bytes;
use gabarito_codec::lrv::{Code, Expect, empty_lines};

use super::framing::{Fault, Line, LrvFraming};
use super::rules::classify;
use crate::lang::tr;
use crate::lrv::decode::{code_info, explain, refused, split_terminator, what};
use crate::lrv::error_text;
use crate::protocol::Frame;
use crate::proxy::finding::Finding;
use crate::proxy::finding::Severity;
use crate::proxy::lens::{Bytes, Said, Shown};
use crate::proxy::relay::Side;
use crate::proxy::tap::{Item, ObservedOf};
use crate::verdict::Verdict;

/// A reply or the greeting in one line: `203 available numbers
/// numbers=1,2,5`, `greeting "Bem-vindo à compra de rifa!"`.
pub fn reply(f: &Frame) -> String {
    let Some((first, rest)) = f.fields.split_first() else {
        return String::new();
    };
    if f.preamble {
        let text = rest.first().map_or(&[][..], |t| t.value.as_slice());
        return format!("greeting \"{}\"", escape_bytes(text));
    }
    let mut s = escape_bytes(&first.value);
    if let Some(code) = Code::from_bytes(&first.value) {
        s.push(' ');
        s.push_str(code_info(code).1);
    }
    for field in rest {
        s.push_str(&format!(" {}={}", field.name, escape_bytes(&field.value)));
    }
    s
}

pub fn show(o: &ObservedOf<LrvFraming>) -> Shown {
    let (message, other) = (Shown::message, Shown::other);
    match &o.item {
        Item::Frame(Line::Request { request, .. }) => {
            let mut fields = request.fields().into_iter();
            let mut s = fields.next().map(|(_, v)| v).unwrap_or_default();
            for (name, value) in fields {
                s.push_str(&format!(" {name}={value}"));
            }
            message(s)
        }
        Item::Frame(Line::Reply(f)) => message(reply(f)),
        Item::Invalid(Fault::NotRequest(e)) => {
            let line = &o.raw[empty_lines(&o.raw)..];
            let mut explained = String::new();
            explain(
                e,
                line,
                "",
                what(Expect::Request),
                Expect::Request,
                &mut explained,
            );
            let mut lines = explained.lines();
            let first = lines.next().unwrap_or_default();
            // `explain` indents by four; the caret line keeps its spaces.
            let mut more: Vec<String> = lines
                .map(|l| l.strip_prefix("    ").unwrap_or(l).to_string())
                .collect();
            let content = split_terminator(line).0;
            more.push(refused(e, content));
            // Another reading of a decision, or a value a user typed, is
            // no fault of the client (its finding says what it is).
            let kind = match classify(e, content).1 {
                Severity::Fail => Said::Fault,
                _ => Said::Note,
            };
            other(kind, first.to_string(), more, Bytes::Never)
        }
        // A client's over-long line is D19's to judge (its finding); a
        // server's cannot be read by any client.
        Item::Invalid(Fault::TooLong(e)) => other(
            match o.from {
                Side::Client => Said::Note,
                Side::Server => Said::Fault,
            },
            format!("{} (lrv §3.4)", error_text::invalid(e)),
            vec![tr!(
                "dropped up to its LF (lrv §3.3 L3)",
                "descartada até o seu LF (lrv §3.3 L3)"
            )],
            Bytes::Never,
        ),
        Item::Invalid(Fault::Dropped) => other(
            Said::Note,
            tr!(
                "{} more byte(s) of the line over the limit, dropped (lrv §3.3 L3)",
                "mais {} byte(s) da linha acima do limite, descartado(s) (lrv §3.3 L3)",
                o.raw.len()
            ),
            Vec::new(),
            Bytes::Never,
        ),
        Item::Invalid(Fault::NotReply { why, section }) => other(
            Said::Fault,
            format!("{why} (lrv {section})"),
            vec![tr!(
                "a client reports it and skips it (lrv §9.3)",
                "um cliente a reporta e a pula (lrv §9.3)"
            )],
            Bytes::Always,
        ),
        // A boundary ends every line (lrv §3.3 L4): nothing is left cut.
        Item::Incomplete => other(
            Said::Fault,
            tr!(
                "{} closed in the middle of a line",
                "{} fechou no meio de uma linha",
                o.from.the()
            ),
            Vec::new(),
            Bytes::Always,
        ),
        Item::Breaks => other(
            Said::Note,
            tr!(
                "{} byte(s) of empty lines after the last line (lrv §3.3 L2, {})",
                "{} byte(s) de linhas vazias depois da última linha (lrv §3.3 L2, {})",
                o.raw.len(),
                Verdict::NonStrict.display()
            ),
            Vec::new(),
            Bytes::AsAsked,
        ),
    }
}

/// Empty lines are said by the item's own line; the client rules' copy is
/// not repeated.
pub fn restates(o: &ObservedOf<LrvFraming>, f: &Finding) -> bool {
    matches!(o.item, Item::Breaks) && f.check == "framing"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::tap::Tap;

    #[test]
    fn requests_replies_and_the_greeting_read_in_one_line() {
        let mut tap = Tap::<LrvFraming>::default();
        let client = tap.read(Side::Client, b"COMPRAR 7\n");
        assert_eq!(show(&client[0]).text, "COMPRAR number=7");
        let server = tap.read(
            Side::Server,
            "Bem-vindo à compra de rifa!\n203 5, 1\n".as_bytes(),
        );
        assert_eq!(
            show(&server[0]).text,
            "greeting \"Bem-vindo à compra de rifa!\""
        );
        assert_eq!(show(&server[1]).text, "203 available numbers numbers=1,5");
    }

    #[test]
    fn a_line_that_is_no_request_has_its_caret_and_the_servers_answer() {
        let items = Tap::<LrvFraming>::default().read(Side::Client, b"COMPRAR 007\n");
        let shown = show(&items[0]);
        assert!(
            shown.text.starts_with("invalid lrv request: byte 8"),
            "{shown:?}"
        );
        assert_eq!(
            shown.kind,
            Said::Note,
            "a leading zero is D14's other reading"
        );
        assert!(shown.more.iter().any(|l| l.contains('^')), "{shown:?}");
        assert!(shown.more.iter().any(|l| l.contains("400")), "{shown:?}");
    }
}
