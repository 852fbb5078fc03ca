//! How an lrv item becomes a step of the recorded script: a canonical
//! request as `send`, anything else the client wrote as `send-raw`, a
//! reply as `expect` with the values of the draw left open (`{*}`: they
//! differ from run to run, lrv §8.4), the greeting with its text.

use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::lrv::{Code, Terminator};

use super::framing::{Fault, Line, LrvFraming};
use crate::lrv::decode::{code_info, command_section};
use crate::protocol::FieldKind;
use crate::proxy::relay::Side;
use crate::proxy::script_log::{Field, Role, Step};
use crate::proxy::tap::{Item, ObservedOf};

/// The step for `o`, and the section it exercises; `None` for nothing to
/// replay.
pub fn step(o: &ObservedOf<LrvFraming>) -> Option<(Step, Option<&'static str>)> {
    let raw = || o.raw.clone();
    match (o.from, &o.item) {
        // Written with the bytes before it: replayed as one write.
        (Side::Client, Item::Frame(Line::Request { request, .. })) if o.glued => {
            Some((Step::Glued(raw()), Some(command_section(request.command()))))
        }
        (Side::Client, _) if o.glued => Some((Step::Glued(raw()), None)),
        (
            Side::Client,
            Item::Frame(Line::Request {
                request,
                terminator,
            }),
        ) => {
            let sent = command_section(request.command());
            if *terminator == Terminator::Lf && o.raw.first() != Some(&b'\n') {
                let fields = request
                    .fields()
                    .into_iter()
                    .map(|(_, v)| Field {
                        role: Role::Plain,
                        value: v.into_bytes(),
                    })
                    .collect();
                Some((Step::Send { fields, raw: raw() }, Some(sent)))
            } else {
                Some((Step::SendRaw(raw()), Some(sent)))
            }
        }
        (Side::Client, Item::Invalid(Fault::NotRequest(_))) => {
            Some((Step::SendRaw(raw()), Some("§9.2")))
        }
        (Side::Client, _) => Some((Step::SendRaw(raw()), None)),
        (Side::Server, Item::Frame(Line::Reply(f))) => {
            let fields = f
                .fields
                .iter()
                .map(|field| Field {
                    role: match (field.name, field.kind) {
                        // The draw's number and winner (lrv §8.4).
                        ("number" | "cpf", _) => Role::Any,
                        (_, FieldKind::Text) => Role::Text,
                        _ => Role::Plain,
                    },
                    value: field.value.clone(),
                })
                .collect();
            let section = if f.preamble {
                "§5"
            } else {
                f.fields
                    .first()
                    .and_then(|c| Code::from_bytes(&c.value))
                    .map_or("§7", |c| code_info(c).0)
            };
            Some((Step::Expect(fields), Some(section)))
        }
        (Side::Server, Item::Invalid(_) | Item::Incomplete) => Some((
            Step::Note(format!(
                "the server sent a line that is no reply, which the harness skips (lrv §7.5): \"{}\"",
                escape_excerpt(&o.raw, 60)
            )),
            None,
        )),
        // A server's lines are never read as requests.
        (Side::Server, Item::Breaks | Item::Frame(Line::Request { .. })) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::script_log::ScriptLog;
    use crate::proxy::tap::Tap;

    #[test]
    fn an_exchange_is_recorded_as_sends_and_expects() {
        let mut tap = Tap::<LrvFraming>::default();
        let mut log = ScriptLog::new("lrv", "proxy.t".into(), Vec::new());
        let exchange: [(Side, &[u8]); 4] = [
            (Side::Server, b"Oi\n"),
            (Side::Client, b"SORTEIO\n"),
            (Side::Server, b"207 42 52998224725\n"),
            (Side::Client, b"sair\n"),
        ];
        let mut items = Vec::new();
        for (from, bytes) in exchange {
            items.extend(tap.read(from, bytes));
        }
        let t = items[0].first_at;
        log.record(1, t, Step::Open, None);
        for o in &items {
            if let Some((step, section)) = step(o) {
                log.record(1, t, step, section);
            }
        }
        let text = log.finish();
        assert!(
            text.ends_with(
                "  open a\n  a expect greeting \"Oi\"\n  a send SORTEIO\n  a expect 207 {*} {*}\n  a send-raw \"sair\\n\"\n"
            ),
            "{text}"
        );
    }
}
