//! `decode`: arbitrary bytes as one whole frame (zap §3.2).
//!
//! Never panics; an accepted frame re-encodes to exactly the input when it
//! is canonical, and otherwise (tolerated padding, zap §3.3) to the
//! canonical form of the same message; a rejection points inside the input
//! and renders. The streaming decoder has its own target (`stream`).
#![no_main]

use gabarito_codec::zap::decode;
use gabarito_fuzz::laws::{check_invalid, check_reencode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match decode(data) {
        Ok(d) => {
            check_reencode(data, &d);
            assert_eq!(d.clone().into_owned(), d, "into_owned keeps the message");
        }
        Err(e) => check_invalid(data, &e),
    }
});
