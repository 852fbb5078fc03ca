//! `conformance decode`: what a frame means, field by field, or exactly
//! where and why it is not a frame. In the report's language (`--lang`);
//! codes, message and field names and sections are the same in both.

use std::io::Read as _;

use anyhow::{Context, Result};
use clap::Args;
use gabarito_codec::escape::{escape_bytes, unescape};
use gabarito_codec::zap::{DecodeError, Decoded, Direction, End, Invalid, decode, decode_stream};

use crate::lang::{t, tr};
use crate::verdict::Verdict;

/// Decode zap frames and explain them (exit 0 valid, 1 invalid, 2 usage).
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The frame, as text. Escapes are understood: \n \r \t \0 \xNN \\ \".
    /// Without it, the frame is read from standard input (a single trailing
    /// newline, as `echo` adds, is dropped).
    pub frame: Option<String>,
    /// Protocol of the frame.
    #[arg(long, default_value = "zap", value_parser = ["zap"])]
    pub protocol: String,
    /// The input is hexadecimal (spaces allowed): `--hex 3031`.
    #[arg(long)]
    pub hex: bool,
    /// Read the input as a byte stream of several frames, as a receiver
    /// would (zap §3.4): split glued frames, report each.
    #[arg(long)]
    pub stream: bool,
    /// With --stream: who sends the bytes (decides which codes may start a
    /// frame, zap §2).
    #[arg(long, value_enum, default_value_t = Sender::Server)]
    pub from: Sender,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Sender {
    /// Bytes a server sends (02 06 07 09 11).
    Server,
    /// Bytes a client sends (01 03 05 08 10).
    Client,
}

/// Runs the command; returns the exit code.
pub fn run(args: &DecodeArgs) -> Result<i32> {
    let input = read_input(args)?;
    let mut out = String::new();
    let ok = if args.stream {
        let dir = match args.from {
            Sender::Server => Direction::ToClient,
            Sender::Client => Direction::ToServer,
        };
        stream(&input, dir, &mut out)
    } else {
        match decode(&input) {
            Ok(d) => {
                describe(&d, &input, &mut out);
                true
            }
            Err(e) => {
                explain(&e, &input, 0, &mut out);
                false
            }
        }
    };
    super::emit(&out)?;
    Ok(if ok { 0 } else { 1 })
}

fn read_input(args: &DecodeArgs) -> Result<Vec<u8>> {
    let text_or_bytes = match &args.frame {
        Some(f) if args.hex => f.as_bytes().to_vec(),
        Some(f) => unescape(f).map_err(|e| anyhow::anyhow!("in the frame argument: {e}"))?,
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("reading standard input")?;
            if buf.ends_with(b"\n") {
                buf.pop();
            }
            buf
        }
    };
    if !args.hex {
        return Ok(text_or_bytes);
    }
    let digits: Vec<u8> = text_or_bytes
        .into_iter()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if digits.len() % 2 != 0 {
        anyhow::bail!("--hex: an odd number of hex digits ({})", digits.len());
    }
    digits
        .chunks(2)
        .enumerate()
        .map(|(i, pair)| {
            let s = std::str::from_utf8(pair).unwrap_or("??");
            u8::from_str_radix(s, 16).map_err(|_| {
                anyhow::anyhow!("--hex: \"{s}\" at digit {} is not hexadecimal", i * 2)
            })
        })
        .collect()
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
        out.push_str(&format!("  {name:<10} {shown}{extra}\n"));
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
    format!("{}: {}", Verdict::NonStrict.display(), parts.join(", "))
}

/// The error, and the input with a caret under the offending byte.
pub(crate) fn explain(e: &Invalid, input: &[u8], base: usize, out: &mut String) {
    let mut at = e.clone();
    at.offset += base;
    out.push_str(&tr!(
        "invalid zap frame: {}\n",
        "frame zap inválido: {}\n",
        crate::lang::invalid(&at)
    ));
    const WINDOW: usize = 40;
    let start = e.offset.saturating_sub(WINDOW);
    let end = (e.offset + WINDOW).min(input.len());
    let before = escape_bytes(&input[start..e.offset.min(input.len())]);
    let shown = escape_bytes(&input[start..end]);
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < input.len() { "…" } else { "" };
    out.push_str(&format!("    {lead}{shown}{tail}\n"));
    let caret_col = lead.chars().count() + before.chars().count();
    out.push_str(&format!("    {}^ {}\n", " ".repeat(caret_col), e.field));
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
