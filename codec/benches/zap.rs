//! Codec benchmarks (docs/ARCHITECTURE.md, "Performance, measured not assumed").
//!
//! - `kinds/decode`, `kinds/encode`: one message of each code, messages/s.
//! - `05_218_{ascii,2byte,4byte}`: the largest 05 frames, bytes/s, with
//!   `std::str::from_utf8` over the same bytes as the floor. The target of
//!   issue 2: `decode` costs at most 2× `from_utf8` on these.
//! - `stream_mixed`: a server→client stream of 100 glued frames of every
//!   kind through `decode_stream`, bytes/s, with its own `from_utf8` floor.
//!
//! Run: `cargo bench -p gabarito-codec --bench zap -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gabarito_codec::zap::{
    Chat, DecodeError, Decoded, Direction, End, GroupMembers, Id, Invalid, Message,
    RequestedMembers, Text, Timestamp, decode, decode_stream,
};

fn id(n: u64) -> Id<'static> {
    Id::from_value(2_000_000_000_000 + n).expect("13 digits")
}

fn ts(n: u64) -> Timestamp<'static> {
    Timestamp::from_secs(1_700_000_000 + n).expect("10 digits")
}

fn chat(data: &str) -> Chat<'static> {
    Chat {
        src: id(1),
        dst: id(2),
        timestamp: ts(0),
        data: Text::owned(data.to_owned()).expect("valid text"),
    }
}

/// One message of each code, with typical content.
fn every_kind() -> Vec<(&'static str, Message<'static>)> {
    vec![
        ("01", Message::Register),
        ("02", Message::Registered { id: id(1) }),
        ("03", Message::Connect { id: id(1) }),
        (
            "05",
            Message::Send(chat("Olá! Tudo bem? Vamos almoçar amanhã às 12h?")),
        ),
        (
            "06",
            Message::Deliver(chat("Olá! Tudo bem? Vamos almoçar amanhã às 12h?")),
        ),
        (
            "07",
            Message::Delivered {
                dst: id(2),
                timestamp: ts(0),
            },
        ),
        (
            "08",
            Message::Read {
                src: id(1),
                timestamp: ts(0),
            },
        ),
        (
            "09",
            Message::ReadNotice {
                dst: id(2),
                timestamp: ts(0),
            },
        ),
        (
            "10",
            Message::CreateGroup {
                creator: id(1),
                timestamp: ts(0),
                members: RequestedMembers::from_ids((2..9).map(id)).expect("7 members"),
            },
        ),
        (
            "11",
            Message::GroupCreated {
                group: id(100),
                timestamp: ts(0),
                members: GroupMembers::from_ids((1..9).map(id)).expect("8 members"),
            },
        ),
    ]
}

/// What a caller reads of a decoded frame, in place: its length and, for a
/// 05/06, the data's. Handing on the whole `Decoded` (136 bytes) by value
/// would time a memcpy of it — which no caller pays, since a caller matches
/// on the message where it was built. Reading the data keeps the work that
/// produced it (validation decides `Ok` or `Err`) from being optimised away.
fn read(d: &Result<Decoded<'_>, Invalid>) -> usize {
    match d {
        Ok(d) => {
            d.len
                + match &d.message {
                    Message::Send(c) | Message::Deliver(c) => c.data.as_str().len(),
                    _ => 0,
                }
        }
        Err(e) => e.offset,
    }
}

/// [`read`] for the streaming decoder.
fn read_stream(d: &Result<Decoded<'_>, DecodeError>) -> usize {
    match d {
        Ok(d) => {
            d.len
                + match &d.message {
                    Message::Send(c) | Message::Deliver(c) => c.data.as_str().len(),
                    _ => 0,
                }
        }
        Err(DecodeError::Invalid(e)) => e.offset,
        Err(DecodeError::Incomplete { have }) => *have,
    }
}

fn kinds(c: &mut Criterion) {
    let mut group = c.benchmark_group("kinds");
    group.throughput(Throughput::Elements(1));
    for (code, m) in every_kind() {
        let wire = m.to_bytes();
        group.bench_function(format!("decode/{code}"), |b| {
            b.iter(|| read(&decode(black_box(&wire))))
        });
        let mut out = Vec::with_capacity(wire.len());
        group.bench_function(format!("encode/{code}"), |b| {
            b.iter(|| {
                out.clear();
                black_box(&m).encode(&mut out);
                black_box(out.len())
            })
        });
    }
    group.finish();
}

/// The largest 05 frames: 218 characters of 1, 2 and 4 bytes.
fn send_218(c: &mut Criterion) {
    for (name, unit) in [("ascii", "a"), ("2byte", "ã"), ("4byte", "𝄞")] {
        let m = Message::Send(chat(&unit.repeat(218)));
        let wire = m.to_bytes();
        let mut group = c.benchmark_group(format!("05_218_{name}"));
        group.throughput(Throughput::Bytes(wire.len() as u64));
        group.bench_function("from_utf8", |b| {
            b.iter(|| std::str::from_utf8(black_box(&wire)).is_ok())
        });
        group.bench_function("decode", |b| b.iter(|| read(&decode(black_box(&wire)))));
        group.bench_function("decode_stream", |b| {
            b.iter(|| {
                read_stream(&decode_stream(
                    black_box(&wire),
                    Direction::ToServer,
                    End::Boundary,
                ))
            })
        });
        let mut out = Vec::with_capacity(wire.len());
        group.bench_function("encode", |b| {
            b.iter(|| {
                out.clear();
                black_box(&m).encode(&mut out);
                black_box(out.len())
            })
        });
        group.finish();
    }
}

/// 100 glued server→client frames: 02, 06s of assorted lengths, 07, 09, 11.
fn mixed_stream() -> (Vec<u8>, usize) {
    let texts = [
        "oi",
        "",
        "Vamos almoçar amanhã às 12h?",
        &"€".repeat(100),
        &"a".repeat(218),
        "até já 🙂",
    ];
    let mut wire = Vec::new();
    let mut n = 0;
    for i in 0..100u64 {
        let m = match i % 10 {
            0 => Message::Registered { id: id(i) },
            1..=6 => Message::Deliver(Chat {
                timestamp: ts(i),
                ..chat(texts[(i % 6) as usize])
            }),
            7 => Message::Delivered {
                dst: id(2),
                timestamp: ts(i),
            },
            8 => Message::ReadNotice {
                dst: id(2),
                timestamp: ts(i),
            },
            _ => Message::GroupCreated {
                group: id(100 + i),
                timestamp: ts(i),
                members: GroupMembers::from_ids((1..4).map(id)).expect("3 members"),
            },
        };
        m.encode(&mut wire);
        n += 1;
    }
    (wire, n)
}

fn stream(c: &mut Criterion) {
    let (wire, frames) = mixed_stream();
    let mut group = c.benchmark_group("stream_mixed");
    group.throughput(Throughput::Bytes(wire.len() as u64));
    group.bench_function("from_utf8", |b| {
        b.iter(|| std::str::from_utf8(black_box(&wire)).is_ok())
    });
    group.bench_function("decode_stream", |b| {
        b.iter(|| {
            let mut rest = black_box(&wire[..]);
            let mut count = 0;
            while let Ok(d) = decode_stream(rest, Direction::ToClient, End::Boundary) {
                rest = &rest[d.len..];
                count += 1;
            }
            assert_eq!(count, frames);
            count
        })
    });
    group.finish();
}

criterion_group!(benches, kinds, send_218, stream);
criterion_main!(benches);
