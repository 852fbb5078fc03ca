//! Idle connections: how much memory a target holds per logged-in client
//! that sends nothing (zap §11.2 allows 10 000 by default).
//!
//! Each connection registers (01 → 02) and logs in (03), then sits idle
//! while the target's resident set is read. A probe then sends one 05 to
//! every idle user and each connection must receive its 06: that proves
//! every one was online and still open when the memory was read.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use gabarito_codec::zap::{Id, Message};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::Config;
use super::conn::{Conn, connect, describe};
use super::pairs::{Expect, receive, script, terminator, timestamp_now};
use super::payload::Payload;
use super::report::IdleResult;
use crate::bench::process::rss_kib;
use crate::bench::window::Window;

/// Connections being opened at once: enough to be quick, few enough not
/// to overflow the target's listen backlog.
const OPENING: usize = 64;

/// Time for the target to act on the last 03s before its memory is read;
/// a 03 has no reply to wait for (zap §5.3).
const SETTLE_BEFORE_RSS: Duration = Duration::from_millis(500);

/// Opens `count` idle connections to `addr`; with `pid`, reads that
/// process's resident set before and after.
pub async fn run(
    addr: SocketAddr,
    count: usize,
    pid: Option<u32>,
    cfg: &Config,
) -> Result<IdleResult> {
    let rss_before = pid.map(rss_kib).transpose()?;
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(OPENING));
    let mut opening = JoinSet::new();
    for i in 0..count {
        let (cfg, gate) = (cfg.clone(), Arc::clone(&gate));
        opening.spawn(async move {
            let _permit = gate.acquire_owned().await?;
            let mut conn = connect(addr, &cfg, format!("idle connection {i}"))
                .await?
                .with_small_reads();
            let id = conn.register().await?;
            conn.writer
                .send(&Message::Connect { id: id.reborrow() }.to_bytes())
                .await?;
            Ok::<_, anyhow::Error>((i, id, conn))
        });
    }
    let mut conns: Vec<Option<(Id<'static>, Conn)>> = (0..count).map(|_| None).collect();
    while let Some(r) = opening.join_next().await {
        let (i, id, conn) = r.context("an idle connection task panicked")??;
        conns[i] = Some((id, conn));
    }
    let setup = started.elapsed();
    tokio::time::sleep(SETTLE_BEFORE_RSS).await;
    let rss_after = pid.map(rss_kib).transpose()?;
    let reached = probe(addr, conns, cfg).await?;
    let bytes_per_connection = match (rss_before, rss_after) {
        (Some(b), Some(a)) if count > 0 => Some((a as f64 - b as f64) * 1024.0 / count as f64),
        _ => None,
    };
    Ok(IdleResult {
        connections: count,
        setup_seconds: setup.as_secs_f64(),
        rss_before_kib: rss_before,
        rss_after_kib: rss_after,
        bytes_per_connection,
        reached,
    })
}

/// One 05 from a fresh user to every idle user; returns how many got it.
async fn probe(
    addr: SocketAddr,
    conns: Vec<Option<(Id<'static>, Conn)>>,
    cfg: &Config,
) -> Result<usize> {
    let mut prober = connect(addr, cfg, "idle probe sender".into()).await?;
    let src = prober.register().await?;
    prober.login(&src).await?;
    let ts = timestamp_now()?;
    let payload = Arc::new(Payload::new(cfg.data_chars));
    let mut reading = JoinSet::new();
    let mut writers = Vec::with_capacity(conns.len());
    let mut frames = Vec::with_capacity(conns.len());
    for (i, slot) in conns.into_iter().enumerate() {
        let (dst, conn) = slot.context("an idle connection was not opened")?;
        let one = script(&src, &dst, &ts, &payload, i, 1)?;
        frames.push(one);
        writers.push(conn.writer);
        let expect = Expect {
            pair: i,
            src: src.clone(),
            dst,
            timestamp: ts.clone(),
            messages: 1,
        };
        let (payload, mut reader) = (Arc::clone(&payload), conn.reader);
        reading.spawn(async move {
            receive(&mut reader, &expect, &payload, &Window::new(0)).await?;
            Ok::<_, anyhow::Error>(())
        });
    }
    let Conn {
        mut reader,
        writer: mut sender,
    } = prober;
    // The 07s must be read as they come: a target bounds what it queues
    // to a reader that does not read (zap §11.2).
    let total = frames.len();
    let draining = tokio::spawn(async move {
        let mut seen = 0;
        reader
            .read_until(|m, _| match m {
                Message::Delivered { .. } => {
                    seen += 1;
                    Ok(seen >= total)
                }
                other => bail!("expected 07s, got {}", describe(other)),
            })
            .await
    });
    for f in &frames {
        if let Some(bytes) = f.get(0) {
            sender.send(bytes).await?;
        }
    }
    sender.send(&terminator(&src)).await?;
    let mut reached = 0;
    while let Some(r) = reading.join_next().await {
        r.context("an idle reader panicked")??;
        reached += 1;
    }
    draining.abort();
    drop(writers);
    Ok(reached)
}
