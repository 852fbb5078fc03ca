//! What the online and stored scenarios share: pairs of registered users,
//! the senders' pre-encoded 05s, reading deliveries (06) into a ledger and
//! counting delivery receipts (07).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use gabarito_codec::zap::{Chat, Id, Message, Text, Timestamp};
use tokio::task::JoinSet;

use super::Config;
use super::conn::{Conn, Reader, connect, describe};
use super::payload::Payload;
use crate::bench::ledger::Ledger;
use crate::bench::script::Script;
use crate::bench::window::Window;

/// How long the receipt count may stand still, once every 06 has arrived,
/// before the count is final: a server may coalesce 07s (zap §7.1, D14).
const RECEIPTS_QUIET: Duration = Duration::from_millis(500);

/// Two registered users; the sender is online on `sender`.
#[derive(Debug)]
pub struct Pair {
    pub index: usize,
    pub sender: Conn,
    pub sender_id: Id<'static>,
    pub recipient_id: Id<'static>,
    /// The recipient's connection: online if set up so, else `None`.
    pub recipient: Option<Conn>,
}

impl Pair {
    pub fn name(&self) -> String {
        format!(
            "pair {} ({} → {})",
            self.index, self.sender_id, self.recipient_id
        )
    }
}

/// Registers `cfg.pairs` pairs at once and logs the senders in; the
/// recipients too when `recipients_online`, else their registering
/// connections are closed so they are offline.
pub async fn setup(addr: SocketAddr, cfg: &Config, recipients_online: bool) -> Result<Vec<Pair>> {
    let mut set = JoinSet::new();
    for index in 0..cfg.pairs {
        let cfg = cfg.clone();
        set.spawn(async move {
            let mut recipient = connect(addr, &cfg, format!("pair {index} recipient")).await?;
            let recipient_id = recipient.register().await?;
            let recipient = if recipients_online {
                recipient.login(&recipient_id).await?;
                Some(recipient)
            } else {
                None
            };
            let mut sender = connect(addr, &cfg, format!("pair {index} sender")).await?;
            let sender_id = sender.register().await?;
            sender.login(&sender_id).await?;
            Ok::<_, anyhow::Error>(Pair {
                index,
                sender,
                sender_id,
                recipient_id,
                recipient,
            })
        });
    }
    let mut pairs = Vec::with_capacity(cfg.pairs);
    while let Some(p) = set.join_next().await {
        pairs.push(p.context("a setup task panicked")??);
    }
    pairs.sort_by_key(|p| p.index);
    for p in &mut pairs {
        let name = p.name();
        p.sender.reader.who = format!("{name} sender");
        p.sender.writer.who = format!("{name} sender");
        if let Some(r) = &mut p.recipient {
            r.reader.who = format!("{name} recipient");
            r.writer.who = format!("{name} recipient");
        }
    }
    Ok(pairs)
}

/// The 10-digit timestamp every benchmark message carries (zap §4.1).
pub fn timestamp_now() -> Result<Timestamp<'static>> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the clock is before 1970")?
        .as_secs();
    Timestamp::from_secs(secs).context("the clock is past 2286")
}

/// The `messages` 05s of one pair, canonical (zap §6.1).
pub fn script(
    src: &Id<'_>,
    dst: &Id<'_>,
    timestamp: &Timestamp<'_>,
    payload: &Payload,
    pair: usize,
    messages: u64,
) -> Result<Script> {
    let mut script = Script::with_capacity(messages as usize, messages as usize * 64);
    let mut data = String::new();
    for seq in 0..messages {
        data.clear();
        payload.write(pair, seq, &mut data);
        let text = Text::new(&data).map_err(|e| anyhow::anyhow!("benchmark data: {e}"))?;
        let msg = Message::Send(Chat {
            src: src.reborrow(),
            dst: dst.reborrow(),
            timestamp: timestamp.reborrow(),
            data: text,
        });
        script.push_with(|b| msg.encode(b));
    }
    Ok(script)
}

/// Scripts of the same sizes as the pairs' 05s, for the echo ceiling.
pub fn echo_scripts(cfg: &Config) -> Result<Vec<Arc<Script>>> {
    let (src, dst) = (Id::parse("2000000000001")?, Id::parse("2000000000002")?);
    let ts = timestamp_now()?;
    let payload = Payload::new(cfg.data_chars);
    (0..cfg.pairs)
        .map(|i| script(&src, &dst, &ts, &payload, i, cfg.messages).map(Arc::new))
        .collect()
}

/// A frame header that ends the last 05's data at once (zap §3.4 R3)
/// instead of after the target's settle time (R5): `03` with the sender's
/// own id, which changes nothing on a connection already online as it
/// (zap §5.3).
pub fn terminator(id: &Id<'_>) -> Vec<u8> {
    Message::Connect { id: id.reborrow() }.to_bytes()
}

