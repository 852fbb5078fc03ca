//! `ZapCodec` (feature `tokio`) under tokio-util's `FramedRead` and
//! `FramedWrite`, over an in-memory duplex. "Not yet" is checked by polling
//! once with a no-op waker after the bytes are already in the duplex, so no
//! test depends on timing.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use bytes::BytesMut;
use futures_core::Stream;
use futures_sink::Sink;
use gabarito_codec::zap::{
    Chat, Code, Decoded, Direction, Id, Kind, Message, Text, Timestamp, ZapCodec, ZapCodecError,
};
use tokio::io::{AsyncWriteExt, DuplexStream, duplex};
use tokio_util::codec::{Decoder, FramedRead, FramedWrite};

const ANA: &str = "2000000000001";
const BIA: &str = "2000000000002";
const TS: &str = "1700000000";

type Reader = FramedRead<DuplexStream, ZapCodec>;

fn reader(codec: ZapCodec) -> (DuplexStream, Reader) {
    let (tx, rx) = duplex(64 * 1024);
    (tx, FramedRead::new(rx, codec))
}

async fn next(r: &mut Reader) -> Option<Result<Decoded<'static>, ZapCodecError>> {
    poll_fn(|cx| Pin::new(&mut *r).poll_next(cx)).await
}

/// Polls once: what the reader can produce from the bytes already sent.
fn poll_now(r: &mut Reader) -> Poll<Option<Result<Decoded<'static>, ZapCodecError>>> {
    Pin::new(r).poll_next(&mut Context::from_waker(Waker::noop()))
}

async fn frame(r: &mut Reader) -> Decoded<'static> {
    next(r).await.expect("a frame").expect("valid")
}

fn data(d: &Decoded<'_>) -> String {
    match &d.message {
        Message::Send(c) | Message::Deliver(c) => c.data.to_string(),
        other => panic!("not a 05/06: {other:?}"),
    }
}

fn chat(data: &str) -> Chat<'static> {
    Chat {
        src: Id::parse(ANA).unwrap().into_owned(),
        dst: Id::parse(BIA).unwrap().into_owned(),
        timestamp: Timestamp::parse(TS).unwrap().into_owned(),
        data: Text::owned(data.to_owned()).unwrap(),
    }
}

#[tokio::test]
async fn a_02_glued_to_three_06_is_four_items_the_last_at_eof() {
    let (mut tx, mut rx) = reader(ZapCodec::new(Direction::ToClient));
    let mut wire = format!("02{ANA}").into_bytes();
    for text in ["oi", "tudo bem?", "até já"] {
        wire.extend(Message::Deliver(chat(text)).to_bytes());
    }
    tx.write_all(&wire).await.unwrap();
    assert_eq!(frame(&mut rx).await.message.code(), Code::Registered);
    assert_eq!(data(&frame(&mut rx).await), "oi");
    assert_eq!(data(&frame(&mut rx).await), "tudo bem?");
    assert!(
        poll_now(&mut rx).is_pending(),
        "the last 06 may still grow: FramedRead sees no pause"
    );
    drop(tx);
    assert_eq!(data(&frame(&mut rx).await), "até já", "EOF is a boundary");
    assert!(next(&mut rx).await.is_none());
}

#[tokio::test]
async fn an_open_05_is_finished_by_the_next_frame() {
    let (mut tx, mut rx) = reader(ZapCodec::new(Direction::ToServer));
    tx.write_all(&Message::Send(chat("primeira")).to_bytes())
        .await
        .unwrap();
    assert!(poll_now(&mut rx).is_pending());
    tx.write_all(format!("03{ANA}").as_bytes()).await.unwrap();
    assert_eq!(data(&frame(&mut rx).await), "primeira");
    assert_eq!(
        frame(&mut rx).await.message.code(),
        Code::Connect,
        "a fixed frame needs no boundary"
    );
}

