//! `zap_decode`: arbitrary bytes as one whole frame (zap §3.2).
//!
//! Never panics; an accepted frame re-encodes to exactly the input when it
//! is canonical, and otherwise (tolerated padding, zap §3.3) to the
//! canonical form of the same message; a rejection points inside the input
//! and renders (`gabarito_fuzz::laws::whole_frame`). The streaming decoder
//! has its own target (`zap_stream`).
#![no_main]

use gabarito_fuzz::laws::whole_frame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| whole_frame(data));
