//! Property tests (proptest) for the laws of DESIGN.md and papo §3, §6.10:
//!
//! - `decode(m.to_bytes())` is `m`, every byte used, canonical when ASCII
//!   (and not the no-message `:`), for lines of both directions;
//! - an accepted canonical line re-encodes to itself; any accepted line's
//!   encoding decodes to the same message;
//! - lines of one direction, with any terminators and empty lines between
//!   them, cut into any chunks, stream back to the same lines (papo §3.3:
//!   only LF frames);
//! - neither decoder nor the reader by meaning panics on any input; what
//!   `decode_stream` accepts the whole-line decoder reads the same;
//! - the reader by meaning reads every canonical server line about known
//!   users as the strict decoder does, with no deviation (§6.10 rule 0),
//!   and reads the bracketed public delivery `[ana] texto` as `ana`'s.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use gabarito_codec::papo::{
    ChatLine, DecodeError, Delivery, Destination, Deviation, End, Expect, Expectation,
    MAX_CLIENT_LEN, Meaning, Message, Nickname, NicknameLine, OnlineList, Private, Public,
    RESERVED, ServerLine, StreamDecoder, Terminator, Text, WireCode, decode, decode_server_line,
    decode_stream, read_line,
};
use proptest::prelude::*;
use proptest::sample::Index;

// ── strategies ───────────────────────────────────────────────────────────

fn nickname() -> impl Strategy<Value = Nickname<'static>> {
    "[A-Za-z][A-Za-z0-9_-]{0,19}".prop_filter_map("reserved", |s| Nickname::owned(s).ok())
}

fn destination() -> impl Strategy<Value = Destination<'static>> {
    prop_oneof![
        4 => nickname().prop_map(Destination::from),
        1 => prop::sample::select(RESERVED.to_vec())
            .prop_map(|r| Destination::owned(r.to_owned()).unwrap()),
    ]
}

/// A text (papo §4.2): printable ASCII, tabs, `:`, UTF-8 and Latin-1
/// bytes; no control byte, no blank at an end.
fn text(max: usize) -> impl Strategy<Value = Text<'static>> {
    let byte = prop_oneof![
        8 => 0x20..=0x7eu8,
        1 => Just(b'\t'),
        1 => Just(b':'),
        1 => 0x80..=0xffu8,
    ];
    prop_oneof![
        prop::collection::vec(byte.clone(), 1..40),
        prop::collection::vec(byte, max..=max),
    ]
    .prop_filter_map("blank at an end", |b| Text::owned(b).ok())
}

fn chat_line() -> impl Strategy<Value = ChatLine<'static>> {
    prop_oneof![
        3 => text(MAX_CLIENT_LEN - 1).prop_map(|t| ChatLine::Public(Public::new(t).unwrap())),
        3 => (destination(), text(MAX_CLIENT_LEN - 21))
            .prop_map(|(to, t)| ChatLine::Private(Private::new(to, t).unwrap())),
        1 => Just(ChatLine::Quit),
        1 => Just(ChatLine::Empty),
    ]
}

fn nickname_line() -> impl Strategy<Value = NicknameLine<'static>> {
    prop_oneof![
        4 => nickname().prop_map(NicknameLine::Nickname),
        1 => Just(NicknameLine::Quit),
    ]
}

fn server_line() -> impl Strategy<Value = ServerLine<'static>> {
    let delivery = || (nickname(), text(1_500)).prop_map(|(n, t)| Delivery::new(n, t).unwrap());
    prop_oneof![
        Just(ServerLine::Prompt),
        Just(ServerLine::Notice),
        prop::collection::vec(nickname(), 0..12)
            .prop_map(|n| ServerLine::List(OnlineList::new(n).unwrap())),
        Just(ServerLine::Ack),
        delivery().prop_map(ServerLine::Private),
        prop::sample::select(WireCode::ALL.to_vec()).prop_map(ServerLine::Error),
        delivery().prop_map(ServerLine::Public),
        nickname().prop_map(ServerLine::Join),
        nickname().prop_map(ServerLine::Leave),
    ]
}

