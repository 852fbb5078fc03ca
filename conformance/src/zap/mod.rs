//! The zap adapter: how scripts write zap messages, and how the harness
//! reads a target's replies tolerantly (zap §3.4–§3.6).
//!
//! # Layout
//!
//! - `mod.rs` — [`Zap`], the [`Protocol`] the runner sees.
//! - `entry.rs` — [`ENTRY`], zap in the list of protocols (`protocols.rs`).
//! - `message_text.rs` — script text ↔ fields, encoding through the codec.
//! - `reader.rs` — [`ZapReader`]: frames read tolerantly (§3.4–§3.6).
//! - `decode.rs` — `conformance decode`: a frame field by field.
//! - `error_text.rs` — the codec's errors in the report's language.
//! - `proxy/` — [`proxy::ZapLens`]: what `proxy` and `serve` see and check.
//! - `bench/` — the `bench` workload: online, stored, idle.

pub mod bench;
pub mod decode;
mod entry;
pub mod error_text;
mod message_text;
pub mod proxy;
mod reader;

pub use entry::ENTRY;
pub use reader::ZapReader;

use gabarito_codec::zap::{Direction, End, decode};

use crate::protocol::{Frame, FrameReader, Protocol};
use crate::script::template::Template;

/// zap, as the runner sees it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Zap;

impl Protocol for Zap {
    fn name(&self) -> &'static str {
        "zap"
    }

    fn layout_section(&self, frame: &Frame) -> Option<&'static str> {
        match frame.fields.first()?.value.as_slice() {
            b"02" => Some("§5.2"),
            b"06" => Some("§6.2"),
            b"07" => Some("§7.1"),
            b"09" => Some("§7.3"),
            b"11" => Some("§8.2"),
            _ => None,
        }
    }

    fn unanswered(&self, bytes: &[u8]) -> bool {
        // zap §5.3: a 03 has no reply.
        bytes.starts_with(b"03") && bytes.len() == 15
    }

    fn concurrency_seed(&self) -> Option<&'static str> {
        // Two clients online at once, one sending to the other.
        Some("Se o destinatário estiver online, realizar a entrega da mensagem de forma imediata")
    }

    fn ends_open(&self, bytes: &[u8]) -> bool {
        // The last frame of the write is what a pause must end.
        let mut rest = bytes;
        let mut open = false;
        while let Ok(d) = gabarito_codec::zap::decode_stream(
            rest,
            gabarito_codec::zap::Direction::ToServer,
            gabarito_codec::zap::End::Boundary,
        ) {
            open = matches!(
                d.message,
                gabarito_codec::zap::Message::Send(_)
                    | gabarito_codec::zap::Message::CreateGroup { .. }
            );
            rest = &rest[d.len.min(rest.len())..];
            if rest.is_empty() {
                break;
            }
        }
        open && rest.is_empty()
    }

    fn parse_message(&self, text: &str, col0: usize) -> Result<Vec<Template>, (usize, String)> {
        message_text::parse(text, col0)
    }

    fn encode(&self, fields: &[Vec<u8>]) -> Result<Vec<u8>, String> {
        message_text::encode(fields).or_else(|e| foreign_ids(fields).ok_or(e))
    }

    fn describe(&self, bytes: &[u8]) -> Option<Frame> {
        let d = decode(bytes).ok()?;
        Some(reader::frame_of(&d, bytes))
    }

    fn describe_raw(&self, bytes: &[u8]) -> String {
        let mut r = ZapReader::new(Direction::ToServer);
        r.push(bytes);
        let parts: Vec<String> = std::iter::from_fn(|| r.next(End::Boundary))
            .map(|item| match item {
                crate::protocol::ReadItem::Frame(f) => f.display(),
                crate::protocol::ReadItem::Garbage { why, .. } => {
                    format!(
                        "({}: {why})",
                        crate::lang::t("not a frame", "não é um frame")
                    )
                }
            })
            .collect();
        let mut s = parts.join(" + ");
        if !r.pending().is_empty() {
            let incomplete = crate::lang::t("(an incomplete frame)", "(um frame incompleto)");
            if !s.is_empty() {
                s.push_str(" + ");
            }
            s.push_str(incomplete);
        }
        s
    }

    fn reader(&self) -> Box<dyn FrameReader> {
        Box::new(ZapReader::new(Direction::ToClient))
    }
}

/// A message that carries ids the target itself assigned in another shape
/// (zap D17: `Client-000001`): valid but for those 13 characters, it is
/// sent with them as they are, so the case goes on in the target's terms.
/// A zap frame is its fields written one after another.
fn foreign_ids(fields: &[Vec<u8>]) -> Option<Vec<u8>> {
    let foreign = |v: &Vec<u8>| {
        v.len() == 13
            && v.iter().all(|b| (0x21..=0x7e).contains(b))
            && !v.iter().all(u8::is_ascii_digit)
    };
    let code = fields.first()?;
    let names = message_text::field_names_of(code)?;
    let is_id = |i: usize| match names.get(i.checked_sub(1)?) {
        Some(&n) => Some(matches!(
            n,
            "id" | "src" | "dst" | "creator" | "group" | "members"
        )),
        None => Some(i >= 3 && names.last() == Some(&"members")),
    };
    let mut patched = fields.to_vec();
    let mut any = false;
    for (i, v) in patched.iter_mut().enumerate().skip(1) {
        if foreign(v) && is_id(i)? {
            *v = b"9999999999999".to_vec();
            any = true;
        }
    }
    (any && message_text::encode(&patched).is_ok()).then(|| fields.concat())
}

#[cfg(test)]
mod open_tail_tests {
    use super::*;

    #[test]
    fn a_write_ends_open_when_its_last_frame_is_a_05_or_a_10() {
        let (a, b, t) = ("2000000000001", "2000000000002", "1700000000");
        assert!(Zap.ends_open(format!("05{a}{b}{t}oi").as_bytes()));
        assert!(Zap.ends_open(format!("10{a}{t}{b}").as_bytes()));
        assert!(Zap.ends_open(format!("03{a}05{a}{b}{t}").as_bytes()));
        assert!(!Zap.ends_open(format!("03{a}").as_bytes()));
        assert!(!Zap.ends_open(format!("05{a}{b}{t}oi03{a}").as_bytes()));
        assert!(!Zap.ends_open(b"01"));
        assert!(!Zap.ends_open(b"hello"), "garbage is no frame");
    }
}

#[cfg(test)]
mod foreign_id_tests {
    use super::*;

    #[test]
    fn ids_the_target_assigned_as_non_digits_are_sent_as_they_are() {
        let f = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            Zap.encode(&f(&["03", "Client-000001"])).unwrap(),
            b"03Client-000001"
        );
        assert_eq!(
            Zap.encode(&f(&[
                "05",
                "Client-000001",
                "2000000000002",
                "1700000000",
                "oi"
            ]))
            .unwrap(),
            b"05Client-00000120000000000021700000000oi".to_vec()
        );
        let group = f(&["10", "Client-000001", "1700000000", "Client-000002"]);
        assert_eq!(
            Zap.encode(&group).unwrap(),
            b"10Client-0000011700000000Client-000002"
        );
        // Still refused: a short id, a non-digit timestamp, spaces.
        assert!(Zap.encode(&f(&["03", "Client-1"])).is_err());
        assert!(
            Zap.encode(&f(&["08", "2000000000001", "17000000xx"]))
                .is_err()
        );
        assert!(Zap.encode(&f(&["03", "Client 000001"])).is_err());
    }
}
