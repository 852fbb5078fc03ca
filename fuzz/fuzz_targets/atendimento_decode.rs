//! `atendimento_decode`: the Atendimento decoders (spec/atendimento.md) on
//! arbitrary bytes, with serde_json as the oracle of what is JSON.
//!
//! Input layout (so seeds can be written by hand and mutations stay
//! meaningful):
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | selector: bit 0 the direction (0 to the server, limit 512; 1 to the client, limit 65 536); bit 1 `End::Boundary` after every read instead of `End::More` |
//! | 1 | `n`, the number of cut points (mod 32) |
//! | 2 .. 2+n | the length of each read but the last |
//! | rest | the bytes; the last read is whatever is left |
//!
//! What must hold:
//!
//! - **oracle** (§4.1): `decode_value` accepts the bytes as one document
//!   exactly when serde_json does — but for §3.4's `too_long` and
//!   `too_deep` — and reads the same value; an accepted value re-encodes
//!   in both styles (§3.2) to a document that reads the same, and a
//!   document `canonical` in a style is that style's encoding;
//! - **whole documents**: `decode_request`, `decode_reply` and `read_reply`
//!   never panic; a fault's offset is within the document or at the limit,
//!   and it renders "byte N…"; a reply the strict decoder accepts the
//!   tolerant reader (§6.4) reads the same, reporting at most a name twice,
//!   a field set to `""`, a text that is a record's JSON; a request that passes the
//!   checks re-encodes to itself;
//! - **stream** (§3.3): `StreamDecoder` fed the reads never panics, keeps
//!   at most the limit buffered after each drain, and leaves nothing after
//!   a close; with `End::More` after each read it yields the same
//!   documents and rejections (kind, offset) however the bytes were cut —
//!   at once, as the reads, a byte at a time — and every document it
//!   yields at once is what the whole decoder reads of its bytes.
#![no_main]

use gabarito_codec::atendimento::{
    Deviation, Direction, End, Framed, Kind, Object, Reading, Rejected, StreamDecoder, Style,
    Value, decode_reply, decode_request, decode_value, read_reply,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let dir = if selector & 1 == 0 {
        Direction::ToServer
    } else {
        Direction::ToClient
    };
    let Some((&n, rest)) = rest.split_first() else {
        return;
    };
    let n = usize::from(n % 32).min(rest.len());
    let (lengths, mut bytes) = rest.split_at(n);
    let input = bytes;
    let mut chunks = Vec::with_capacity(n + 1);
    for &len in lengths {
        let (chunk, tail) = bytes.split_at(usize::from(len).min(bytes.len()));
        chunks.push(chunk);
        bytes = tail;
    }
    chunks.push(bytes);

    oracle(input, dir);
    whole(input, dir);
    let boundary_each = selector & 2 != 0;
    let cut = streamed(dir, &chunks, boundary_each);
    if !boundary_each {
        let at_once = streamed(dir, &[input], false);
        assert_eq!(cut, at_once, "the cut of the reads changed the stream");
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        assert_eq!(streamed(dir, &bytewise, false), at_once, "a byte at a time differs");
        documents_read_whole(input, dir);
    }
});

/// Our value as serde_json's; numbers from their lexeme.
fn to_serde(v: &Value<'_>) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str(n.as_str()).expect("a validated lexeme"),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(o) => serde_object(o),
    }
}

fn serde_object(o: &Object<'_>) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for m in &o.members {
        map.insert(m.name.to_string(), to_serde(&m.value));
    }
    serde_json::Value::Object(map)
}

/// §4.1 against serde_json, and the encoder's laws (§3.2).
fn oracle(input: &[u8], dir: Direction) {
    let theirs = serde_json::from_slice::<serde_json::Value>(input);
    match (decode_value(input, dir), theirs) {
        (Ok(d), Ok(s)) => {
            let ours = to_serde(&d.value);
            assert_eq!(ours, s, "the codec and serde_json read different values");
            for style in [Style::Ascii, Style::Utf8] {
                let wire = d.value.to_bytes(style);
                assert_eq!(wire.len(), d.value.encoded_len(style));
                if d.canonical() == Some(style) {
                    assert_eq!(wire, input, "canonical in {style:?} but not its encoding");
                }
                let again = decode_value(&wire, Direction::ToClient)
                    .unwrap_or_else(|e| panic!("the {style:?} encoding does not decode: {e}"));
                assert_eq!(to_serde(&again.value), ours);
            }
        }
        (Err(e), Ok(_)) => assert!(
            matches!(e.kind, Kind::TooLong | Kind::TooDeep),
            "serde_json accepts what the codec refuses: {e}"
        ),
        (Ok(d), Err(s)) => panic!("the codec accepts {:?}, serde_json says {s}", d.value),
        (Err(e), Err(_)) => check_invalid(&e, input, dir),
    }
}