fn line_of(expect: Expect) -> BoxedStrategy<Message<'static>> {
    match expect {
        Expect::Nickname => nickname_line().prop_map(Message::Nickname).boxed(),
        Expect::Chat => chat_line().prop_map(Message::Chat).boxed(),
        Expect::Server => server_line().prop_map(Message::Server).boxed(),
    }
}

fn expect() -> impl Strategy<Value = Expect> {
    prop_oneof![
        Just(Expect::Nickname),
        Just(Expect::Chat),
        Just(Expect::Server)
    ]
}

fn line() -> impl Strategy<Value = (Expect, Message<'static>)> {
    expect().prop_flat_map(|e| line_of(e).prop_map(move |m| (e, m)))
}

/// 512 cases by default; `PROPTEST_CASES=n` for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(512)
}

/// Lines as the wire may carry them: bytes that often look like papo.
fn wire_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"ana".to_vec()),
        Just(b": ".to_vec()),
        Just(b":".to_vec()),
        Just(b" ".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"{quit}".to_vec()),
        Just(b"Mensagem recebida de: ".to_vec()),
        Just(b"Erro 02: ".to_vec()),
        Just(b"Usuarios online: ".to_vec()),
        Just(b" saiu do chat".to_vec()),
        prop::collection::vec(any::<u8>(), 0..6),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|p| p.concat())
}

