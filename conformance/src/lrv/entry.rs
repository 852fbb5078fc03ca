//! lrv in the harness's list of protocols (`protocols.rs`): the adapter
//! for the raffle size given, the reference server set to lrv and that
//! size, `decode`, `proxy` and `serve`.

use std::sync::Arc;

use super::proxy::LrvLens;
use super::{Lrv, decode};
use crate::protocols::{Decode, Entry, Relay};

pub const ENTRY: Entry = Entry {
    name: "lrv",
    about: "The raffle (spec/lrv.md)",
    harness: |args| Arc::new(Lrv::new(args.lrv.number())),
    reference: |config, args| {
        config
            .with_protocol(gabarito_server::Protocol::Lrv)
            .with_raffle_size(args.lrv.number())
    },
    decode: Decode {
        keeps_newline: true,
        run: decode::run,
        help: decode::HELP,
        examples: decode::EXAMPLES,
    },
    relay: Relay::of::<LrvLens>(),
    // None: `bench --help` and `--protocol` say which protocols have one.
    bench: None,
};
