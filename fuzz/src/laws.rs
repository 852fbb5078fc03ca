//! What every decoder result must satisfy, whatever the input, and the
//! `zap_decode` target's whole check ([`whole_frame`]), which its alias
//! `decode` runs too.

use gabarito_codec::zap::{Decoded, ID_LEN, Invalid, decode};

/// The re-encoding law for a frame that `decode` accepted as the whole of
/// `input` (docs/ARCHITECTURE.md, "codec": `encode(decode(b)) == b` for every accepted
/// canonical frame).
///
/// - canonical (zap §3.2): the encoder reproduces `input` byte for byte;
/// - tolerated padding (zap §3.3, D6, D7): the encoder writes the unpadded
///   form, which decodes to the same message, is canonical, and is shorter
///   by exactly the padding the decoder reported.
pub fn check_reencode(input: &[u8], d: &Decoded<'_>) {
    assert_eq!(d.len, input.len(), "a whole-frame decode uses every byte");
    assert_eq!(
        d.skipped, 0,
        "a whole-frame decode skips no line breaks (only streams do, zap §3.5)"
    );
    let again = d.message.to_bytes();
    assert_eq!(
        again.len(),
        d.message.encoded_len(),
        "encoded_len is the encoder's length"
    );
    if d.is_canonical() {
        assert_eq!(
            again, input,
            "a canonical frame re-encodes to itself (zap §3.2)"
        );
        return;
    }
    let d2 = match decode(&again) {
        Ok(d2) => d2,
        Err(e) => panic!("the re-encoding {again:?} of an accepted frame does not decode: {e}"),
    };
    assert_eq!(
        d2.message, d.message,
        "the re-encoding decodes to the same message"
    );
    assert!(
        d2.is_canonical(),
        "the encoder writes the canonical form (zap §3.2)"
    );
    let padding = d.padding.nul_bytes + ID_LEN * d.padding.zero_members;
    assert_eq!(
        again.len() + padding,
        input.len(),
        "only the reported padding is stripped (zap §3.3)"
    );
}

/// `zap_decode` (and `decode`): `data` as one whole frame (zap §3.2). An
/// accepted frame re-encodes by [`check_reencode`]; a rejection by
/// [`check_invalid`].
pub fn whole_frame(data: &[u8]) {
    match decode(data) {
        Ok(d) => {
            check_reencode(data, &d);
            assert_eq!(d.clone().into_owned(), d, "into_owned keeps the message");
        }
        Err(e) => check_invalid(data, &e),
    }
}

/// An error must point inside the input (or just past it, for a frame cut
/// short: `Truncated`), and must render without panicking: reports quote
/// the offending bytes (zap §10.1 "logs the fault (peer, byte offset, field)").
pub fn check_invalid(input: &[u8], e: &Invalid) {
    assert!(
        e.offset <= input.len(),
        "error offset {} past the input's {} bytes: {e:?}",
        e.offset,
        input.len()
    );
    let shown = e.to_string();
    assert!(shown.starts_with("byte "), "{shown}");
}
