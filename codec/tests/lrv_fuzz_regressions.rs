//! Inputs the `lrv_decode` fuzz target found (`fuzz/`, see fuzz/README.md),
//! minimized and written inline, so the ordinary stable `cargo test` keeps
//! them fixed without cargo-fuzz or nightly. Each test names the input.

use gabarito_codec::lrv::{
    DecodeError, Direction, End, Expect, Invalid, Kind, MAX_REQUEST_LEN, StreamDecoder,
    decode_request, decode_stream,
};

/// `lrv_decode`, raw mode, input: a request line of 300 bytes without an
/// LF (`",287,288,…"`), once cut after 259 bytes and once whole. Both
/// readers rightly rejected the line as too long at byte 256 (lrv §3.3 L3),
/// but quoted the bytes after the limit that had arrived so far — three in
/// one case, sixteen in the other — so the same decision read differently
/// depending on how TCP cut the stream. The error now quotes only the first
/// `limit + 1` bytes, which are in whenever the decision can be made.
#[test]
fn lrv_decode_a_line_too_long_reads_the_same_however_it_was_cut() {
    let line: Vec<u8> = (287..400)
        .flat_map(|n| format!(",{n}").into_bytes())
        .take(300)
        .collect();
    let rejected = |cut: usize| -> Invalid {
        let mut dec = StreamDecoder::new(Direction::ToServer);
        dec.push(&line[..cut]);
        match dec.next(End::More) {
            Err(r) => return r.invalid,
            Ok(None) => {}
            Ok(Some(d)) => panic!("accepted {d:?}"),
        }
        dec.push(&line[cut..]);
        dec.next(End::More).expect_err("too long").invalid
    };
    let whole = rejected(line.len());
    assert_eq!(
        whole.kind,
        Kind::LineTooLong {
            limit: MAX_REQUEST_LEN
        }
    );
    assert_eq!(whole.offset, MAX_REQUEST_LEN);
    for cut in [0, 1, 200, MAX_REQUEST_LEN, MAX_REQUEST_LEN + 1, 259, 299] {
        assert_eq!(rejected(cut), whole, "cut after {cut} bytes");
    }
    let Err(DecodeError::Invalid(stateless)) =
        decode_stream(&line[..257], Expect::Request, End::More)
    else {
        panic!("257 bytes without an LF are too long");
    };
    assert_eq!(stateless, whole);
    let mut terminated = line.clone();
    terminated.push(b'\n');
    assert_eq!(decode_request(&terminated).expect_err("too long"), whole);
}
