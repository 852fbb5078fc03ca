//! Store-then-deliver (zap §9.4, §11.1): the recipients are registered
//! and offline; every sender pipelines its 05s, which the target must
//! store, then the recipients connect and receive them all.
//!
//! Two phases are timed. *Send*: first 05 written to the last sender's
//! acceptance barrier answered — after its last 05 a sender writes a 01,
//! and the target answers a frame only after committing the ones before it
//! (zap §11.1), so the 02 means all of that sender's messages are stored.
//! *Deliver*: the first recipient's 03 to the last 06 arrived.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use gabarito_codec::zap::Message;
use tokio::task::JoinSet;

use super::Config;
use super::conn::{Conn, Reader, Writer, connect};
use super::pairs::{
    Expect, Received, count_receipts, receive, script, send_script, settle_receipts, setup,
    terminator, timestamp_now,
};
use super::payload::Payload;
use super::report::Tally;
use crate::bench::table::Row;
use crate::bench::window::Window;

#[derive(Debug)]
pub struct Outcome {
    pub send: Row,
    pub deliver: Row,
    pub tally: Tally,
}

pub async fn run(addr: SocketAddr, cfg: &Config) -> Result<Outcome> {
    let pairs = setup(addr, cfg, false).await?;
    let ts = timestamp_now()?;
    let payload = Arc::new(Payload::new(cfg.data_chars));
    let n = pairs.len();

    // Send phase.
    let mut sending = JoinSet::new();
    let mut script_bytes = 0u64;
    let mut expects = Vec::with_capacity(n);
    let mut names = Vec::with_capacity(n);
    for p in pairs {
        let script = script(
            &p.sender_id,
            &p.recipient_id,
            &ts,
            &payload,
            p.index,
            cfg.messages,
        )?;
        script_bytes += script.total_bytes() as u64;
        names.push(p.name());
        expects.push(Expect {
            pair: p.index,
            src: p.sender_id.clone(),
            dst: p.recipient_id.clone(),
            timestamp: ts.clone(),
            messages: cfg.messages,
        });
        let end = terminator(&p.sender_id);
        let mut sender = p.sender;
        let index = p.index;
        sending.spawn(async move {
            let sent = send_script(&mut sender.writer, &script, &Window::new(0)).await?;
            sender.writer.send(&end).await?;
            sender.writer.send(&Message::Register.to_bytes()).await?;
            let (_, stored_at) =
                sender.reader.registered_at().await.context(
                    "waiting for the 02 that confirms the 05s were accepted (zap §11.1)",
                )?;
            Ok::<_, anyhow::Error>((index, sent.first().copied(), stored_at, sender))
        });
    }
    let mut senders: Vec<Option<Conn>> = (0..n).map(|_| None).collect();
    let (mut first, mut stored) = (None::<Instant>, None::<Instant>);
    while let Some(r) = sending.join_next().await {
        let (i, f, s, conn) = r.context("a sender task panicked")??;
        if let Some(f) = f {
            first = Some(first.map_or(f, |x| x.min(f)));
        }
        stored = Some(stored.map_or(s, |x| x.max(s)));
        senders[i] = Some(conn);
    }
    let total = n as u64 * cfg.messages;
    let send = Row::new(
        "stored-send",
        total,
        script_bytes,
        span(first, stored),
        None,
    );

    // Deliver phase: connections first, so the clock starts at the 03s.
    let mut recipients = Vec::with_capacity(n);
    for e in &expects {
        let who = format!("{} recipient", names[e.pair]);
        recipients.push(connect(addr, cfg, who).await?);
    }
    let mut counts = Vec::with_capacity(n);
    let mut receipts = JoinSet::new();
    let mut writers: Vec<Writer> = Vec::with_capacity(2 * n);
    for (e, sender) in expects.iter().zip(senders) {
        let Conn { mut reader, writer } = sender.context("a sender finished without a result")?;
        writers.push(writer);
        let count = Arc::new(AtomicU64::new(0));
        counts.push(Arc::clone(&count));
        let (dst, messages) = (e.dst.clone(), cfg.messages);
        receipts.spawn(async move {
            count_receipts(&mut reader, &dst, &count, messages).await?;
            Ok::<_, anyhow::Error>(reader)
        });
    }
    let mut delivering = JoinSet::new();
    for (e, conn) in expects.iter().cloned().zip(recipients) {
        let payload = Arc::clone(&payload);
        let Conn {
            mut reader,
            mut writer,
        } = conn;
        delivering.spawn(async move {
            let login = Message::Connect {
                id: e.dst.reborrow(),
            }
            .to_bytes();
            let at = Instant::now();
            writer.send(&login).await?;
            let got = receive(&mut reader, &e, &payload, &Window::new(0)).await?;
            Ok::<_, anyhow::Error>((e.pair, at, got, reader, writer))
        });
    }
    let mut received: Vec<Option<Received>> = (0..n).map(|_| None).collect();
    let mut readers: Vec<Reader> = Vec::with_capacity(n);
    let (mut first, mut last, mut bytes) = (None::<Instant>, None::<Instant>, 0u64);
    while let Some(r) = delivering.join_next().await {
        let (i, at, got, reader, writer) = r.context("a recipient task panicked")??;
        first = Some(first.map_or(at, |x| x.min(at)));
        if let Some(l) = got.last {
            last = Some(last.map_or(l, |x| x.max(l)));
        }
        bytes += got.bytes;
        received[i] = Some(got);
        readers.push(reader);
        writers.push(writer);
    }
    let receipt_total = settle_receipts(&counts, cfg.messages, cfg.timeout).await;
    let mut tally = Tally::new(total, receipt_total);
    while let Some(r) = receipts.try_join_next() {
        if let Ok(Err(e)) = r {
            tally.faults.push(format!("{e:#}"));
        }
    }
    receipts.abort_all();
    for (i, got) in received.into_iter().enumerate() {
        let got = got.context("a recipient finished without a result")?;
        tally.add(&names[i], &got.ledger);
    }
    let deliver = Row::new(
        "stored-deliver",
        tally.delivered,
        bytes,
        span(first, last),
        None,
    );
    drop((readers, writers));
    Ok(Outcome {
        send,
        deliver,
        tally,
    })
}

fn span(first: Option<Instant>, last: Option<Instant>) -> Duration {
    match (first, last) {
        (Some(f), Some(l)) => l.saturating_duration_since(f),
        _ => Duration::ZERO,
    }
}
