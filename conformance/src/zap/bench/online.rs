//! Online delivery (zap §6.1, §6.2, §7.1): every pair's sender and
//! recipient are online; each sender pipelines its 05s with no pause, the
//! recipient reads the 06s, and the sender counts its 07s.
//!
//! Messages/s is every distinct delivered message over the span from the
//! first 05 written to the last 06 arrived. A message's latency is its 05's
//! write to its 06's arrival; unwindowed, that includes the time spent in
//! the socket buffers a pipelining sender fills.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use anyhow::{Context, Result};
use tokio::task::JoinSet;

use super::Config;
use super::conn::{Conn, Reader, Writer};
use super::pairs::{
    Expect, Received, count_receipts, receive, script, send_script, settle_receipts, setup,
    terminator, timestamp_now,
};
use super::payload::Payload;
use super::report::Tally;
use crate::bench::stats::Samples;
use crate::bench::table::Row;
use crate::bench::window::Window;

#[derive(Debug)]
pub struct Outcome {
    pub row: Row,
    pub tally: Tally,
}

enum Done {
    Sent(usize, Vec<Instant>, Writer),
    /// The reader boxed: it holds its stream decoder and read buffer.
    Received(usize, Received, Box<Reader>),
}

pub async fn run(addr: SocketAddr, cfg: &Config) -> Result<Outcome> {
    let pairs = setup(addr, cfg, true).await?;
    let ts = timestamp_now()?;
    let payload = Arc::new(Payload::new(cfg.data_chars));
    let mut tasks = JoinSet::new();
    let mut receipts = JoinSet::new();
    let mut counts = Vec::with_capacity(pairs.len());
    let mut names = Vec::with_capacity(pairs.len());
    let mut scripts = Vec::with_capacity(pairs.len());
    let mut writers = Vec::with_capacity(2 * pairs.len());
    let mut readers = Vec::with_capacity(pairs.len());
    for p in &pairs {
        scripts.push(script(
            &p.sender_id,
            &p.recipient_id,
            &ts,
            &payload,
            p.index,
            cfg.messages,
        )?);
    }
    for (p, script) in pairs.into_iter().zip(scripts) {
        names.push(p.name());
        let window = Arc::new(Window::new(cfg.window));
        let count = Arc::new(AtomicU64::new(0));
        counts.push(Arc::clone(&count));
        let expect = Expect {
            pair: p.index,
            src: p.sender_id.clone(),
            dst: p.recipient_id.clone(),
            timestamp: ts.clone(),
            messages: cfg.messages,
        };
        let Some(recipient) = p.recipient else {
            anyhow::bail!("{}: the recipient is not connected", p.name());
        };
        // A write half dropped shuts the socket for writing: the target
        // would see EOF and close the recipient.
        writers.push(recipient.writer);
        let mut recipient = recipient.reader;
        let Conn {
            reader: mut sender_reader,
            writer: mut sender_writer,
        } = p.sender;
        let (index, messages, end) = (p.index, cfg.messages, terminator(&p.sender_id));
        {
            let (payload, window) = (Arc::clone(&payload), Arc::clone(&window));
            tasks.spawn(async move {
                let got = receive(&mut recipient, &expect, &payload, &window).await?;
                Ok::<_, anyhow::Error>(Done::Received(index, got, Box::new(recipient)))
            });
        }
        tasks.spawn(async move {
            let sent = send_script(&mut sender_writer, &script, &window).await?;
            sender_writer.send(&end).await?;
            Ok(Done::Sent(index, sent, sender_writer))
        });
        let recipient_id = p.recipient_id;
        receipts.spawn(async move {
            count_receipts(&mut sender_reader, &recipient_id, &count, messages).await?;
            Ok::<_, anyhow::Error>(sender_reader)
        });
    }
    let n = names.len();
    let mut sent: Vec<Vec<Instant>> = vec![Vec::new(); n];
    let mut received: Vec<Option<Received>> = (0..n).map(|_| None).collect();
    while let Some(done) = tasks.join_next().await {
        match done.context("a benchmark task panicked")?? {
            Done::Sent(i, s, w) => {
                sent[i] = s;
                writers.push(w);
            }
            Done::Received(i, r, rd) => {
                received[i] = Some(r);
                readers.push(*rd);
            }
        }
    }
    let receipt_total = settle_receipts(&counts, cfg.messages, cfg.timeout).await;
    let mut tally = Tally::new(n as u64 * cfg.messages, receipt_total);
    while let Some(r) = receipts.try_join_next() {
        if let Ok(Err(e)) = r {
            tally.faults.push(format!("{e:#}"));
        }
    }
    receipts.abort_all();
    let mut latencies = Samples::with_capacity((n as u64 * cfg.messages) as usize);
    let (mut first, mut last, mut bytes) = (None::<Instant>, None::<Instant>, 0u64);
    for (i, got) in received.into_iter().enumerate() {
        let got = got.context("a recipient finished without a result")?;
        tally.add(&names[i], &got.ledger);
        bytes += got.bytes;
        latencies.extend(
            sent[i]
                .iter()
                .zip(&got.arrivals)
                .filter_map(|(s, a)| a.map(|a| a.saturating_duration_since(*s))),
        );
        if let Some(s) = sent[i].first() {
            first = Some(first.map_or(*s, |f| f.min(*s)));
        }
        if let Some(l) = got.last {
            last = Some(last.map_or(l, |m| m.max(l)));
        }
    }
    let elapsed = match (first, last) {
        (Some(f), Some(l)) => l.saturating_duration_since(f),
        _ => std::time::Duration::ZERO,
    };
    drop((writers, readers));
    Ok(Outcome {
        row: Row::new(
            "online",
            tally.delivered,
            bytes,
            elapsed,
            latencies.summary(),
        ),
        tally,
    })
}