#[tokio::test]
async fn a_frame_split_over_writes_is_joined_by_default() {
    let (mut tx, mut rx) = reader(ZapCodec::new(Direction::ToServer));
    let wire = Message::Send(chat(&"ã".repeat(218))).to_bytes();
    let (a, b) = wire.split_at(301); // inside an "ã"
    tx.write_all(a).await.unwrap();
    assert!(poll_now(&mut rx).is_pending());
    tx.write_all(b).await.unwrap();
    drop(tx);
    let d = frame(&mut rx).await;
    assert_eq!((data(&d).chars().count(), d.len), (218, wire.len()));
}

#[tokio::test]
async fn end_of_read_is_boundary_yields_at_once_and_cuts_split_frames() {
    let codec = ZapCodec::new(Direction::ToServer).end_of_read_is_boundary(true);
    let (mut tx, mut rx) = reader(codec);
    tx.write_all(&Message::Send(chat("na hora")).to_bytes())
        .await
        .unwrap();
    match poll_now(&mut rx) {
        Poll::Ready(Some(Ok(d))) => assert_eq!(data(&d), "na hora"),
        other => panic!("expected the 05 at once, got {other:?}"),
    }
    // The documented cost: a frame split over two reads is cut in two.
    let wire = Message::Send(chat("metade e metade")).to_bytes();
    tx.write_all(&wire[..45]).await.unwrap();
    match poll_now(&mut rx) {
        Poll::Ready(Some(Ok(d))) => assert_eq!(data(&d), "metade "),
        other => panic!("expected the first half, got {other:?}"),
    }
    tx.write_all(&wire[45..]).await.unwrap();
    match next(&mut rx).await {
        Some(Err(ZapCodecError::Invalid(i))) => assert_eq!(i.kind, Kind::UnknownCode),
        other => panic!("expected the second half to be garbage, got {other:?}"),
    }
}

#[tokio::test]
async fn end_of_read_is_boundary_still_waits_inside_a_character() {
    let (mut tx, mut rx) = reader(ZapCodec::new(Direction::ToServer).end_of_read_is_boundary(true));
    let wire = Message::Send(chat("ação")).to_bytes();
    tx.write_all(&wire[..40]).await.unwrap(); // "a" then the first byte of "ç"
    assert!(
        poll_now(&mut rx).is_pending(),
        "R5: never a boundary inside a character"
    );
    tx.write_all(&wire[40..]).await.unwrap();
    assert_eq!(data(&frame(&mut rx).await), "ação");
}

#[tokio::test]
async fn line_breaks_are_skipped_across_reads_and_reported() {
    let (mut tx, mut rx) = reader(ZapCodec::new(Direction::ToServer));
    tx.write_all(format!("03{ANA}\r").as_bytes()).await.unwrap();
    let first = frame(&mut rx).await;
    assert_eq!((first.skipped, first.len), (0, 15));
    assert!(poll_now(&mut rx).is_pending());
    tx.write_all(format!("\n08{BIA}{TS}").as_bytes())
        .await
        .unwrap();
    let second = frame(&mut rx).await;
    assert_eq!(second.message.code(), Code::Read);
    assert_eq!(
        (second.skipped, second.len, second.is_canonical()),
        (2, 27, false)
    );
    tx.write_all(b"\r\n\r\n").await.unwrap();
    drop(tx);
    assert!(
        next(&mut rx).await.is_none(),
        "trailing line breaks are not an error at EOF"
    );
}

#[tokio::test]
async fn the_max_frame_guard_stops_a_frame_that_never_ends() {
    let (mut tx, mut rx) = reader(ZapCodec::new(Direction::ToServer).max_frame(100));
    tx.write_all(&Message::Send(chat(&"a".repeat(150))).to_bytes())
        .await
        .unwrap();
    match next(&mut rx).await {
        Some(Err(ZapCodecError::FrameTooLong { buffered, max: 100 })) => assert!(buffered > 100),
        other => panic!("expected FrameTooLong, got {other:?}"),
    }
}

