//! A raw zap client on 127.0.0.1 that registers, goes online and then
//! sends valid 05s to itself as fast as the connection takes them, reading
//! everything that comes back.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use gabarito_codec::zap::{Direction, End, Message, StreamDecoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::Instant;

use crate::child::PATIENCE;

/// Reads frames into a decoder; counts the 06s and 02s.
pub struct Reader {
    rd: OwnedReadHalf,
    dec: StreamDecoder,
    pub delivered: Arc<AtomicUsize>,
    registered: Vec<String>,
}

impl Reader {
    /// The next 02's id, reading (and counting) what comes before it.
    pub async fn registered(&mut self) -> String {
        let deadline = Instant::now() + PATIENCE * 6;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if let Some(id) = self.registered.pop() {
                return id;
            }
            let n = tokio::time::timeout_at(deadline, self.rd.read(&mut buf))
                .await
                .expect("a 02 in time")
                .expect("read");
            assert!(n > 0, "EOF before the 02");
            self.dec.push(&buf[..n]);
            while let Ok(Some(d)) = self.dec.next(End::More) {
                match d.message {
                    Message::Registered { id } => self.registered.insert(0, id.as_str().to_owned()),
                    Message::Deliver(_) => {
                        self.delivered.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Connects, registers and goes online (confirmed by a second 02).
pub async fn online(addr: &str) -> (Reader, OwnedWriteHalf, String) {
    let s = TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).expect("nodelay");
    let (rd, mut wr) = s.into_split();
    let mut r = Reader {
        rd,
        dec: StreamDecoder::new(Direction::ToClient),
        delivered: Arc::new(AtomicUsize::new(0)),
        registered: Vec::new(),
    };
    wr.write_all(b"01").await.expect("01");
    let id = r.registered().await;
    wr.write_all(format!("03{id}01").as_bytes())
        .await
        .expect("03");
    r.registered().await;
    (r, wr, id)
}

/// 05s from `id` to itself, about 60 KB a write, for `how_long` (or until
/// `max` are sent); a write blocked for `stall` ends it (the relay stopped
/// reading: backpressure). Returns how many were sent.
pub async fn blast(
    wr: &mut OwnedWriteHalf,
    id: &str,
    how_long: Duration,
    max: usize,
    stall: Duration,
) -> usize {
    let per_write = 1000;
    let mut sent = 0;
    let end = Instant::now() + how_long;
    while Instant::now() < end && sent < max {
        let chunk: Vec<u8> = (sent..sent + per_write)
            .flat_map(|i| format!("05{id}{id}{}m{i}!", 1_700_000_000 + i % 1_000_000).into_bytes())
            .collect();
        match tokio::time::timeout(stall, wr.write_all(&chunk)).await {
            Ok(Ok(())) => sent += per_write,
            _ => break,
        }
    }
    sent
}

/// The 03 that ends the last 05's data (zap §3.4 R3) and a 01 whose 02
/// says everything before it was acted on (zap §11.1).
pub async fn barrier(wr: &mut OwnedWriteHalf, id: &str) {
    wr.write_all(format!("03{id}01").as_bytes())
        .await
        .expect("barrier");
}
