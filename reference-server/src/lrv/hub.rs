//! The LRV runtime driver: the [`Service`] the generic connection loop
//! calls, around one [`Core`] behind a mutex and one group-commit store.
//!
//! Each feed — the lines of one read, up to the reader's limit — is
//! handled under the core's lock, and its job (store ops, then the other
//! actions) is submitted to the committer while still holding it, so jobs
//! reach the committer in the order the core produced them. The committer
//! commits, then runs each job's actions in order: replies are queued to
//! writers and log lines written. So no reply leaves before the change it
//! reports is durable (lrv §10.1), and purchases racing from many
//! connections are decided one at a time by the core (§8.3).

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::Duration;

use anyhow::Context;
use gabarito_codec::lrv::MAX_REQUEST_LEN;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::core::{self, Action, Core, CoreConfig, Entropy, Event, Seeded, StoreOp};
use super::entropy::Os;
use super::sqlite::{self, LrvSchema};
use crate::ConnId;
use crate::config::Config;
use crate::driver::{self, Crash};
use crate::fault::{Fault, Quirk};
use crate::net::{Ack, Batches, End, Fed, Frame, Next, Registry, Service, Signals, WriterStyle};
use crate::store::{self, Commit, Durable, Job};

/// Quirk `no-newline`: the pause after each unterminated line, longer than
/// a client's settle time (the harness's and the reference client's default
/// are 20 and 50 ms), so that line is ended by it (lrv §3.3 L4) and never
/// glued to the next.
const NO_NEWLINE_GAP: Duration = Duration::from_millis(80);

/// The database file inside the data directory.
pub(crate) const DB_FILE: &str = "lrv.sqlite3";

/// Serves LRV on `listener` until `shutdown` resolves (see [`crate::run`]).
pub(crate) async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (db, path) = store::open_schema::<LrvSchema>(
        &config.data_dir,
        DB_FILE,
        config.faults.contains(&Fault::LoseState),
    )?;
    sqlite::check_size(&db, config.raffle_size, &path)?;
    let snapshot = sqlite::snapshot(&db).with_context(|| format!("reading {}", path.display()))?;
    tracing::info!(
        path = %path.display(),
        size = config.raffle_size.get(),
        cpfs = snapshot.cpfs.len(),
        sold = snapshot.sold.len(),
        drawn = snapshot.draw.is_some(),
        "lrv store opened"
    );
    let entropy: Box<dyn Entropy> = match config.draw_seed {
        Some(seed) => {
            tracing::warn!(
                seed,
                "--draw-seed: the draw is predictable (for tests only, lrv §8.4)"
            );
            Box::new(Seeded::new(seed))
        }
        None => Box::new(Os::new().map_err(|e| {
            anyhow::anyhow!("no operating-system random source for the draw (lrv §8.4): {e}")
        })?),
    };
    let core_cfg = CoreConfig {
        size: config.raffle_size,
        faults: config.faults.clone(),
        quirks: config.quirks.clone(),
        max_queue: config.limits.max_queue,
        max_queue_bytes: config.limits.max_queue_bytes,
        max_rejected: config.limits.max_rejected,
    };
    let mut core = Core::new(core_cfg, snapshot, entropy);
    let at_start = core.start();
    store::apply_now::<LrvSchema>(&db, &at_start)
        .with_context(|| format!("storing the draw in {}", path.display()))?;
    for op in &at_start {
        if let StoreOp::Draw(d) = op {
            tracing::info!(number = %d.number, winner = %d.winner, "drawn at start (lrv §8.4)");
        }
    }
    let signals = Signals::default();
    let store = Durable::<LrvSchema>::start(db, signals.abort.clone())?;
    let style = WriterStyle {
        gap: config
            .quirks
            .contains(&Quirk::NoNewline)
            .then_some(NO_NEWLINE_GAP),
        ..driver::shared_style(&config.quirks)
    };
    let registry = Arc::new(Registry::default());
    let hub = Arc::new_cyclic(|me| Hub {
        me: me.clone(),
        core: Mutex::new(core),
        commit: store.handle(),
        registry: Arc::clone(&registry),
        signals: signals.clone(),
        style,
        crash: Crash::default(),
        runtime: tokio::runtime::Handle::current(),
    });
    driver::serve(
        listener,
        Arc::clone(&hub),
        &hub.crash,
        registry,
        config.limits.clone(),
        signals,
        shutdown,
        store,
    )
    .await
}

struct Hub {
    me: Weak<Hub>,
    core: Mutex<Core>,
    commit: Commit<StoreOp>,
    registry: Arc<Registry>,
    signals: Signals,
    style: WriterStyle,
    crash: Crash,
    /// Where fault `double-sale`'s late sales wait (the committer's thread
    /// runs the actions, outside the runtime).
    runtime: tokio::runtime::Handle,
}

/// A late sale to make after its delay (fault `double-sale`).
struct Late {
    event: Event,
    delay: Duration,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Core> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Handles one event; its job, if it has one, is submitted, and the ack
    /// fires after commit and dispatch.
    fn step(&self, event: Event) -> Ack {
        let mut core = self.lock();
        let mut actions = Vec::new();
        core.handle_into(event, &mut actions);
        self.submit(&core, actions)
    }

