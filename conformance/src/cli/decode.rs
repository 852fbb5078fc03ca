//! `conformance decode`: what a message means, field by field, or exactly
//! where and why it is not one. In the report's language (`--lang`);
//! codes, message and field names and sections are the same in both.
//! The arguments and reading the input (text with escapes, hex, standard
//! input) are here; each protocol's explanation is its `decode.rs`, found
//! through its registry entry (`protocols.rs`).

use std::io::Read as _;

use anyhow::{Context, Result};
use clap::Args;
use gabarito_codec::escape::unescape;

use crate::explain::Sender;
use crate::protocols::{ALL, DEFAULT, Entry};

/// The arguments of `conformance decode`; what it does is in its help.
#[derive(Debug, Args)]
#[command(after_help = help())]
pub struct DecodeArgs {
    /// The message, as text. Escapes are understood: \n \r \t \0 \xNN \\ \".
    /// Without it, it is read from standard input (whether a trailing
    /// newline belongs to the message, each protocol's paragraph below
    /// says).
    pub frame: Option<String>,
    /// Protocol of the message.
    #[arg(long, value_enum, default_value_t = DEFAULT)]
    pub protocol: &'static Entry,
    /// The input is hexadecimal (spaces allowed): `--hex 3031`.
    #[arg(long)]
    pub hex: bool,
    /// Read the input as a byte stream of several messages, as a receiver
    /// would: split glued messages, report each.
    #[arg(long)]
    pub stream: bool,
    /// Who sends the bytes: what a receiver expects of them (each
    /// protocol's paragraph below says what it changes, and its default).
    #[arg(long, value_enum)]
    pub from: Option<Sender>,
}

/// Every protocol's paragraph, the exit status, every protocol's examples.
fn help() -> String {
    let paragraphs: Vec<&str> = ALL.iter().map(|e| e.decode.help).collect();
    let examples: Vec<&str> = ALL.iter().map(|e| e.decode.examples).collect();
    format!(
        "{}\n\n\
Exit status: 0 valid (canonical, or NON-STRICT: a deviation the spec tolerates, as each
paragraph above says); 1 invalid; 2 usage.

Examples:
{}",
        paragraphs.join("\n\n"),
        examples.join("\n")
    )
}

/// Runs the command; returns the exit code.
pub fn run(args: &DecodeArgs) -> Result<i32> {
    let decode = &args.protocol.decode;
    let input = read_input(args, decode.keeps_newline)?;
    let mut out = String::new();
    let ok = (decode.run)(&input, args.stream, args.from, &mut out);
    super::emit(&out)?;
    Ok(if ok { 0 } else { 1 })
}

fn read_input(args: &DecodeArgs, keeps_newline: bool) -> Result<Vec<u8>> {
    let text_or_bytes = match &args.frame {
        Some(f) if args.hex => f.as_bytes().to_vec(),
        Some(f) => unescape(f).map_err(|e| anyhow::anyhow!("in the frame argument: {e}"))?,
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .context("reading standard input")?;
            if !keeps_newline && buf.ends_with(b"\n") {
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
