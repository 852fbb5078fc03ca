//! Property tests (proptest) for the laws of docs/ARCHITECTURE.md and lrv §3, §7.5:
//!
//! - `decode(m.to_bytes())` is `m`, canonical, every byte used;
//! - an accepted canonical line re-encodes to itself; an accepted tolerated
//!   one (CRLF, no terminator) re-encodes to its content and an LF;
//! - a sequence of messages of one direction, with any terminators and
//!   empty lines between them, cut into any chunks, streams back to the
//!   same messages (lrv §3.3) — LRV has no ambiguous stream: only LF frames;
//! - neither decoder panics on any input, whatever `decode_stream` accepts
//!   the whole-line decoder reads the same, and a tolerant stream reader
//!   always finishes within its buffer bound;
//! - the tolerant reader reads every canonical reply as the strict decoder
//!   does, and reads back a list wrapped in human text.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use gabarito_codec::lrv::{
    Cpf, DecodeError, Deviation, Direction, End, Expect, Greeting, MAX_NUMBER, Message, Number,
    NumberList, Reply, Request, StreamDecoder, Terminator, decode, decode_reply, decode_stream,
    extract_reply,
};
use proptest::prelude::*;
use proptest::sample::Index;

// ── strategies ───────────────────────────────────────────────────────────

/// Any 11 digits, or a valid CPF (lrv §4.1): decoders accept both.
fn cpf() -> impl Strategy<Value = Cpf<'static>> {
    prop_oneof![
        (0..100_000_000_000u64).prop_map(|n| Cpf::parse(&format!("{n:011}")).unwrap().into_owned()),
        (1..1_000_000_000u32).prop_filter_map("repeated", Cpf::from_base),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![Just(1u32), Just(MAX_NUMBER), 1..=MAX_NUMBER,].prop_map(|n| Number::new(n).unwrap())
}

fn list() -> impl Strategy<Value = NumberList<'static>> {
    prop::collection::btree_set(1..=MAX_NUMBER, 0..40).prop_map(|set| {
        NumberList::from_numbers(set.into_iter().map(|n| Number::new(n).unwrap())).unwrap()
    })
}

fn greeting() -> impl Strategy<Value = Greeting<'static>> {
    prop_oneof![
        Just(Greeting::standard()),
        "[^\n]{1,60}".prop_filter_map("ends in CR", |s| Greeting::owned(s).ok()),
    ]
}

fn request() -> impl Strategy<Value = Request<'static>> {
    prop_oneof![
        cpf().prop_map(|cpf| Request::Registrar { cpf }),
        Just(Request::Esgotou),
        Just(Request::Disponiveis),
        Just(Request::Comprados),
        number().prop_map(|number| Request::Comprar { number }),
        Just(Request::Sorteio),
        Just(Request::Sair),
    ]
}

fn reply() -> impl Strategy<Value = Reply<'static>> {
    prop_oneof![
        Just(Reply::Registered),
        Just(Reply::Authenticated),
        Just(Reply::Purchased),
        list().prop_map(Reply::Available),
        Just(Reply::Goodbye),
        Just(Reply::SoldOut),
        Just(Reply::NotSoldOut),
        (number(), cpf()).prop_map(|(number, winner)| Reply::Drawn { number, winner }),
        list().prop_map(Reply::Purchases),
        Just(Reply::BadRequest),
        Just(Reply::Unavailable),
        Just(Reply::NotDrawn),
    ]
}

/// A message with the kind of line that carries it.
fn message() -> impl Strategy<Value = (Expect, Message<'static>)> {
    prop_oneof![
        greeting().prop_map(|g| (Expect::Greeting, Message::Greeting(g))),
        request().prop_map(|r| (Expect::Request, Message::Request(r))),
        reply().prop_map(|r| (Expect::Reply, Message::Reply(r))),
    ]
}

/// A connection's stream in one direction: requests, or the greeting then
/// replies.
fn stream_of(dir: Direction) -> BoxedStrategy<Vec<Message<'static>>> {
    match dir {
        Direction::ToServer => {
            prop::collection::vec(request().prop_map(Message::Request), 1..10).boxed()
        }
        Direction::ToClient => (greeting(), prop::collection::vec(reply(), 0..8))
            .prop_map(|(g, rs)| {
                std::iter::once(Message::Greeting(g))
                    .chain(rs.into_iter().map(Message::Reply))
                    .collect()
            })
            .boxed(),
    }
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::ToServer), Just(Direction::ToClient)]
}

