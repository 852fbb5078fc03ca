//! Framing (zap §3.4–§3.6) through the public API: the rules R1–R5 as a
//! receiver meets them read by read, `frame_starts`, `resync`, and
//! `StreamDecoder::skip_garbage`. The byte-exact cases are in
//! `spec/vectors/zap.toml`; these tests drive the buffering decoder.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use gabarito_codec::zap::{
    Code, DecodeError, Direction, End, Kind, Lookahead, MAX_FRAME_LEN, Message, StreamDecoder,
    decode_stream, frame_starts, resync,
};

const ANA: &str = "2000000000001";
const BIA: &str = "2000000000002";
const TS: &str = "1700000000";

fn send(data: &str) -> Vec<u8> {
    format!("05{ANA}{BIA}{TS}{data}").into_bytes()
}

fn deliver(data: &str) -> Vec<u8> {
    format!("06{ANA}{BIA}{TS}{data}").into_bytes()
}

/// Pushes `reads` one by one, pulling every complete frame after each with
/// `End::More`, then pulls the rest with `End::Boundary`.
fn frames(dir: Direction, reads: &[&[u8]]) -> Vec<Message<'static>> {
    let mut dec = StreamDecoder::new(dir);
    let mut out = Vec::new();
    for read in reads {
        dec.push(read);
        while let Some(d) = dec.next(End::More).expect("valid stream") {
            out.push(d.message);
        }
    }
    while let Some(d) = dec.next(End::Boundary).expect("valid stream") {
        out.push(d.message);
    }
    assert!(dec.pending().is_empty(), "left over: {:?}", dec.pending());
    out
}

fn data(m: &Message<'_>) -> String {
    match m {
        Message::Send(c) | Message::Deliver(c) => c.data.to_string(),
        other => panic!("not a 05/06: {other:?}"),
    }
}

// ── R1 — code ────────────────────────────────────────────────────────────

#[test]
fn r1_every_code_of_the_other_direction_is_wrong_direction() {
    for code in Code::ALL {
        let other = code.direction().reverse();
        let mut frame = code.as_str().as_bytes().to_vec();
        frame.extend(std::iter::repeat_n(b'2', code.header_digits()));
        let err = decode_stream(&frame, other, End::Boundary).unwrap_err();
        match err {
            DecodeError::Invalid(i) => {
                assert_eq!(i.kind, Kind::WrongDirection { expected: other }, "{code}");
                assert_eq!(i.offset, 0);
            }
            other => panic!("{code}: {other:?}"),
        }
    }
}

#[test]
fn r1_04_is_never_a_code_in_either_direction() {
    for dir in [Direction::ToServer, Direction::ToClient] {
        let err = decode_stream(format!("04{ANA}").as_bytes(), dir, End::Boundary).unwrap_err();
        assert!(
            matches!(err, DecodeError::Invalid(ref i) if i.kind == Kind::UnknownCode),
            "{err:?}"
        );
    }
}

// ── R2 — fixed frames and headers ────────────────────────────────────────

#[test]
fn r2_a_fixed_frame_split_over_reads_is_joined() {
    let frame = format!("08{BIA}{TS}");
    let (a, b) = frame.as_bytes().split_at(9);
    let got = frames(Direction::ToServer, &[a, b]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].code(), Code::Read);
}

#[test]
fn r2_a_fixed_frame_prefix_waits_even_at_a_boundary() {
    let mut dec = StreamDecoder::new(Direction::ToServer);
    dec.push(b"03200000");
    assert_eq!(dec.next(End::Boundary), Ok(None));
    dec.push(b"0000001");
    assert_eq!(
        dec.next(End::More).unwrap().map(|d| d.message.code()),
        Some(Code::Connect)
    );
}

#[test]
fn r2_a_bad_byte_fails_before_the_frame_is_complete() {
    let mut dec = StreamDecoder::new(Direction::ToServer);
    dec.push(b"05200000000000120000a");
    let err = dec.next(End::More).unwrap_err();
    assert_eq!(
        (err.kind, err.field.name(), err.offset),
        (Kind::NotDigits { width: 13 }, "dst", 20)
    );
}

// ── R3 — a glued frame ends the tail ─────────────────────────────────────

#[test]
fn r3_three_glued_06_after_a_02_are_four_frames() {
    let mut wire = format!("02{ANA}").into_bytes();
    for text in ["oi", "", "até já"] {
        wire.extend(deliver(text));
    }
    let got = frames(Direction::ToClient, &[&wire]);
    let texts: Vec<_> = got[1..].iter().map(data).collect();
    assert_eq!(
        got[0],
        Message::Registered {
            id: gabarito_codec::zap::Id::parse(ANA).unwrap()
        }
    );
    assert_eq!(texts, ["oi", "", "até já"]);
}