    /// Submits the actions' job. Takes the core's guard because it must be
    /// called under the lock: the committer then sees jobs in the order the
    /// core produced them.
    fn submit(&self, _core: &MutexGuard<'_, Core>, actions: Vec<Action>) -> Ack {
        let (ack, acked) = oneshot::channel();
        if actions.is_empty() {
            let _ = ack.send(());
            return acked;
        }
        let (ops, others): (Vec<_>, Vec<_>) = actions
            .into_iter()
            .partition(|a| matches!(a, Action::Store(_)));
        let ops = ops
            .into_iter()
            .filter_map(|a| match a {
                Action::Store(op) => Some(op),
                _ => None,
            })
            .collect();
        let me = self.me.clone();
        let then = Box::new(move |_: &rusqlite::Connection| {
            if let Some(hub) = me.upgrade() {
                hub.after_commit(others, ack);
            }
            Ok(())
        });
        self.commit.submit(Job { ops, then });
        acked
    }

    /// Runs the actions in order once their ops are durable: one batch of
    /// lines per connection (quirk `glue` writes a batch at once), flushed
    /// before any other action. A late sale holds the ack until it is made,
    /// so the reader waiting on it ([`Next::Wait`]) reads on only then.
    fn after_commit(&self, actions: Vec<Action>, ack: oneshot::Sender<()>) {
        let queued_at = Instant::now();
        let mut batches = Batches::default();
        let mut late = Vec::new();
        for a in actions {
            match a {
                Action::Send { conn, bytes } => {
                    batches.add(conn, [Frame { bytes, token: None }]);
                }
                other => {
                    batches.send(&self.registry, queued_at);
                    self.act(other, &mut late);
                }
            }
        }
        batches.send(&self.registry, queued_at);
        if late.is_empty() {
            let _ = ack.send(());
            return;
        }
        let me = self.me.clone();
        self.runtime.spawn(async move {
            for Late { event, delay } in late {
                tokio::time::sleep(delay).await;
                let Some(hub) = me.upgrade() else { return };
                let done = hub.step(event);
                drop(hub);
                let _ = done.await;
            }
            let _ = ack.send(());
        });
    }

    /// An action other than a line to send.
    fn act(&self, action: Action, late: &mut Vec<Late>) {
        match action {
            Action::Notice { conn, notice } if notice.repeats() => {
                self.registry.warn(conn, &notice);
            }
            Action::Notice { conn, notice } => {
                let peer = self.registry.peer_name(conn);
                tracing::warn!(%peer, %conn, "{notice}");
            }
            Action::Close { conn, reason } => {
                let peer = self.registry.peer_name(conn);
                tracing::info!(%peer, %conn, "closing: {reason}");
                self.registry.close(conn, false);
            }
            Action::SellLater {
                conn,
                number,
                owner,
                delay,
            } => late.push(Late {
                event: Event::Sell {
                    conn,
                    number,
                    owner,
                },
                delay,
            }),
            Action::Crash { conn, why } => {
                let peer = self.registry.peer_name(conn);
                tracing::error!(%peer, %conn, "fault crash-on-malformed: stopping the server after: {why}");
                self.crash
                    .stop(format!("invalid request from {peer}: {why}"), &self.signals);
            }
            Action::Send { .. } | Action::Store(_) => {}
        }
    }
}

impl Service for Hub {
    /// lrv §3.3 on the head of the buffer, in the core: every whole line is
    /// acted on in turn, all under one lock and as one job for the
    /// committer.
    fn feed(&self, conn: ConnId, buf: &[u8], end: End, max: usize) -> Fed {
        let end = match end {
            End::More => gabarito_codec::lrv::End::More,
            End::Boundary => gabarito_codec::lrv::End::Boundary,
        };
        let mut core = self.lock();
        let mut actions = Vec::new();
        let fed = core.feed(conn, buf, end, max, &mut actions);
        let ack = (!actions.is_empty()).then(|| self.submit(&core, actions));
        Fed {
            consumed: fed.consumed,
            frames: fed.lines,
            ack,
            next: match fed.next {
                core::Next::More => Next::More,
                core::Next::NeedMore { open } => Next::NeedMore { open },
                core::Next::Wait => Next::Wait,
                core::Next::Close => Next::Close,
            },
        }
    }

    fn opened(&self, conn: ConnId) -> Ack {
        self.step(Event::Opened { conn })
    }

    fn written(&self, conn: ConnId, frames: usize, _: Vec<u64>) {
        drop(self.step(Event::Written {
            conn,
            lines: frames,
        }));
    }

    fn closed(&self, conn: ConnId) {
        drop(self.step(Event::Closed { conn }));
    }

    fn style(&self) -> WriterStyle {
        self.style
    }

    /// A request line's content, and its CRLF.
    fn max_frame_len(&self) -> usize {
        MAX_REQUEST_LEN + 2
    }
}