/// 512 cases by default; `PROPTEST_CASES=n` for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(512)
}

/// Feeds `chunks` with `End::More`, pulling every message after each, then
/// drains with `End::Boundary`; every rejection is a failure.
fn stream_decode(
    dir: Direction,
    wire: &[u8],
    cuts: &[usize],
) -> Result<Vec<(Message<'static>, Terminator, usize, usize)>, String> {
    let mut dec = StreamDecoder::new(dir);
    let mut out = Vec::new();
    let mut from = 0;
    let mut pull = |dec: &mut StreamDecoder, end| -> Result<(), String> {
        while let Some(d) = dec
            .next(end)
            .map_err(|e| format!("rejected {:?}: {}", e.line, e.invalid))?
        {
            out.push((d.message, d.terminator, d.skipped, d.len));
        }
        Ok(())
    };
    for &to in cuts.iter().chain(std::iter::once(&wire.len())) {
        dec.push(&wire[from..to]);
        from = to;
        pull(&mut dec, End::More)?;
    }
    pull(&mut dec, End::Boundary)?;
    if dec.pending().is_empty() {
        Ok(out)
    } else {
        Err(format!("{} bytes left", dec.pending().len()))
    }
}

// ── laws ─────────────────────────────────────────────────────────────────

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn decode_of_encode_is_identity((expect, m) in message()) {
        let wire = m.to_bytes();
        prop_assert_eq!(wire.len(), m.encoded_len());
        prop_assert_eq!(wire.iter().filter(|&&b| b == b'\n').count(), 1, "one line");
        let d = decode(&wire, expect).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&d.message, &m);
        prop_assert!(d.is_canonical());
        prop_assert_eq!(d.len, wire.len());
        let s = decode_stream(&wire, expect, End::More).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(s.message, m);
    }

    #[test]
    fn accepted_lines_reencode_to_their_input(
        (expect, m) in message(),
        mutation in 0..8u8,
        at in any::<Index>(),
        byte in any::<u8>(),
    ) {
        let mut wire = m.to_bytes();
        match mutation {
            0 => {}
            1 => { let i = at.index(wire.len()); wire[i] = byte; }
            2 => wire.truncate(at.index(wire.len() + 1)),
            3 => { let i = at.index(wire.len()); wire.insert(i, byte); }
            4 => { let n = wire.len(); wire.insert(n - 1, b'\r'); }
            5 => { let i = at.index(wire.len()); wire.insert(i, b' '); }
            6 => { let i = at.index(wire.len()); wire.remove(i); }
            _ => wire.make_ascii_lowercase(),
        }
        if let Ok(d) = decode(&wire, expect) {
            let again = d.message.to_bytes();
            if d.is_canonical() {
                prop_assert_eq!(again, wire);
            } else {
                let content = &wire[..wire.len() - d.terminator.as_bytes().len()];
                prop_assert_eq!(&again[..again.len() - 1], content);
            }
        }
    }

    #[test]
    fn chunked_streams_yield_the_same_messages(
        (dir, msgs) in direction().prop_flat_map(|d| (Just(d), stream_of(d))),
        terminators in prop::collection::vec(0..3u8, 10),
        empties in prop::collection::vec(0..4u8, 10),
        cuts in prop::collection::vec(any::<Index>(), 0..12),
    ) {
        // Each message ends in LF or CRLF, the last one maybe in nothing (it
        // then ends at the boundary); empty lines before some (L2).
        let mut wire = Vec::new();
        let mut expected = Vec::new();
        for (i, m) in msgs.iter().enumerate() {
            let skipped = match empties[i] { 1 => "\n", 2 => "\r\n\n", _ => "" };
            wire.extend_from_slice(skipped.as_bytes());
            let line = m.to_bytes();
            let content = &line[..line.len() - 1];
            let terminator = match terminators[i] {
                2 if i + 1 == msgs.len() => Terminator::Absent,
                1 => Terminator::CrLf,
                _ => Terminator::Lf,
            };
            wire.extend_from_slice(content);
            wire.extend_from_slice(terminator.as_bytes());
            let len = skipped.len() + content.len() + terminator.as_bytes().len();
            expected.push((m.clone(), terminator, skipped.len(), len));
        }
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(wire.len() + 1)).collect();
        cuts.sort_unstable();
        let got = stream_decode(dir, &wire, &cuts).map_err(TestCaseError::fail)?;
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn decoders_never_panic_and_agree_on_what_they_accept(
        bytes in prop::collection::vec(prop_oneof![
            4 => any::<u8>(),
            4 => prop::sample::select(b"0123456789 ,\r\nCOMPRAR207".to_vec()),
        ], 0..200),
        expect in prop_oneof![Just(Expect::Request), Just(Expect::Greeting), Just(Expect::Reply)],
        boundary in any::<bool>(),
    ) {
        let _ = decode(&bytes, expect);
        let _ = extract_reply(&bytes);
        let end = if boundary { End::Boundary } else { End::More };
        match decode_stream(&bytes, expect, end) {
            Ok(d) => {
                prop_assert!(d.len <= bytes.len() && d.skipped < d.len);
                let whole = decode(&bytes[d.skipped..d.len], expect)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(whole.message, d.message);
                prop_assert_eq!(whole.terminator, d.terminator);
            }
            Err(DecodeError::Invalid(e)) => prop_assert!(e.offset <= bytes.len()),
            Err(DecodeError::Incomplete { .. }) => {}
        }
    }

    #[test]
    fn a_tolerant_stream_reader_always_finishes_within_its_bound(
        bytes in prop::collection::vec(prop_oneof![
            8 => any::<u8>(),
            1 => Just(b'\n'),
        ], 0..2000),
        dir in direction(),
        cuts in prop::collection::vec(any::<Index>(), 0..8),
    ) {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut dec = StreamDecoder::new(dir);
        let mut from = 0;
        for &to in cuts.iter().chain(std::iter::once(&bytes.len())) {
            dec.push(&bytes[from..to]);
            from = to;
            // Every call either yields a message, rejects a line (dropping
            // at least a byte) or waits.
            for _ in 0..=bytes.len() + 1 {
                let before = dec.pending().len();
                match dec.next(End::More) {
                    Ok(Some(d)) => prop_assert!(d.len > 0),
                    Ok(None) => break,
                    Err(_) => prop_assert!(dec.pending().len() < before),
                }
            }
            prop_assert!(dec.pending().len() <= dec.expect().max_len() + 1);
        }
        for _ in 0..=bytes.len() + 1 {
            match dec.next(End::Boundary) {
                Ok(Some(_)) | Err(_) => {}
                Ok(None) => break,
            }
        }
        prop_assert!(dec.pending().is_empty(), "{:?}", dec.pending());
    }

    #[test]
    fn the_tolerant_reader_reads_canonical_replies_as_the_strict_one(r in reply()) {
        let wire = r.to_bytes();
        let strict = decode_reply(&wire).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let x = extract_reply(&wire).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(x.is_canonical(), "{:?}", x);
        prop_assert_eq!(x.reply(), Some(strict.message.into_owned()));
    }

    #[test]
    fn the_tolerant_reader_reads_a_list_in_human_text(
        l in list(),
        purchases in any::<bool>(),
        prefix in prop::sample::select(vec!["- Números disponíveis: ", "Disponiveis: [", "Seus números (CPF 12345678909): "]),
        sep in prop::sample::select(vec![", ", " ", ";", " e "]),
    ) {
        let code = if purchases { "208" } else { "203" };
        let body: Vec<String> = l.iter().map(|n| n.to_string()).collect();
        let line = format!("{code} {prefix}{}\n", body.join(sep));
        let x = extract_reply(line.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(x.numbers, l.iter().collect::<Vec<_>>());
        prop_assert_eq!(x.deviations, vec![Deviation::Text]);
    }

    #[test]
    fn from_base_cpfs_are_valid_and_a_changed_check_digit_is_not(
        base in 0..1_000_000_000u32,
        which in 9..11usize,
        delta in 1..10u8,
    ) {
        if let Some(cpf) = Cpf::from_base(base) {
            prop_assert!(cpf.is_valid());
            let mut digits = cpf.as_str().as_bytes().to_vec();
            digits[which] = b'0' + (digits[which] - b'0' + delta) % 10;
            let changed = String::from_utf8(digits).unwrap();
            let changed = Cpf::parse(&changed).unwrap();
            prop_assert!(!changed.has_valid_check_digits());
            prop_assert!(Cpf::parse_strict(changed.as_str()).is_err());
        }
    }
}