fn check_invalid(e: &gabarito_codec::atendimento::Invalid, input: &[u8], dir: Direction) {
    assert!(
        e.offset <= input.len().max(dir.limit()),
        "offset {} past the input: {e:?}",
        e.offset
    );
    assert!(e.to_string().starts_with(&format!("byte {}", e.offset)));
}

/// The direction's whole decoder and the tolerant reader.
fn whole(input: &[u8], dir: Direction) {
    match dir {
        Direction::ToServer => match decode_request(input) {
            Ok(d) => {
                if let Reading::Request(r) = &d.message {
                    for style in [Style::Ascii, Style::Utf8] {
                        let wire = r.to_bytes(style);
                        if let Ok(again) = decode_request(&wire) {
                            assert_eq!(again.message, d.message, "a request re-encodes to another");
                        }
                    }
                }
            }
            Err(e) => check_invalid(&e, input, dir),
        },
        Direction::ToClient => {
            let tolerant = read_reply(input);
            if let Ok(l) = &tolerant {
                let mut sorted = l.deviations.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(sorted, l.deviations, "deviations are sorted, each once");
            }
            match decode_reply(input) {
                Ok(d) => {
                    let l = tolerant.expect("the tolerant reader reads what the strict one does");
                    // What the strict reading allows and the tolerant one
                    // reports: a name twice (D5), a field set to "" (rule 5
                    // cannot tell it from unset), a text that is a record's
                    // JSON (rule 5's record_as_text).
                    assert!(
                        l.deviations.iter().all(|d| matches!(
                            d,
                            Deviation::DuplicateMember
                                | Deviation::EmptyForUnset
                                | Deviation::RecordAsText
                        )),
                        "{l:?}"
                    );
                    assert_eq!(l.reply(), Some(d.message.clone().into_owned()));
                    let wire = d.message.to_bytes(Style::Utf8);
                    assert_eq!(decode_reply(&wire).map(|a| a.message).ok(), Some(d.message));
                }
                Err(e) => check_invalid(&e, input, dir),
            }
        }
    }
}

/// A document or a rejection (kind, offset): what must not depend on how
/// the bytes were cut.
#[derive(Debug, PartialEq)]
enum Event {
    Document(Object<'static>, usize),
    Rejected(Kind, usize),
}

fn event(r: Result<Option<Framed<'static>>, Rejected>, dir: Direction) -> Option<Event> {
    match r {
        Ok(Some(f)) => {
            assert!(f.len > f.skipped);
            Some(Event::Document(f.object, f.len))
        }
        Ok(None) => None,
        Err(r) => {
            assert!(r.bytes.len() <= dir.limit());
            assert!(r.len >= r.skipped);
            Some(Event::Rejected(r.invalid.kind, r.invalid.offset))
        }
    }
}

/// `StreamDecoder` fed `chunks`, drained after each, then closed.
fn streamed(dir: Direction, chunks: &[&[u8]], boundary_each: bool) -> Vec<Event> {
    let end = if boundary_each { End::Boundary } else { End::More };
    let mut dec = StreamDecoder::new(dir);
    let mut events = Vec::new();
    for chunk in chunks {
        dec.push(chunk);
        while let Some(e) = event(dec.next(end), dir) {
            events.push(e);
        }
        assert!(dec.pending().len() <= dir.limit(), "{} bytes buffered", dec.pending().len());
    }
    dec.close();
    while let Some(e) = event(dec.next(End::Boundary), dir) {
        events.push(e);
    }
    assert!(dec.pending().is_empty(), "a closed stream keeps nothing");
    events
}

/// Fed at once, every document a stream yields is what `decode_value`
/// reads of its bytes (J6): the lengths account for the stream's bytes in
/// order.
fn documents_read_whole(input: &[u8], dir: Direction) {
    let mut dec = StreamDecoder::new(dir);
    dec.push(input);
    dec.close();
    let mut pos = 0;
    loop {
        match dec.next(End::Boundary) {
            Ok(Some(f)) => {
                let doc = &input[pos + f.skipped..pos + f.len];
                let whole = decode_value(doc, dir).expect("a streamed document decodes whole");
                assert_eq!(Value::Object(f.object), whole.value);
                pos += f.len;
            }
            Ok(None) => break,
            Err(r) => pos += r.len,
        }
    }
    assert!(input[pos..].iter().all(|b| b" \t\r\n".contains(b)));
}
