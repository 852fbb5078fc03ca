//! How a zap item becomes a step of the recorded script: which fields the
//! server chose (the ids of 02 and 11, zap §5.2, §8.2; the 11's clock) and
//! which the client chose and the server only copies (zap §6.2, D5).

use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::zap::{Code, Message};

use super::framing::ZapFraming;
use super::sections;
use crate::proxy::relay::Side;
use crate::proxy::script_log::{Field, Role, Step};
use crate::proxy::tap::{Item, ObservedOf};

/// The step for `o`, and the section it exercises; `None` for nothing to
/// replay.
pub fn step(o: &ObservedOf<ZapFraming>) -> Option<(Step, Option<&'static str>)> {
    let section = o.frame().map(|d| sections::of_code(d.message.code()));
    match (o.from, &o.item) {
        // Written with the bytes before it: replayed as one write.
        (Side::Client, _) if o.glued => Some((Step::Glued(o.raw.clone()), section)),
        (Side::Client, Item::Frame(d)) if d.is_canonical() => Some((
            Step::Send {
                fields: fields(&d.message, Side::Client),
                raw: o.raw.clone(),
            },
            section,
        )),
        (Side::Client, Item::Frame(_)) => Some((Step::SendRaw(o.raw.clone()), section)),
        (Side::Client, Item::Invalid(_)) => Some((Step::SendRaw(o.raw.clone()), Some("§10.1"))),
        (Side::Client, Item::Incomplete | Item::Breaks) => {
            Some((Step::SendRaw(o.raw.clone()), None))
        }
        (Side::Server, Item::Frame(d)) => {
            Some((Step::Expect(fields(&d.message, Side::Server)), section))
        }
        (Side::Server, Item::Invalid(_) | Item::Incomplete) => Some((
            Step::Note(format!(
                "the server sent bytes that are no frame, which the harness skips (zap §3.6): \"{}\"",
                escape_excerpt(&o.raw, 60)
            )),
            None,
        )),
        (Side::Server, Item::Breaks) => None,
    }
}

fn fields(m: &Message<'_>, from: Side) -> Vec<Field> {
    let code = m.code();
    m.fields()
        .into_iter()
        .enumerate()
        .map(|(i, (name, value))| {
            let role = match (from, code, name) {
                _ if i == 0 => Role::Plain,
                (Side::Server, Code::Registered, "id")
                | (Side::Server, Code::GroupCreated, "group") => Role::Assigned,
                // The server's clock, or the 10's echoed: both conformant
                // (zap §8.2).
                (Side::Server, Code::GroupCreated, "timestamp") => Role::Any,
                (_, _, "data") => Role::Text,
                (_, _, "timestamp") => Role::Plain,
                _ => Role::Id,
            };
            Field {
                role,
                value: value.into_bytes(),
            }
        })
        .collect()
}
