//! zap in the harness's list of protocols (`protocols.rs`): the adapter,
//! the reference server as it starts, `decode`, `proxy`, `serve` and
//! `bench`.

use std::sync::Arc;

use super::proxy::ZapLens;
use super::{Zap, bench, decode};
use crate::protocols::{Decode, Entry, Relay};

pub const ENTRY: Entry = Entry {
    name: "zap",
    about: "WhatsApp-like messaging (spec/zap.md)",
    harness: |_| Arc::new(Zap),
    reference: |config, _| config,
    decode: Decode {
        keeps_newline: false,
        run: decode::run,
        help: decode::HELP,
        examples: decode::EXAMPLES,
    },
    relay: Relay::of::<ZapLens>(),
    bench: Some(bench::measure::run),
};
