//! `LrvCodec` (feature `tokio`) under tokio-util's `FramedRead` and
//! `FramedWrite`, over an in-memory duplex. "Not yet" is checked by polling
//! once with a no-op waker after the bytes are already in the duplex, so no
//! test depends on timing.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::BytesMut;
use futures_core::Stream;
use futures_sink::Sink;
use gabarito_codec::lrv::{
    Cpf, Decoded, Direction, Expect, Greeting, Kind, LrvCodec, MAX_REQUEST_LEN, Message, Number,
    NumberList, Rejected, Reply, Request, Terminator,
};
use tokio::io::{AsyncWriteExt, DuplexStream, duplex};
use tokio_util::codec::{Decoder, Encoder, FramedRead, FramedWrite};

type Item = Result<Decoded<Message<'static>>, Rejected>;
type Reader = FramedRead<DuplexStream, LrvCodec>;

fn reader(codec: LrvCodec) -> (DuplexStream, Reader) {
    let (tx, rx) = duplex(64 * 1024);
    (tx, FramedRead::new(rx, codec))
}

async fn next(r: &mut Reader) -> Option<io::Result<Item>> {
    poll_fn(|cx| Pin::new(&mut *r).poll_next(cx)).await
}

/// Polls once: what the reader can produce from the bytes already sent.
fn poll_now(r: &mut Reader) -> Poll<Option<io::Result<Item>>> {
    Pin::new(r).poll_next(&mut Context::from_waker(Waker::noop()))
}

async fn message(r: &mut Reader) -> Decoded<Message<'static>> {
    next(r)
        .await
        .expect("an item")
        .unwrap()
        .expect("a valid line")
}

async fn rejected(r: &mut Reader) -> Rejected {
    next(r)
        .await
        .expect("an item")
        .unwrap()
        .expect_err("a rejected line")
}

fn cpf(s: &str) -> Cpf<'static> {
    Cpf::parse(s).unwrap().into_owned()
}

#[tokio::test]
async fn a_rejected_line_is_an_item_and_the_next_line_is_read() {
    let (mut tx, mut rx) = reader(LrvCodec::new(Direction::ToServer));
    tx.write_all(b"REGISTRAR 12345678909\ncomprar 7\nCOMPRAR 7\n")
        .await
        .unwrap();
    assert_eq!(
        message(&mut rx).await.message,
        Message::Request(Request::Registrar {
            cpf: cpf("12345678909")
        })
    );
    let bad = rejected(&mut rx).await;
    assert_eq!(
        (bad.invalid.kind, bad.line.as_slice()),
        (
            Kind::WrongCase {
                canonical: gabarito_codec::lrv::Command::Comprar
            },
            &b"comprar 7\n"[..]
        )
    );
    assert_eq!(
        message(&mut rx).await.message,
        Message::Request(Request::Comprar {
            number: Number::new(7).unwrap()
        })
    );
    assert!(poll_now(&mut rx).is_pending(), "nothing more was sent");
}

#[tokio::test]
async fn a_client_reads_the_greeting_then_replies() {
    let (mut tx, mut rx) = reader(LrvCodec::new(Direction::ToClient));
    assert_eq!(rx.decoder().expect(), Expect::Greeting);
    tx.write_all("Bem-vindo à compra de rifa!\n203 1,2,5\n".as_bytes())
        .await
        .unwrap();
    match message(&mut rx).await.message {
        Message::Greeting(g) => assert!(g.is_standard()),
        other => panic!("expected the greeting, got {other:?}"),
    }
    assert_eq!(
        message(&mut rx).await.message,
        Message::Reply(Reply::Available(NumberList::parse("1,2,5").unwrap()))
    );
    assert_eq!(rx.decoder().expect(), Expect::Reply);
}

#[tokio::test]
async fn a_line_without_lf_waits_for_eof_by_default() {
    let (mut tx, mut rx) = reader(LrvCodec::expecting(Expect::Reply));
    tx.write_all(b"202").await.unwrap();
    assert!(
        poll_now(&mut rx).is_pending(),
        "202 may go on (2020…): FramedRead sees no pause"
    );
    drop(tx);
    let d = message(&mut rx).await;
    assert_eq!(
        (d.message, d.terminator),
        (Message::Reply(Reply::Purchased), Terminator::Absent),
        "EOF is a boundary (lrv §3.3 L4)"
    );
    assert!(next(&mut rx).await.is_none());
}

#[tokio::test]
async fn end_of_read_is_boundary_yields_an_unterminated_reply_at_once() {
    let codec = LrvCodec::expecting(Expect::Reply).end_of_read_is_boundary(true);
    let (mut tx, mut rx) = reader(codec);
    tx.write_all(b"202").await.unwrap();
    match poll_now(&mut rx) {
        Poll::Ready(Some(Ok(Ok(d)))) => assert_eq!(d.message, Message::Reply(Reply::Purchased)),
        other => panic!("expected the 202 at once, got {other:?}"),
    }
}