/// Writes the script, one 05 per write, holding to `window`; returns when
/// each was written.
pub async fn send_script(
    writer: &mut super::conn::Writer,
    script: &Script,
    window: &Window,
) -> Result<Vec<Instant>> {
    let mut sent = Vec::with_capacity(script.len());
    for (seq, frame) in script.iter().enumerate() {
        window.admit(seq as u64).await;
        sent.push(Instant::now());
        writer.send(frame).await?;
    }
    Ok(sent)
}

/// What a recipient received.
#[derive(Debug)]
pub struct Received {
    pub ledger: Ledger,
    /// First arrival of each message, by sequence number.
    pub arrivals: Vec<Option<Instant>>,
    /// Bytes of the 06s received.
    pub bytes: u64,
    /// When the last 06 arrived.
    pub last: Option<Instant>,
}

/// What a recipient expects: 06s carrying the 05s' fields unchanged
/// (zap §6.2).
#[derive(Debug, Clone)]
pub struct Expect {
    pub pair: usize,
    pub src: Id<'static>,
    pub dst: Id<'static>,
    pub timestamp: Timestamp<'static>,
    pub messages: u64,
}

/// Reads 06s until every message arrived once: a stall, a foreign frame or
/// an altered message is an error; duplicates and reordering are counted
/// in the ledger.
pub async fn receive(
    reader: &mut Reader,
    expect: &Expect,
    payload: &Payload,
    window: &Window,
) -> Result<Received> {
    let mut got = Received {
        ledger: Ledger::new(expect.messages),
        arrivals: vec![None; expect.messages as usize],
        bytes: 0,
        last: None,
    };
    let read = reader
        .read_until(|m, at| {
            let Message::Deliver(chat) = m else {
                bail!("expected only 06s, got {}", describe(m));
            };
            if chat.src != expect.src
                || chat.dst != expect.dst
                || chat.timestamp != expect.timestamp
            {
                bail!(
                    "a 06 with src {} dst {} timestamp {}, where {} {} {} was sent (zap §6.2)",
                    chat.src,
                    chat.dst,
                    chat.timestamp,
                    expect.src,
                    expect.dst,
                    expect.timestamp
                );
            }
            let (pair, seq) = payload
                .parse(chat.data.as_str())
                .map_err(anyhow::Error::msg)?;
            if pair != expect.pair {
                bail!(
                    "message {seq} of pair {pair} delivered to pair {}",
                    expect.pair
                );
            }
            let first = got.ledger.distinct();
            got.ledger.record(seq);
            if got.ledger.distinct() > first {
                if let Some(slot) = got.arrivals.get_mut(seq as usize) {
                    *slot = Some(at);
                }
            }
            got.bytes += (38 + chat.data.as_str().len()) as u64;
            got.last = Some(at);
            window.advance(got.ledger.distinct());
            Ok(got.ledger.complete())
        })
        .await;
    read.with_context(|| {
        format!(
            "after {} of {} messages{}",
            got.ledger.distinct(),
            expect.messages,
            got.ledger
                .verdict()
                .map(|v| format!(": {v}"))
                .unwrap_or_default()
        )
    })?;
    Ok(got)
}

/// Counts 07s naming `recipient` (zap §7.1) into `count` until `expected`
/// have come; any other frame is an error.
pub async fn count_receipts(
    reader: &mut Reader,
    recipient: &Id<'_>,
    count: &AtomicU64,
    expected: u64,
) -> Result<()> {
    if expected == 0 {
        return Ok(());
    }
    reader
        .read_until(|m, _| match m {
            Message::Delivered { dst, .. } if dst == recipient => {
                Ok(count.fetch_add(1, Ordering::Relaxed) + 1 >= expected)
            }
            other => bail!(
                "expected only 07s naming {recipient} (zap §7.1), got {}",
                describe(other)
            ),
        })
        .await
}

/// Waits, once every 06 has arrived, until every sender has its `expected`
/// 07s or the total stands still for [`RECEIPTS_QUIET`] (or `timeout`
/// passes); returns the total.
pub async fn settle_receipts(counts: &[Arc<AtomicU64>], expected: u64, timeout: Duration) -> u64 {
    let total = || {
        counts
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum::<u64>()
    };
    let goal = expected * counts.len() as u64;
    let deadline = Instant::now() + timeout;
    let (mut last, mut still_since) = (total(), Instant::now());
    while last < goal && Instant::now() < deadline && still_since.elapsed() < RECEIPTS_QUIET {
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now = total();
        if now != last {
            (last, still_since) = (now, Instant::now());
        }
    }
    total()
}