#[test]
fn r3_any_chunking_of_glued_frames_gives_the_same_frames() {
    let mut wire = send("primeira");
    wire.extend(format!("10{ANA}{TS}{BIA}").bytes());
    wire.extend(format!("08{BIA}{TS}").bytes());
    wire.extend(send(&"ç".repeat(218)));
    wire.extend(format!("03{ANA}").bytes());
    let whole = frames(Direction::ToServer, &[&wire]);
    assert_eq!(whole.len(), 5);
    for cut in 1..wire.len() {
        let (a, b) = wire.split_at(cut);
        assert_eq!(frames(Direction::ToServer, &[a, b]), whole, "cut at {cut}");
    }
    let bytes: Vec<&[u8]> = wire.chunks(1).collect();
    assert_eq!(frames(Direction::ToServer, &bytes), whole, "byte by byte");
}

#[test]
fn frame_starts_needs_the_whole_header_of_a_code_of_its_direction() {
    let to_server = Direction::ToServer;
    assert_eq!(
        frame_starts(format!("03{ANA}").as_bytes(), to_server),
        Lookahead::Yes
    );
    assert_eq!(frame_starts(b"0320000", to_server), Lookahead::Maybe);
    assert_eq!(frame_starts(b"0", to_server), Lookahead::Maybe);
    assert_eq!(frame_starts(b"03200a0000000001", to_server), Lookahead::No);
    assert_eq!(
        frame_starts(format!("02{ANA}").as_bytes(), to_server),
        Lookahead::No,
        "02 is the server's"
    );
    assert_eq!(
        frame_starts(format!("02{ANA}").as_bytes(), Direction::ToClient),
        Lookahead::Yes
    );
    assert_eq!(
        frame_starts(b"01", to_server),
        Lookahead::No,
        "01 is never evidence (R3)"
    );
    assert_eq!(frame_starts(b"", to_server), Lookahead::No);
    assert_eq!(frame_starts(b"2", to_server), Lookahead::No);
    let header_05 = format!("05{ANA}{BIA}{TS}");
    assert_eq!(
        frame_starts(header_05.as_bytes(), to_server),
        Lookahead::Yes
    );
    assert_eq!(
        frame_starts(&header_05.as_bytes()[..37], to_server),
        Lookahead::Maybe
    );
}

// ── R4 — limits end the tail ─────────────────────────────────────────────

#[test]
fn r4_218_characters_then_a_glued_frame() {
    for unit in ["a", "é", "€", "𝄞"] {
        let mut wire = send(&unit.repeat(218));
        wire.extend(format!("03{ANA}").bytes());
        let got = frames(Direction::ToServer, &[&wire]);
        assert_eq!(data(&got[0]).chars().count(), 218, "{unit}");
        assert_eq!(got[1].code(), Code::Connect);
    }
}

#[test]
fn r4_a_219th_character_is_malformed_as_soon_as_it_arrives() {
    let mut dec = StreamDecoder::new(Direction::ToServer);
    dec.push(&send(&"a".repeat(218)));
    assert_eq!(
        dec.next(End::More),
        Ok(None),
        "218: a header may still follow"
    );
    dec.push(b"b");
    let err = dec.next(End::More).unwrap_err();
    assert_eq!((err.kind, err.offset), (Kind::TooManyChars, 38 + 218));
}

// ── R5 — a read boundary ends the tail ───────────────────────────────────

#[test]
fn r5_a_long_05_in_two_reads_is_read_whole_when_no_boundary_falls_between() {
    let wire = send(&"ã".repeat(200));
    let (a, b) = wire.split_at(101); // inside an "ã"
    let mut dec = StreamDecoder::new(Direction::ToServer);
    dec.push(a);
    assert_eq!(
        dec.next(End::Boundary),
        Ok(None),
        "never ends inside a character"
    );
    dec.push(b);
    let d = dec.next(End::Boundary).unwrap().unwrap();
    assert_eq!(data(&d.message), "ã".repeat(200));
    assert_eq!(d.len, wire.len());
}

#[test]
fn r5_a_boundary_between_two_reads_cuts_a_05_in_two() {
    // What a receiver with a settle time does when the sender paused
    // mid-message: the first part is a whole 05; the rest is garbage.
    let wire = send("metade e metade");
    let (a, b) = wire.split_at(45);
    let mut dec = StreamDecoder::new(Direction::ToServer);
    dec.push(a);
    let first = dec.next(End::Boundary).unwrap().unwrap();
    assert_eq!(data(&first.message), "metade ");
    dec.push(b);
    assert_eq!(dec.next(End::Boundary).unwrap_err().kind, Kind::UnknownCode);
}

#[test]
fn r5_a_member_list_cut_mid_id_at_a_boundary_is_malformed() {
    let mut dec = StreamDecoder::new(Direction::ToServer);
    dec.push(format!("10{ANA}{TS}{BIA}2000").as_bytes());
    assert_eq!(dec.next(End::More), Ok(None));
    let err = dec.next(End::Boundary).unwrap_err();
    assert_eq!((err.kind, err.offset), (Kind::PartialMember, 38));
}

