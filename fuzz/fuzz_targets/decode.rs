//! `decode`: the name users know for `zap_decode` (zap is the default
//! protocol), kept so `cargo fuzz run decode` runs the same check
//! (`gabarito_fuzz::laws::whole_frame`). `smoke.sh` skips it: it is
//! `zap_decode` again.
#![no_main]

use gabarito_fuzz::laws::whole_frame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| whole_frame(data));