#[tokio::test]
async fn a_line_split_over_writes_is_joined_and_crlf_and_empty_lines_reported() {
    let (mut tx, mut rx) = reader(LrvCodec::new(Direction::ToServer));
    tx.write_all(b"\r\n\nSOR").await.unwrap();
    assert!(poll_now(&mut rx).is_pending());
    tx.write_all(b"TEIO\r\n").await.unwrap();
    let d = message(&mut rx).await;
    assert_eq!(d.message, Message::Request(Request::Sorteio));
    assert_eq!(
        (d.skipped, d.len, d.terminator, d.is_canonical()),
        (3, 12, Terminator::CrLf, false)
    );
}

#[tokio::test]
async fn an_over_long_line_is_rejected_once_without_waiting_for_its_lf() {
    let (mut tx, mut rx) = reader(LrvCodec::new(Direction::ToServer));
    tx.write_all(&[b'A'; MAX_REQUEST_LEN + 1]).await.unwrap();
    let bad = rejected(&mut rx).await;
    assert_eq!(
        (bad.invalid.kind, bad.invalid.offset),
        (
            Kind::LineTooLong {
                limit: MAX_REQUEST_LEN
            },
            MAX_REQUEST_LEN
        )
    );
    tx.write_all(&[b'A'; 10_000]).await.unwrap();
    assert!(poll_now(&mut rx).is_pending(), "the rest is dropped (L3)");
    assert!(
        rx.read_buffer().is_empty(),
        "FramedRead's buffer is emptied"
    );
    tx.write_all(b"A\nSAIR\n").await.unwrap();
    assert_eq!(
        message(&mut rx).await.message,
        Message::Request(Request::Sair)
    );
}

#[tokio::test]
async fn trailing_empty_lines_at_eof_are_no_item() {
    let (mut tx, mut rx) = reader(LrvCodec::new(Direction::ToServer));
    tx.write_all(b"ESGOTOU\n\r\n\n").await.unwrap();
    drop(tx);
    assert_eq!(
        message(&mut rx).await.message,
        Message::Request(Request::Esgotou)
    );
    assert!(next(&mut rx).await.is_none());
}

#[tokio::test]
async fn framed_write_sends_canonical_lines_a_framed_read_decodes() {
    let (a, b) = duplex(64 * 1024);
    let mut out = FramedWrite::new(a, LrvCodec::new(Direction::ToServer));
    let mut inp = FramedRead::new(b, LrvCodec::new(Direction::ToClient));
    let sent = vec![
        Message::Greeting(Greeting::standard()),
        Message::Reply(Reply::Registered),
        Message::Reply(Reply::Drawn {
            number: Number::new(42).unwrap(),
            winner: cpf("12345678909"),
        }),
        Message::Reply(Reply::Purchases(NumberList::empty())),
    ];
    for m in &sent {
        poll_fn(|cx| Sink::<&Message<'_>>::poll_ready(Pin::new(&mut out), cx))
            .await
            .unwrap();
        Pin::new(&mut out).start_send(m).unwrap();
    }
    poll_fn(|cx| Sink::<&Message<'_>>::poll_flush(Pin::new(&mut out), cx))
        .await
        .unwrap();
    let expected_len: usize = sent.iter().map(Message::encoded_len).sum();
    drop(out);
    let mut got = Vec::new();
    let mut total = 0;
    while let Some(item) = next(&mut inp).await {
        let d = item.unwrap().unwrap();
        assert!(d.is_canonical());
        total += d.len;
        got.push(d.message);
    }
    assert_eq!(got, sent);
    assert_eq!(total, expected_len);
}

#[test]
fn encoder_takes_a_message_a_request_a_reply_or_a_reference() {
    let mut codec = LrvCodec::new(Direction::ToClient);
    let mut buf = BytesMut::new();
    codec.encode(Request::Sorteio, &mut buf).unwrap();
    codec.encode(Reply::NotDrawn, &mut buf).unwrap();
    let m = Message::Request(Request::Comprar {
        number: Number::new(10_000).unwrap(),
    });
    codec.encode(&m, &mut buf).unwrap();
    codec.encode(m, &mut buf).unwrap();
    assert_eq!(
        &buf[..],
        b"SORTEIO\n402\nCOMPRAR 10000\nCOMPRAR 10000\n".as_slice()
    );
}

#[test]
fn decode_without_framed_read_takes_only_decided_bytes_off_the_buffer() {
    let mut codec = LrvCodec::new(Direction::ToServer);
    let mut buf = BytesMut::from(&b"ESGOTOU\nDISPON"[..]);
    let first = codec.decode(&mut buf).unwrap().unwrap().unwrap();
    assert_eq!(first.message, Message::Request(Request::Esgotou));
    assert_eq!(&buf[..], b"DISPON", "decoded in place: no copy per read");
    assert!(codec.decode(&mut buf).unwrap().is_none());
    buf.extend_from_slice(b"IVEIS");
    let last = codec.decode_eof(&mut buf).unwrap().unwrap().unwrap();
    assert_eq!(
        (last.message, last.terminator),
        (Message::Request(Request::Disponiveis), Terminator::Absent)
    );
    assert!(codec.decode_eof(&mut buf).unwrap().is_none());
}
