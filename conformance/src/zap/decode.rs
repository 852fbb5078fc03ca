//! `conformance decode --protocol zap` (the default): a frame field by
//! field, or where and why it is not one (zap §3–§8). The proxy explains
//! a frame it cannot read with `explain` too.

use gabarito_codec::escape::escape_bytes;
use gabarito_codec::zap::{DecodeError, Decoded, Direction, End, Invalid, decode, decode_stream};

use crate::explain::{Sender, caret, field, non_strict};
use crate::lang::{t, tr};

/// `decode --help`'s paragraph on zap.
pub const HELP: &str = "\
zap: one frame, whichever way it goes (its code says); --stream splits glued frames as
a receiver does (zap §3.4), --from saying which codes may start one (zap §2): server
(the default) 02 06 07 09 11, client 01 03 05 08 10. Padding and line breaks are
NON-STRICT (zap §3.3, §3.5). From standard input, a single trailing newline, as `echo`
adds, is dropped.";

/// `decode --help`'s zap examples.
pub const EXAMPLES: &str = "  conformance decode 05200000000000120000000000021700000000olá
  conformance decode --hex '30 31'
  conformance decode --stream --from server 0220000000000010720000000000021700000000";

/// Decodes `input` — one frame, or with `stream` a byte stream from `from`
/// (default: the server) — into `out`; whether it was all valid.
pub fn run(input: &[u8], stream_mode: bool, from: Option<Sender>, out: &mut String) -> bool {
    if stream_mode {
        let dir = match from.unwrap_or(Sender::Server) {
            Sender::Server => Direction::ToClient,
            Sender::Client => Direction::ToServer,
        };
        return stream(input, dir, out);
    }
    match decode(input) {
        Ok(d) => {
            describe(&d, input, out);
            true
        }
        Err(e) => {
            explain(&e, input, 0, out);
            false
        }
    }
}

fn stream(input: &[u8], dir: Direction, out: &mut String) -> bool {
    let mut pos = 0;
    let mut ok = true;
    while pos < input.len() {
        match decode_stream(&input[pos..], dir, End::Boundary) {
            Ok(d) => {
                out.push_str(&format!("@{pos}: "));
                describe(&d, &input[pos + d.skipped..pos + d.len], out);
                pos += d.len;
            }
            Err(DecodeError::Incomplete { have }) => {
                out.push_str(&tr!(
                    "@{pos}: incomplete frame: {have} bytes, a valid beginning: \"{}\"\n",
                    "@{pos}: frame incompleto: {have} bytes, um começo válido: \"{}\"\n",
                    escape_bytes(&input[pos..])
                ));
                return false;
            }
            Err(DecodeError::Invalid(e)) => {
                ok = false;
                explain(&e, &input[pos..], pos, out);
                let skip = gabarito_codec::zap::resync(&input[pos..], dir).max(1);
                out.push_str(&tr!(
                    "    skipping {skip} byte(s) to the next frame (zap §3.6)\n",
                    "    pulando {skip} byte(s) até o próximo frame (zap §3.6)\n"
                ));
                pos += skip;
            }
        }
    }
    ok
}

fn describe(d: &Decoded<'_>, raw: &[u8], out: &mut String) {
    let code = d.message.code();
    let section = match code.as_str() {
        "01" => "§5.1",
        "02" => "§5.2",
        "03" => "§5.3",
        "05" => "§6.1",
        "06" => "§6.2",
        "07" => "§7.1",
        "08" => "§7.2",
        "09" => "§7.3",
        "10" => "§8.1",
        _ => "§8.2",
    };
    let form = if d.is_canonical() {
        t("canonical", "canônico").to_string()
    } else {
        tolerated(d)
    };
    out.push_str(&format!(
        "{code} {} (zap {section}) — {} bytes, {form}\n",
        code.name(),
        raw.len()
    ));
    for (name, value) in d.message.fields() {
        let extra = if name == "data" {
            tr!(
                "  ({} characters, {} bytes)",
                "  ({} caracteres, {} bytes)",
                value.chars().count(),
                value.len()
            )
        } else {
            String::new()
        };
        let shown = if name == "data" {
            format!("\"{}\"", escape_bytes(value.as_bytes()))
        } else {
            value
        };
        field(name, &format!("{shown}{extra}"), out);
    }
}

fn tolerated(d: &Decoded<'_>) -> String {
    let mut parts = Vec::new();
    if d.skipped > 0 {
        parts.push(tr!(
            "{} line-break byte(s) skipped (zap §3.5)",
            "{} byte(s) de quebra de linha pulado(s) (zap §3.5)",
            d.skipped
        ));
    }
    if d.padding.nul_bytes > 0 {
        parts.push(tr!(
            "{} NUL padding byte(s) stripped (zap §3.3)",
            "{} byte(s) NUL de enchimento removido(s) (zap §3.3)",
            d.padding.nul_bytes
        ));
    }
    if d.padding.zero_members > 0 {
        parts.push(tr!(
            "{} zero member id(s) stripped (zap §3.3)",
            "{} id(s) de membro zero removido(s) (zap §3.3)",
            d.padding.zero_members
        ));
    }
    non_strict(&parts)
}

/// The error, and the input with a caret under the offending byte.
pub(crate) fn explain(e: &Invalid, input: &[u8], base: usize, out: &mut String) {
    let mut at = e.clone();
    at.offset += base;
    out.push_str(&tr!(
        "invalid zap frame: {}\n",
        "frame zap inválido: {}\n",
        super::error_text::invalid(&at)
    ));
    caret(input, e.offset, &e.field.to_string(), out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_offending_byte_even_after_escapes() {
        let input = b"05\n20000000000012000000000002170000000x";
        let e = decode(&input[..]).unwrap_err();
        let mut out = String::new();
        explain(&e, input, 0, &mut out);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].contains("byte 2"), "{out}");
        let caret = lines[2].find('^').unwrap();
        assert_eq!(&lines[1][caret..caret + 2], "\\n", "{out}");
    }

    #[test]
    fn stream_mode_splits_glued_frames_and_skips_garbage() {
        let mut out = String::new();
        let ok = stream(
            b"hi!0220000000000010720000000000021700000000",
            Direction::ToClient,
            &mut out,
        );
        assert!(!ok);
        assert!(out.contains("@3: 02 registered"), "{out}");
        assert!(out.contains("07 delivered"), "{out}");
    }
}