#[test]
fn the_default_guard_admits_the_longest_frame_and_a_glued_header() {
    let mut codec = ZapCodec::new(Direction::ToServer);
    let mut buf = BytesMut::new();
    buf.extend_from_slice(&Message::Send(chat(&"𝄞".repeat(218))).to_bytes());
    buf.extend_from_slice(format!("05{ANA}{BIA}170000").as_bytes());
    assert!(
        codec.decode(&mut buf).unwrap().is_none(),
        "waits for the glued header"
    );
    buf.extend_from_slice(b"0000");
    assert_eq!(
        data(&codec.decode(&mut buf).unwrap().unwrap()),
        "𝄞".repeat(218)
    );
    assert_eq!(buf.len(), 38);
}

#[tokio::test]
async fn a_malformed_frame_is_an_error_with_the_spec_fault() {
    let (mut tx, mut rx) = reader(ZapCodec::new(Direction::ToServer));
    tx.write_all(format!("06{ANA}{BIA}{TS}oi").as_bytes())
        .await
        .unwrap();
    match next(&mut rx).await {
        Some(Err(ZapCodecError::Invalid(i))) => {
            assert_eq!(
                i.kind,
                Kind::WrongDirection {
                    expected: Direction::ToServer
                }
            );
            assert_eq!(
                i.to_string(),
                "byte 0: code must be a code a client sends (01 03 05 08 10), found \"06\""
            );
        }
        other => panic!("expected wrong_direction, got {other:?}"),
    }
}

#[tokio::test]
async fn eof_inside_a_frame_is_an_error() {
    for (dir, partial) in [
        (Direction::ToServer, format!("03{}", &ANA[..7]).into_bytes()),
        (Direction::ToClient, {
            let mut w = format!("06{ANA}{BIA}{TS}olá").into_bytes();
            w.pop(); // half of "á"
            w
        }),
    ] {
        let (mut tx, mut rx) = reader(ZapCodec::new(dir));
        tx.write_all(&partial).await.unwrap();
        drop(tx);
        match next(&mut rx).await {
            Some(Err(ZapCodecError::TruncatedAtEof { pending })) => {
                assert_eq!(pending, partial.len())
            }
            other => panic!("expected TruncatedAtEof, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn framed_write_sends_canonical_frames_a_framed_read_decodes() {
    let (a, b) = duplex(64 * 1024);
    let mut out = FramedWrite::new(a, ZapCodec::new(Direction::ToServer));
    let mut inp = FramedRead::new(b, ZapCodec::new(Direction::ToClient));
    let members = gabarito_codec::zap::GroupMembers::from_ids([
        Id::parse(ANA).unwrap(),
        Id::parse(BIA).unwrap(),
    ])
    .unwrap();
    let sent = vec![
        Message::Registered {
            id: Id::parse(ANA).unwrap().into_owned(),
        },
        Message::Deliver(chat("olá, mundo")),
        Message::GroupCreated {
            group: Id::parse("2000000000100").unwrap().into_owned(),
            timestamp: Timestamp::parse(TS).unwrap().into_owned(),
            members,
        },
        Message::Deliver(chat("")),
    ];
    for m in &sent {
        poll_fn(|cx| Sink::<Message<'_>>::poll_ready(Pin::new(&mut out), cx))
            .await
            .unwrap();
        Pin::new(&mut out).start_send(m.clone()).unwrap();
    }
    poll_fn(|cx| Sink::<Message<'_>>::poll_flush(Pin::new(&mut out), cx))
        .await
        .unwrap();
    let expected_len: usize = sent.iter().map(Message::encoded_len).sum();
    drop(out);
    let mut got = Vec::new();
    let mut total = 0;
    while let Some(d) = next(&mut inp).await {
        let d = d.unwrap();
        assert!(d.is_canonical());
        total += d.len;
        got.push(d.message);
    }
    assert_eq!(got, sent);
    assert_eq!(total, expected_len);
}

#[test]
fn encoder_writes_into_bytesmut_by_value_or_reference() {
    use tokio_util::codec::Encoder;
    let mut codec = ZapCodec::new(Direction::ToServer);
    let mut buf = BytesMut::new();
    let m = Message::Connect {
        id: Id::parse(ANA).unwrap(),
    };
    codec.encode(&m, &mut buf).unwrap();
    codec.encode(m.clone(), &mut buf).unwrap();
    assert_eq!(&buf[..], format!("03{ANA}03{ANA}").as_bytes());
}
