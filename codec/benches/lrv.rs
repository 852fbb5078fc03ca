//! LRV codec benchmarks (docs/ARCHITECTURE.md, "Performance, measured not assumed").
//!
//! - `lrv_kinds/decode`, `lrv_kinds/encode`: one line of every command and
//!   code, messages/s.
//! - `lrv_203_all`: the longest reply, a `203` of all 10 000 numbers
//!   (48 898 bytes), through `decode_reply`, the tolerant `extract_reply`
//!   and iteration of its list, bytes/s, with `std::str::from_utf8` over the
//!   same bytes as the floor.
//! - `lrv_stream`: a server→client stream (the greeting and 200 replies of
//!   every kind) through `StreamDecoder` in 1 500-byte reads, bytes/s.
//!
//! Run: `cargo bench -p gabarito-codec --bench lrv -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gabarito_codec::lrv::{
    Cpf, Direction, End, Expect, Greeting, Message, Number, NumberList, Reply, Request,
    StreamDecoder, decode, decode_reply, extract_reply,
};

fn n(v: u32) -> Number {
    Number::new(v).expect("1..=10000")
}

fn list(range: std::ops::RangeInclusive<u32>, step: usize) -> NumberList<'static> {
    NumberList::from_numbers(range.step_by(step).map(n)).expect("ascending")
}

/// One message of every command and code, with typical content.
fn every_kind() -> Vec<(Expect, Message<'static>)> {
    let cpf = Cpf::from_base(123_456_789).expect("valid");
    let mut v: Vec<(Expect, Message<'static>)> = vec![
        (Expect::Greeting, Greeting::standard().into()),
        (
            Expect::Request,
            Request::Registrar { cpf: cpf.clone() }.into(),
        ),
        (Expect::Request, Request::Esgotou.into()),
        (Expect::Request, Request::Disponiveis.into()),
        (Expect::Request, Request::Comprados.into()),
        (Expect::Request, Request::Comprar { number: n(42) }.into()),
        (Expect::Request, Request::Sorteio.into()),
        (Expect::Request, Request::Sair.into()),
        (Expect::Reply, Reply::Available(list(1..=100, 3)).into()),
        (
            Expect::Reply,
            Reply::Drawn {
                number: n(42),
                winner: cpf,
            }
            .into(),
        ),
        (Expect::Reply, Reply::Purchases(list(3..=30, 9)).into()),
    ];
    for code in gabarito_codec::lrv::Code::ALL {
        if let Some(r) = Reply::bare(code) {
            v.push((Expect::Reply, r.into()));
        }
    }
    v
}

fn kinds(c: &mut Criterion) {
    let msgs = every_kind();
    let wires: Vec<(Expect, Vec<u8>)> = msgs.iter().map(|(e, m)| (*e, m.to_bytes())).collect();
    let mut g = c.benchmark_group("lrv_kinds");
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| {
            for (expect, wire) in &wires {
                black_box(decode(black_box(wire), *expect).expect("valid"));
            }
        })
    });
    let mut out = Vec::with_capacity(4096);
    g.bench_function("encode", |b| {
        b.iter(|| {
            out.clear();
            for (_, m) in &msgs {
                m.encode(&mut out);
            }
            black_box(out.len())
        })
    });
    g.finish();
}

fn largest_reply(c: &mut Criterion) {
    let wire = Reply::Available(list(1..=10_000, 1)).to_bytes();
    let mut g = c.benchmark_group("lrv_203_all");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("from_utf8_floor", |b| {
        b.iter(|| black_box(std::str::from_utf8(black_box(&wire)).is_ok()))
    });
    g.bench_function("decode_reply", |b| {
        b.iter(|| black_box(decode_reply(black_box(&wire)).expect("valid")))
    });
    g.bench_function("decode_reply_and_iterate", |b| {
        b.iter(
            || match decode_reply(black_box(&wire)).expect("valid").message {
                Reply::Available(l) => black_box(l.iter().map(Number::get).sum::<u32>()),
                _ => 0,
            },
        )
    });
    g.bench_function("extract_reply", |b| {
        b.iter(|| black_box(extract_reply(black_box(&wire)).expect("valid")))
    });
    g.finish();
}

fn stream(c: &mut Criterion) {
    let mut wire = Greeting::standard().to_bytes();
    let kinds: Vec<Message<'static>> = every_kind()
        .into_iter()
        .filter(|(e, _)| *e == Expect::Reply)
        .map(|(_, m)| m)
        .collect();
    for m in kinds.iter().cycle().take(200) {
        m.encode(&mut wire);
    }
    let mut g = c.benchmark_group("lrv_stream");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("stream_decoder_1500_byte_reads", |b| {
        b.iter(|| {
            let mut dec = StreamDecoder::new(Direction::ToClient);
            let mut count = 0;
            for read in wire.chunks(1500) {
                dec.push(read);
                while let Ok(Some(d)) = dec.next(End::More) {
                    black_box(&d);
                    count += 1;
                }
            }
            assert_eq!(count, 201);
            count
        })
    });
    g.finish();
}

criterion_group!(benches, kinds, largest_reply, stream);
criterion_main!(benches);
