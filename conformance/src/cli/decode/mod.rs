//! `conformance decode`: what a message means, field by field, or exactly
//! where and why it is not one. In the report's language (`--lang`);
//! codes, message and field names and sections are the same in both.
//!
//! # Layout
//!
//! - `mod.rs` — the arguments, reading the input (text with escapes, hex,
//!   standard input), dispatch by `--protocol`, and what every protocol's
//!   explanation shares: the excerpt with a caret under the offending byte,
//!   the NON-STRICT wording, one line per field.
//! - `zap.rs` — zap frames (zap §3–§8).
//! - `lrv.rs` — LRV lines: requests, replies, the greeting (lrv §3–§7).

mod lrv;
mod zap;

use std::io::Read as _;

use anyhow::{Context, Result};
use clap::Args;
use gabarito_codec::escape::{escape_bytes, unescape};

use crate::cli::protocol_args::ProtocolName;
use crate::verdict::Verdict;

pub(crate) use zap::explain;

/// The arguments of `conformance decode`; what it does is in its help.
#[derive(Debug, Args)]
#[command(after_help = "\
zap: one frame, whichever way it goes (its code says); --stream splits glued frames as
a receiver does (zap §3.4).

lrv: one line — a request (lrv §6), or with --from server a reply, by the strict grammar
(lrv §7.1); a reply outside it that a tolerant reader still understands is shown as that
reader extracts it, each deviation NON-STRICT (lrv §7.5). For a request, what the
reference server answers. --stream splits lines as a receiver does (lrv §3.3 L1-L5);
from a server, the first line is the greeting, by its position (lrv §3.6). Offsets count
from the line's first byte (lrv §9.4).

Exit status: 0 valid (canonical, or NON-STRICT: a deviation the spec tolerates, such as
padding, CRLF, no terminator, human text in a reply); 1 invalid, including an lrv request
that is well formed but every server must refuse (a CPF with wrong check digits); 2 usage.

Examples:
  conformance decode 05200000000000120000000000021700000000olá
  conformance decode --hex '30 31'
  conformance decode --stream --from server 0220000000000010720000000000021700000000
  conformance decode --protocol lrv 'COMPRAR 7\\n'
  conformance decode --protocol lrv 'COMPRAR 007'
  conformance decode --protocol lrv 'REGISTRAR 12345678900'
  conformance decode --protocol lrv --from server '203 - Números disponíveis: 1, 2, 5'
  conformance decode --protocol lrv --stream --from server 'Oi!\\n200\\n203 1,2\\n'
  printf 'COMPRAR 7\\r\\n' | conformance decode --protocol lrv")]
pub struct DecodeArgs {
    /// The message, as text. Escapes are understood: \n \r \t \0 \xNN \\ \".
    /// Without it, it is read from standard input (zap: a single trailing
    /// newline, as `echo` adds, is dropped; lrv: kept, it is the line's
    /// terminator).
    pub frame: Option<String>,
    /// Protocol of the message.
    #[arg(long, value_enum, default_value_t = ProtocolName::Zap)]
    pub protocol: ProtocolName,
    /// The input is hexadecimal (spaces allowed): `--hex 3031`.
    #[arg(long)]
    pub hex: bool,
    /// Read the input as a byte stream of several messages, as a receiver
    /// would (zap §3.4, lrv §3.3): split glued messages, report each.
    #[arg(long)]
    pub stream: bool,
    /// Who sends the bytes. zap, with --stream: which codes may start a
    /// frame (zap §2) [default: server]. lrv: client, requests (the
    /// default); server, replies — with --stream, the greeting first.
    #[arg(long, value_enum)]
    pub from: Option<Sender>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sender {
    /// Bytes a server sends (zap: 02 06 07 09 11; lrv: greeting, replies).
    Server,
    /// Bytes a client sends (zap: 01 03 05 08 10; lrv: requests).
    Client,
}

/// Runs the command; returns the exit code.
pub fn run(args: &DecodeArgs) -> Result<i32> {
    let mut out = String::new();
    let ok = match args.protocol {
        ProtocolName::Zap => {
            let input = read_input(args, Newline::Drop)?;
            zap::run(&input, args.stream, args.from, &mut out)
        }
        ProtocolName::Lrv => {
            let input = read_input(args, Newline::Keep)?;
            lrv::run(&input, args.stream, args.from, &mut out)
        }
    };
    super::emit(&out)?;
    Ok(if ok { 0 } else { 1 })
}

/// What a trailing newline read from standard input is: `echo`'s, or the
/// protocol's own terminator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Newline {
    Drop,
    Keep,
}

fn read_input(args: &DecodeArgs, newline: Newline) -> Result<Vec<u8>> {
    let text_or_bytes = match &args.frame {
        Some(f) if args.hex => f.as_bytes().to_vec(),
        Some(f) => unescape(f).map_err(|e| anyhow::anyhow!("in the frame argument: {e}"))?,
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("reading standard input")?;
            if newline == Newline::Drop && buf.ends_with(b"\n") {
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

/// The input around `offset`, escaped, indented by four, with a caret
/// under the offending byte and `label` (the field) beside it.
pub(crate) fn caret(input: &[u8], offset: usize, label: &str, out: &mut String) {
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
pub(crate) fn non_strict(parts: &[String]) -> String {
    format!("{}: {}", Verdict::NonStrict.display(), parts.join(", "))
}

/// One field of a decoded message: `  name       value`.
pub(crate) fn field(name: &str, value: &str, out: &mut String) {
    out.push_str(&format!("  {name:<10} {value}\n"));
}
