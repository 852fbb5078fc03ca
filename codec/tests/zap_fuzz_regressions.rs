//! Inputs the fuzz targets found (`fuzz/`, see fuzz/README.md), minimized
//! and written inline, so the ordinary stable `cargo test` keeps them fixed
//! without cargo-fuzz or nightly. Each test names the target and the input.

use gabarito_codec::zap::{
    DecodeError, Direction, End, Field, GroupMembers, Id, Kind, Message, RequestedMembers,
    Timestamp, decode, decode_stream,
};

fn id(n: u64) -> Id<'static> {
    Id::from_value(n).expect("13 digits")
}

/// `roundtrip`, input `[0x31]` (`"1"`): `Message::arbitrary` built
/// `GroupCreated { group: 0000000000000, timestamp: 0000000000, members:
/// [0000000000000] }`, whose encoding does not decode — a trailing zero id
/// is padding (zap §3.3, D7), so the receiver strips it and finds an 11
/// with no member (§8.2). The type allowed a message that cannot be sent
/// as itself; now a member list cannot end in the zero id.
#[test]
fn roundtrip_a_member_list_cannot_end_in_the_zero_id() {
    let wire = [
        &b"11"[..],
        b"0000000000000",
        b"0000000000",
        b"0000000000000",
    ]
    .concat();
    let err = decode(&wire).expect_err("the only member is padding");
    assert_eq!((err.kind, err.offset), (Kind::TooFewMembers { min: 1 }, 25));

    let err = GroupMembers::from_ids([id(0)]).expect_err("a lone zero id is padding");
    assert_eq!(
        (err.kind, err.field, err.offset),
        (Kind::TrailingZeroMember, Field::Member(0), 0)
    );
    let err = RequestedMembers::from_ids([id(2_000_000_000_001), id(0), id(0)])
        .expect_err("trailing zero ids");
    assert_eq!(
        (err.kind, err.field, err.offset),
        (Kind::TrailingZeroMember, Field::Member(2), 26)
    );
    assert!(err.to_string().contains("0000000000000"), "{err}");

    // Inside the list the zero id is well formed (a server ignores a 10
    // naming it, §10.2), and the message round-trips.
    let members = RequestedMembers::from_ids([id(0), id(2_000_000_000_001)]).expect("zero inside");
    let m = Message::CreateGroup {
        creator: id(2_000_000_000_002),
        timestamp: Timestamp::from_secs(1_700_000_000).expect("10 digits"),
        members,
    };
    let wire = m.to_bytes();
    let d = decode(&wire).expect("round trip");
    assert!(d.is_canonical());
    assert_eq!(d.message, m);
}

/// The same input through the generator itself: whatever `Arbitrary`
/// builds from it now round-trips (it may also decline to build).
#[cfg(feature = "arbitrary")]
#[test]
fn roundtrip_arbitrary_from_the_minimized_input() {
    use arbitrary::{Arbitrary, Unstructured};
    if let Ok(m) = Message::arbitrary(&mut Unstructured::new(b"1")) {
        let wire = m.to_bytes();
        let d = decode(&wire).expect("an arbitrary message decodes");
        assert_eq!(d.message, m);
    }
}

/// `stream`, a 10 whose 8th slot is a digit then a non-digit (minimized
/// from `crash-d8e1c756…`): with `End::More`, a buffer ending after the
/// digit said `too_many_members` at 116 while the whole buffer said
/// `not_digits` at 117 — a decision that depended on how the bytes were
/// cut. A slot past the limit is now too many at its first byte, in both
/// decoders (zap §3.4 R4).
#[test]
fn stream_an_8th_member_is_too_many_however_the_bytes_are_cut() {
    let head = [
        &b"10"[..],
        b"2000000000001",
        b"1700000000",
        &b"2000000000002".repeat(7),
    ]
    .concat();
    for tail in [&b"2"[..], b"2x", b"2000x", b"2000000000009x"] {
        let wire = [&head[..], tail].concat();
        for cut in head.len()..=wire.len() {
            match decode_stream(&wire[..cut], Direction::ToServer, End::More) {
                Err(DecodeError::Invalid(e)) => assert_eq!(
                    (e.kind, e.field, e.offset),
                    (Kind::TooManyMembers { max: 7 }, Field::Member(7), 116),
                    "tail {tail:?} cut at {cut}"
                ),
                Err(DecodeError::Incomplete { .. }) => assert_eq!(cut, head.len(), "tail {tail:?}"),
                Ok(d) => panic!("tail {tail:?} cut at {cut}: accepted {:?}", d.message),
            }
        }
        let e = decode(&wire).expect_err("too many members");
        assert_eq!((e.kind, e.offset), (Kind::TooManyMembers { max: 7 }, 116));
    }
}
