//! The zap runtime driver: the [`Service`] the generic connection loop
//! calls, around one [`Core`] behind a mutex and one group-commit store.
//!
//! Each event — or each run of frames taken from one read, up to the
//! reader's limit — is handled under the core's lock and its job (store
//! ops, then the other actions) is submitted to the committer while still
//! holding it, so the committer sees jobs in the order the core produced
//! them. The committer commits a batch of jobs, then runs each job's
//! actions in order: frames are queued to writers, closes and logs happen,
//! and pages of stored items are read (seeing every earlier op) and fed
//! back to the core.
//! Nothing a frame causes is visible to anyone before it is durable
//! (zap §11.1), and two frames' effects are never seen out of order.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use gabarito_codec::zap::{DecodeError, Direction, MAX_FRAME_LEN, Message, decode_stream};
use rusqlite::Connection;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::core::{Action, Core, CoreConfig, Event, Notice, Seq, StoreOp};
use super::sqlite::{self, ZapSchema};
use crate::ConnId;
use crate::config::Config;
use crate::driver::{self, Crash};
use crate::fault::{Fault, Quirk};
use crate::net::{
    Ack, Batches, Bucket, End, Fed, Frame, Next, Registry, Service, Signals, WriterStyle,
};
use crate::store::{self, Commit, Durable, Job};

/// Stored items read per page (see `core/mailbox.rs`).
const PAGE: usize = 256;

/// Registrations one connection may make at once (zap §11.2).
const REGISTRATION_BURST: u32 = 100;

/// Then one registration per this long (zap §11.2): 10 a second.
const REGISTRATION_EVERY: Duration = Duration::from_millis(100);

/// The database file inside the data directory.
pub(crate) const DB_FILE: &str = "zap.sqlite3";