// ── §3.5 line breaks ─────────────────────────────────────────────────────

#[test]
fn crlf_between_frames_is_skipped_and_counted() {
    let mut dec = StreamDecoder::new(Direction::ToServer);
    dec.push(format!("01\r\n03{ANA}\n").as_bytes());
    let first = dec.next(End::More).unwrap().unwrap();
    assert!(first.is_canonical());
    let second = dec.next(End::More).unwrap().unwrap();
    assert_eq!(
        (second.skipped, second.len, second.is_canonical()),
        (2, 17, false)
    );
    assert_eq!(dec.next(End::Boundary), Ok(None));
    assert_eq!(
        dec.pending(),
        b"",
        "a line break is dropped as soon as it is seen"
    );
}

#[test]
fn only_line_breaks_never_grow_the_buffer_and_are_counted_into_the_next_frame() {
    let mut dec = StreamDecoder::new(Direction::ToServer);
    for _ in 0..10_000 {
        dec.push(b"\r\n");
        assert_eq!(dec.next(End::More), Ok(None));
        assert!(
            dec.pending().is_empty(),
            "{} bytes kept",
            dec.pending().len()
        );
    }
    dec.push(format!("03{ANA}").as_bytes());
    let d = dec.next(End::More).unwrap().unwrap();
    assert_eq!((d.skipped, d.len), (20_000, 20_015));
}

// ── §3.6 garbage ─────────────────────────────────────────────────────────

#[test]
fn skip_garbage_steps_over_a_banner_then_reads_the_02() {
    let mut dec = StreamDecoder::new(Direction::ToClient);
    dec.push(format!("Bem-vindo ao zap!\n02{ANA}").as_bytes());
    let err = dec.next(End::More).unwrap_err();
    assert_eq!((err.kind, err.offset), (Kind::UnknownCode, 0));
    assert_eq!(dec.skip_garbage(), b"Bem-vindo ao zap!\n");
    let d = dec.next(End::More).unwrap().unwrap();
    assert_eq!(d.message.code(), Code::Registered);
    assert!(dec.pending().is_empty());
}

#[test]
fn skip_garbage_keeps_a_possible_header_at_the_end() {
    let mut dec = StreamDecoder::new(Direction::ToClient);
    dec.push(b"ola 10 anos de zap\n02200");
    assert!(dec.next(End::More).is_err());
    assert_eq!(
        dec.skip_garbage(),
        b"ola 10 anos de zap\n",
        "\"10 a\" is not a header"
    );
    assert_eq!(dec.next(End::More), Ok(None), "a 02 may be arriving");
    dec.push(b"0000000001");
    assert_eq!(
        dec.next(End::More).unwrap().unwrap().message.code(),
        Code::Registered
    );
}

#[test]
fn skip_garbage_after_an_invented_04_reply() {
    let mut dec = StreamDecoder::new(Direction::ToClient);
    dec.push(format!("04{ANA}").as_bytes());
    dec.push(&deliver("oi"));
    assert!(dec.next(End::Boundary).is_err());
    assert_eq!(dec.skip_garbage(), format!("04{ANA}").as_bytes());
    assert_eq!(
        data(&dec.next(End::Boundary).unwrap().unwrap().message),
        "oi"
    );
}

#[test]
fn resync_finds_the_next_header_of_its_direction_only() {
    let wire = format!("xx06{ANA}{BIA}{TS}03{ANA}");
    assert_eq!(
        resync(wire.as_bytes(), Direction::ToServer),
        40,
        "skips the 06, stops at 03"
    );
    assert_eq!(resync(wire.as_bytes(), Direction::ToClient), 2);
    assert_eq!(
        resync(b"garbage", Direction::ToServer),
        7,
        "nothing plausible: drop everything"
    );
    assert_eq!(resync(b"", Direction::ToServer), 0);
    assert_eq!(
        resync(b"x0", Direction::ToServer),
        1,
        "a trailing 0 may still become a header"
    );
    assert_eq!(
        resync(b"x01z", Direction::ToServer),
        4,
        "01 is never a resync point"
    );
    assert_eq!(
        resync(b"x01", Direction::ToServer),
        2,
        "but its 1 may begin a 10"
    );
}

#[test]
fn a_stream_never_buffers_more_than_a_frame_and_a_glued_header_undecided() {
    // The bound ZapCodec's guard relies on: whatever `decode_stream` is still
    // waiting on fits in MAX_FRAME_LEN plus one header.
    let mut wire = send(&"𝄞".repeat(218));
    wire.extend(format!("05{ANA}{BIA}").bytes());
    assert_eq!(
        decode_stream(&wire, Direction::ToServer, End::More),
        Err(DecodeError::Incomplete { have: wire.len() })
    );
    assert!(wire.len() < MAX_FRAME_LEN + 38);
}
