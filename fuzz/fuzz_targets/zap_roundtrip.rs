//! `zap_roundtrip`: an `Arbitrary` message encodes and decodes to itself
//! (docs/ARCHITECTURE.md, "codec": `decode(encode(m)) == m` for every message).
//!
//! The generator (`codec/src/zap/arbitrary.rs`) builds fields through the
//! validating constructors, so this also checks that nothing the types allow
//! is invalid on the wire. A message alone in a stream, at a read boundary
//! (zap §3.4 R5), decodes the same way unless its tail contains a frame
//! header (the ambiguity of §3.4; see `gabarito_fuzz::glue`).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use gabarito_codec::zap::{End, MAX_FRAME_LEN, Message, decode, decode_stream};
use gabarito_fuzz::glue::glue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(m) = Message::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let wire = m.to_bytes();
    assert_eq!(wire.len(), m.encoded_len());
    assert!(
        wire.len() <= MAX_FRAME_LEN,
        "no frame is longer than {MAX_FRAME_LEN} bytes (zap §3.1)"
    );
    let d = match decode(&wire) {
        Ok(d) => d,
        Err(e) => panic!("{m:?} encodes to {wire:?}, which does not decode: {e}"),
    };
    assert_eq!(d.message, m);
    assert!(
        d.is_canonical(),
        "the encoder writes the canonical form (zap §3.2)"
    );
    assert_eq!(d.len, wire.len());
    assert_eq!(d.message.fields()[0].1, m.code().as_str());

    let dir = m.code().direction();
    if glue(std::slice::from_ref(&m), dir, |_| false).is_some() {
        match decode_stream(&wire, dir, End::Boundary) {
            Ok(s) => assert_eq!((s.message, s.len, s.skipped), (m, wire.len(), 0)),
            Err(e) => panic!("{wire:?} alone in a stream at a boundary: {e}"),
        }
    }
});