fn is_empty_chat(m: &Message<'_>) -> bool {
    matches!(m, Message::Chat(ChatLine::Empty))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn decode_of_encode_is_identity((expect, m) in line()) {
        let wire = m.to_bytes();
        prop_assert_eq!(wire.len(), m.encoded_len());
        prop_assert!(wire.len() <= expect.max_len() + 1, "within the limit");
        let d = decode(&wire, expect).unwrap();
        prop_assert_eq!(&d.message, &m);
        prop_assert_eq!(d.len, wire.len());
        prop_assert_eq!(d.is_canonical(), wire.is_ascii() && !is_empty_chat(&m));
        let s = decode_stream(&wire, expect, End::More).unwrap();
        prop_assert_eq!(s.message, m);
    }

    #[test]
    fn accepted_lines_reencode_to_their_input(expect in expect(), input in wire_bytes()) {
        match decode(&input, expect) {
            Ok(d) => {
                let again = d.message.to_bytes();
                if d.is_canonical() {
                    prop_assert_eq!(&again, &input, "a canonical line re-encodes to itself");
                }
                let d2 = decode(&again, expect).unwrap();
                prop_assert_eq!(d2.message, d.message);
            }
            Err(e) => {
                prop_assert!(e.offset <= input.len(), "{e:?}");
                prop_assert!(e.to_string().starts_with("byte "));
            }
        }
    }

    #[test]
    fn chunked_streams_yield_the_same_lines(
        lines in expect().prop_flat_map(|e| prop::collection::vec(line_of(e), 1..8).prop_map(move |l| (e, l))),
        framing in prop::collection::vec((0..4u8, 0..4u8), 8),
        cuts in prop::collection::vec(any::<Index>(), 0..12),
    ) {
        let (expect, lines) = lines;
        let mut wire = Vec::new();
        let mut expected = Vec::new();
        for (i, (m, (t, e))) in lines.iter().zip(framing.iter().cycle()).enumerate() {
            let empties: &[u8] = match e { 0 => b"\n", 1 => b" \t\r\n", _ => b"" };
            let last = i + 1 == lines.len();
            let terminator = match t {
                0 => Terminator::CrLf,
                1 if last => Terminator::Absent,
                _ => Terminator::Lf,
            };
            let line = m.to_bytes();
            wire.extend_from_slice(empties);
            wire.extend_from_slice(&line[..line.len() - 1]);
            wire.extend_from_slice(terminator.as_bytes());
            expected.push((m.clone(), terminator, empties.len()));
        }
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(wire.len() + 1)).collect();
        at.sort_unstable();
        let mut dec = StreamDecoder::new(expect);
        let mut got = Vec::new();
        let mut from = 0;
        for to in at.into_iter().chain([wire.len()]) {
            dec.push(&wire[from..to]);
            from = to;
            while let Some(d) = dec.next(End::More).unwrap() {
                got.push((d.message, d.terminator, d.skipped));
            }
            prop_assert!(dec.pending().len() <= expect.max_len() + 1);
        }
        while let Some(d) = dec.next(End::Boundary).unwrap() {
            got.push((d.message, d.terminator, d.skipped));
        }
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn decoders_never_panic_and_agree_on_what_they_accept(
        expect in expect(),
        input in wire_bytes(),
        boundary in any::<bool>(),
    ) {
        let end = if boundary { End::Boundary } else { End::More };
        match decode_stream(&input, expect, end) {
            Ok(d) => {
                let line = &input[d.skipped..d.len];
                prop_assert_eq!(decode(line, expect).unwrap().message, d.message);
            }
            Err(DecodeError::Invalid(e)) => prop_assert!(!e.to_string().is_empty()),
            Err(DecodeError::Incomplete { have }) => prop_assert_eq!(have, input.len()),
        }
        let known = [Nickname::new("ana").unwrap()];
        if let Ok(r) = read_line(&input, &known, Expectation::Nothing) {
            let mut sorted = r.deviations.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(&sorted, &r.deviations, "in order, each once");
            prop_assert_eq!(r.deviations.is_empty(), decode_server_line(&input).is_ok_and(|d| {
                match d.message {
                    ServerLine::Public(ref x) | ServerLine::Private(ref x) => x.from().as_str() == "ana",
                    ServerLine::Join(ref n) | ServerLine::Leave(ref n) => n.as_str() == "ana",
                    _ => true,
                }
            }));
        }
    }

    #[test]
    fn the_reader_reads_canonical_lines_as_the_strict_decoder(s in server_line()) {
        let mut known: Vec<Nickname<'static>> = Vec::new();
        match &s {
            ServerLine::Public(d) | ServerLine::Private(d) => known.push(d.from().clone()),
            ServerLine::Join(n) | ServerLine::Leave(n) => known.push(n.clone()),
            _ => {}
        }
        let wire = s.to_bytes();
        let r = read_line(&wire, &known, Expectation::Nothing).unwrap();
        prop_assert!(r.deviations.is_empty());
        prop_assert_eq!(r.meaning.kind(), Some(s.kind()));
        match (&r.meaning, &s) {
            (Meaning::Public { from, text }, ServerLine::Public(d))
            | (Meaning::Private { from, text }, ServerLine::Private(d)) => {
                prop_assert_eq!(from, d.from());
                prop_assert_eq!(*text, d.text().as_bytes());
            }
            (Meaning::List(entries), ServerLine::List(l)) => {
                let nicks: Vec<_> = l.nicknames().iter().map(Nickname::as_str).collect();
                prop_assert_eq!(entries, &nicks);
            }
            (Meaning::Error(c), ServerLine::Error(w)) => prop_assert_eq!(*c, w.code()),
            (Meaning::Join(a), ServerLine::Join(b)) | (Meaning::Leave(a), ServerLine::Leave(b)) => {
                prop_assert_eq!(a, b);
            }
            (m, s) => prop_assert!(m.kind() == Some(s.kind())),
        }
    }

    #[test]
    fn the_reader_reads_a_bracketed_public_delivery(from in nickname(), t in text(200)) {
        let mut line = format!("[{from}] ").into_bytes();
        line.extend_from_slice(t.as_bytes());
        let known = [from.clone()];
        let r = read_line(&line, &known, Expectation::Nothing).unwrap();
        let Meaning::Public { from: who, text } = r.meaning else {
            return Err(TestCaseError::fail(format!("{:?}", r.meaning)));
        };
        prop_assert_eq!(who, from);
        let bytes = t.as_bytes();
        let stripped = bytes
            .iter()
            .position(|b| !matches!(b, b':' | b'>' | b']' | b')' | b'-' | b' ' | b'\t'))
            .map_or(&[][..], |at| &bytes[at..]);
        prop_assert_eq!(text, stripped);
        prop_assert_eq!(r.deviations.contains(&Deviation::NotAscii), !line.is_ascii());
    }
}
