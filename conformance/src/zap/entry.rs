//! zap in the harness's list of protocols (`protocols.rs`): the adapter,
//! the reference server as it starts, and `decode`.

use std::sync::Arc;

use super::{Zap, decode};
use crate::protocols::{Decode, Entry};

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
};