/// Serves zap on `listener` until `shutdown` resolves (see [`crate::run`]).
pub(crate) async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (db, path) = store::open_schema::<ZapSchema>(
        &config.data_dir,
        DB_FILE,
        config.faults.contains(&Fault::LoseState),
    )?;
    let snapshot = sqlite::snapshot(&db).with_context(|| format!("reading {}", path.display()))?;
    tracing::info!(
        path = %path.display(),
        users = snapshot.users.len(),
        groups = snapshot.groups.len(),
        pending = snapshot.users.values().sum::<u64>(),
        "zap store opened"
    );
    let signals = Signals::default();
    let store = Durable::<ZapSchema>::start(db, signals.abort.clone())?;
    let core_cfg = CoreConfig {
        faults: config.faults.clone(),
        quirks: config.quirks.clone(),
        max_queue: config.limits.max_queue,
        max_queue_bytes: config.limits.max_queue_bytes,
        max_rejected: config.limits.max_rejected,
        page: PAGE,
    };
    let style = WriterStyle {
        suffix: if config.quirks.contains(&Quirk::Newline) {
            b"\n"
        } else {
            b""
        },
        ..driver::shared_style(&config.quirks)
    };
    let registry = Arc::new(Registry::default());
    let hub = Arc::new_cyclic(|me| Hub {
        me: me.clone(),
        core: Mutex::new(Core::new(core_cfg, snapshot)),
        registrations: Mutex::default(),
        commit: store.handle(),
        registry: Arc::clone(&registry),
        signals: signals.clone(),
        style,
        crash: Crash::default(),
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
    /// Each connection's registration rate limit (zap §11.2).
    registrations: Mutex<HashMap<ConnId, Bucket>>,
    commit: Commit<super::core::StoreOp>,
    registry: Arc<Registry>,
    signals: Signals,
    style: WriterStyle,
    crash: Crash,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What a run of events under one lock of the core asks for: their store
/// ops, to commit together, and every event's other actions, to run in
/// order once the ops are durable. One buffer for all of them, not one
/// per event: under load a step holds dozens of events.
#[derive(Default)]
struct Step {
    ops: Vec<StoreOp>,
    /// Every event's actions but its ops, in order.
    actions: Vec<Action>,
    /// Where each event's actions end in `actions`.
    ends: Vec<usize>,
    /// One event's actions as the core produced them.
    scratch: Vec<Action>,
}

impl Step {
    fn handle(&mut self, core: &mut Core, now: u64, event: Event<'_>) {
        core.handle_into(now, event, &mut self.scratch);
        for a in self.scratch.drain(..) {
            match a {
                Action::Store(op) => self.ops.push(op),
                other => self.actions.push(other),
            }
        }
        if self.ends.last().copied().unwrap_or(0) < self.actions.len() {
            self.ends.push(self.actions.len());
        }
    }
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Core> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// zap §11.2: whether `conn` may register one more id now, or when it
    /// may. Each 01 is a row in the store forever, so a connection gets
    /// [`REGISTRATION_BURST`] at once and then one per
    /// [`REGISTRATION_EVERY`]; a faster one is read no further until then
    /// (50,000 pipelined 01s used to register 50,000 ids).
    fn may_register(&self, conn: ConnId) -> Result<(), Instant> {
        self.registrations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(conn)
            .or_insert_with(|| Bucket::new(REGISTRATION_BURST, REGISTRATION_EVERY))
            .take(Instant::now())
    }

    /// Handles one event and submits its job; the ack fires after commit and
    /// dispatch.
    fn step(&self, event: Event<'_>) -> Ack {
        let mut core = self.lock();
        let mut step = Step::default();
        step.handle(&mut core, now(), event);
        self.submit(&core, step)
    }

    /// Submits a step's job; the ack fires after commit and dispatch. Takes
    /// the core's guard because it must be called under the lock: the
    /// committer then sees jobs in the order the core produced them.
    fn submit(&self, _core: &MutexGuard<'_, Core>, step: Step) -> Ack {
        let (ack, acked) = oneshot::channel();
        let Step {
            ops, actions, ends, ..
        } = step;
        let me = self.me.clone();
        let then = Box::new(move |db: &Connection| match me.upgrade() {
            Some(hub) => hub.after_commit(db, actions, &ends, ack),
            None => Ok(()),
        });
        self.commit.submit(Job { ops, then });
        acked
    }

    /// [`Hub::step`] for events whose sender does not wait.
    fn post(&self, event: Event<'_>) {
        drop(self.step(event));
    }

    /// Runs each event's actions, in order, once their ops are durable:
    /// an event's frames first, one batch per connection (quirk `glue`
    /// writes a batch at once), then its other actions in order. Pages read
    /// for [`Action::Load`] go back to the core after the ack.
    fn after_commit(
        &self,
        db: &Connection,
        actions: Vec<Action>,
        ends: &[usize],
        ack: oneshot::Sender<()>,
    ) -> rusqlite::Result<()> {
        let queued_at = Instant::now();
        let mut loaded = Vec::new();
        let mut batches = Batches::default();
        let mut others = Vec::new();
        let mut actions = actions.into_iter();
        let mut start = 0;
        for &end in ends {
            for a in actions.by_ref().take(end - start) {
                match a {
                    Action::Send { conn, frames } => {
                        batches.add(
                            conn,
                            frames.into_iter().map(|f| Frame {
                                bytes: f.bytes,
                                token: f.item.map(|s| s.0),
                            }),
                        );
                    }
                    other => others.push(other),
                }
            }
            start = end;
            batches.send(&self.registry, queued_at);
            for a in others.drain(..) {
                self.act(db, a, &mut loaded)?;
            }
        }
        let _ = ack.send(());
        for event in loaded {
            self.post(event);
        }
        Ok(())
    }

    /// An action other than a frame to send.
    fn act(
        &self,
        db: &Connection,
        action: Action,
        loaded: &mut Vec<Event<'static>>,
    ) -> rusqlite::Result<()> {
        match action {
            Action::Close { conn, reason } => {
                let peer = self.registry.peer_name(conn);
                tracing::info!(%peer, %conn, "closing: {reason}");
                self.registry.close(conn, reason.flush());
            }
            Action::Notice { conn, notice } => match notice {
                Notice::Malformed(_) => {
                    self.registry.warn(conn, &format_args!("{notice}; closing"))
                }
                Notice::Ignored { .. } => self.registry.warn(conn, &notice),
            },
            Action::Load(r) => {
                let items = sqlite::load(db, &r)?;
                loaded.push(Event::Loaded {
                    conn: r.conn,
                    load: r.load,
                    items,
                });
            }
            Action::Crash { conn, error } => {
                let peer = self.registry.peer_name(conn);
                tracing::error!(%peer, %conn, "fault crash-on-malformed: stopping the server after: {error}");
                self.crash.stop(
                    format!("malformed frame from {peer}: {error}"),
                    &self.signals,
                );
            }
            Action::Send { .. } | Action::Store(_) => {}
        }
        Ok(())
    }
}

impl Service for Hub {
    /// zap §3.4 on the head of the buffer: each whole frame is decoded and
    /// acted on in turn, all under one lock of the core and as one job for
    /// the committer (their ops commit together, then their actions run in
    /// order, so nothing is seen before it is durable, zap §11.1).
    fn feed(&self, conn: ConnId, buf: &[u8], end: End, max: usize) -> Fed {
        let codec_end = match end {
            End::More => gabarito_codec::zap::End::More,
            End::Boundary => gabarito_codec::zap::End::Boundary,
        };
        let mut core: Option<MutexGuard<'_, Core>> = None;
        let mut step = Step::default();
        let now = now();
        let (mut consumed, mut frames) = (0, 0);
        let next = loop {
            if frames == max.max(1) {
                break Next::More;
            }
            let rest = &buf[consumed..];
            match decode_stream(rest, Direction::ToServer, codec_end) {
                Ok(d) => {
                    if matches!(d.message, Message::Register) {
                        if let Err(until) = self.may_register(conn) {
                            break Next::Pause(until);
                        }
                    }
                    consumed += d.len;
                    frames += 1;
                    let core = core.get_or_insert_with(|| self.lock());
                    step.handle(
                        core,
                        now,
                        Event::Frame {
                            conn,
                            message: d.message,
                        },
                    );
                }
                Err(DecodeError::Incomplete { .. }) => {
                    // zap §3.5: line breaks where a frame should start are noise.
                    let discard = rest
                        .iter()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                    let open = end == End::More
                        && !matches!(
                            decode_stream(
                                &rest[discard..],
                                Direction::ToServer,
                                gabarito_codec::zap::End::Boundary
                            ),
                            Err(DecodeError::Incomplete { .. })
                        );
                    consumed += discard;
                    break Next::NeedMore { open };
                }
                Err(DecodeError::Invalid(error)) => {
                    frames += 1;
                    let core = core.get_or_insert_with(|| self.lock());
                    step.handle(core, now, Event::Malformed { conn, error });
                    break Next::Close;
                }
            }
        };
        let ack = core.map(|core| self.submit(&core, step));
        Fed {
            consumed,
            frames,
            ack,
            next,
        }
    }

    fn opened(&self, conn: ConnId) -> Ack {
        self.step(Event::Opened { conn })
    }

    fn written(&self, conn: ConnId, frames: usize, tokens: Vec<u64>) {
        self.post(Event::Written {
            conn,
            frames,
            items: tokens.into_iter().map(Seq).collect(),
        });
    }

    fn closed(&self, conn: ConnId) {
        self.registrations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&conn);
        self.post(Event::Closed { conn });
    }

    fn style(&self) -> WriterStyle {
        self.style
    }

    fn max_frame_len(&self) -> usize {
        MAX_FRAME_LEN
    }
}
