//! [`Hub`]: the [`Service`] the generic connection loop calls, around one
//! protocol core behind a mutex and one group-commit store.
//!
//! Each call of the core — the frames of one read, up to the reader's
//! limit, or one event — is made under the core's lock, and its job (its
//! store ops, then its other effects) is submitted to the committer while
//! still holding it, so the committer sees jobs in the order the core
//! produced them. The committer commits a batch of jobs, then runs each
//! job's effects in order: frames are queued to writers, closes and logs
//! happen, and the protocol's own effects are answered. So nothing a frame
//! causes is visible to anyone before it is durable (zap §11.1, lrv §10.1),
//! two frames' effects are never seen out of order, and requests racing
//! from many connections are decided one at a time by the core (lrv §8.3).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gabarito_codec::framing::End;
use rusqlite::Connection;
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::crash::Crash;
use super::{Answer, Op, Serve};
use crate::ConnId;
use crate::net::{Ack, Batches, Registry, Service, Signals, WriterStyle};
use crate::registry::Spec;
use crate::sans_io::{Core, Effect, Fed, Input, Note as _, Now, Reason as _, Reply};
use crate::store::{Commit, Job};

type Effects<P> = Vec<Effect<<P as Spec>::Core>>;

/// The runtime around protocol `P`'s core. See the module docs.
pub(crate) struct Hub<P: Serve> {
    me: Weak<Hub<P>>,
    core: Mutex<P::Core>,
    commit: Commit<Op<P>>,
    registry: Arc<Registry>,
    signals: Signals,
    style: WriterStyle,
    crash: Crash,
    /// Where answers that come later wait ([`Reply::After`]): the
    /// committer's thread runs the effects, outside the runtime.
    runtime: tokio::runtime::Handle,
}

/// The time of a call: the wall clock for the wire, tokio's clock (which
/// tests may pause) for rate limits.
fn now() -> Now {
    Now {
        unix: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        mono: Instant::now().into_std(),
    }
}

/// What a batch of effects leads to once the job's ops are committed.
struct Answers<P: Serve> {
    /// Fed back at once, after the ack.
    now: Vec<Answer<P>>,
    /// Fed back after their delay; the ack waits for them.
    later: Vec<(Duration, Answer<P>)>,
}

impl<P: Serve> Hub<P> {
    pub fn new(
        core: P::Core,
        commit: Commit<Op<P>>,
        registry: Arc<Registry>,
        signals: Signals,
        style: WriterStyle,
    ) -> Arc<Hub<P>> {
        Arc::new_cyclic(|me| Hub {
            me: me.clone(),
            core: Mutex::new(core),
            commit,
            registry,
            signals,
            style,
            crash: Crash::default(),
            runtime: tokio::runtime::Handle::current(),
        })
    }

    /// Why fault `crash-on-malformed` stopped the server, if it did.
    pub fn crashed(&self) -> Option<String> {
        self.crash.take()
    }

    fn lock(&self) -> MutexGuard<'_, P::Core> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One call of the core; its job is submitted, and the ack fires after
    /// commit and dispatch.
    fn call(&self, f: impl FnOnce(&mut P::Core, Now, &mut Effects<P>)) -> Ack {
        let mut core = self.lock();
        let mut out = Vec::new();
        f(&mut core, now(), &mut out);
        self.submit(&core, out)
    }

    /// [`Hub::call`] for events whose sender does not wait.
    fn post(&self, f: impl FnOnce(&mut P::Core, Now, &mut Effects<P>)) {
        drop(self.call(f));
    }

    /// Submits a call's job. Takes the core's guard because it must be
    /// called under the lock: the committer then sees jobs in the order the
    /// core produced them. A call with no effects has nothing to wait for.
    fn submit(&self, _core: &MutexGuard<'_, P::Core>, out: Effects<P>) -> Ack {
        let (ack, acked) = oneshot::channel();
        if out.is_empty() {
            let _ = ack.send(());
            return acked;
        }
        let mut ops = Vec::new();
        let mut effects = Vec::with_capacity(out.len());
        for e in out {
            match e {
                Effect::Store(op) => ops.push(op),
                other => effects.push(other),
            }
        }
        let me = self.me.clone();
        let then = Box::new(move |db: &Connection| match me.upgrade() {
            Some(hub) => hub.after_commit(db, effects, ack),
            None => Ok(()),
        });
        self.commit.submit(Job { ops, then });
        acked
    }

    /// Runs a job's effects in order once its ops are durable, batch by
    /// batch ([`Effect::Flush`]): a batch's frames are queued first, one
    /// batch per connection (quirk `glue` writes a batch at once), then its
    /// other effects run in order. Answers come after the ack, or hold it.
    fn after_commit(
        &self,
        db: &Connection,
        effects: Effects<P>,
        ack: oneshot::Sender<()>,
    ) -> rusqlite::Result<()> {
        let queued_at = Instant::now();
        let mut batches = Batches::default();
        let mut others = Vec::new();
        let mut answers = Answers::<P> {
            now: Vec::new(),
            later: Vec::new(),
        };
        for e in effects {
            match e {
                Effect::Send { conn, frames } => batches.add(conn, frames),
                Effect::Flush => {
                    batches.send(&self.registry, queued_at);
                    for e in others.drain(..) {
                        self.act(db, e, &mut answers)?;
                    }
                }
                other => others.push(other),
            }
        }
        batches.send(&self.registry, queued_at);
        for e in others {
            self.act(db, e, &mut answers)?;
        }
        self.answer_later(answers.later, ack);
        for answer in answers.now {
            self.post(|core, now, out| core.answer(now, answer, out));
        }
        Ok(())
    }

    /// Acks now, or once every late answer has been fed back and its own
    /// effects performed, so the reader waiting on it
    /// ([`Next::Wait`](crate::sans_io::Next::Wait)) reads on only then.
    fn answer_later(&self, later: Vec<(Duration, Answer<P>)>, ack: oneshot::Sender<()>) {
        if later.is_empty() {
            let _ = ack.send(());
            return;
        }
        let me = self.me.clone();
        self.runtime.spawn(async move {
            for (delay, answer) in later {
                tokio::time::sleep(delay).await;
                let Some(hub) = me.upgrade() else { return };
                let done = hub.call(|core, now, out| core.answer(now, answer, out));
                drop(hub);
                let _ = done.await;
            }
            let _ = ack.send(());
        });
    }

    /// An effect other than frames to send.
    fn act(
        &self,
        db: &Connection,
        effect: Effect<P::Core>,
        answers: &mut Answers<P>,
    ) -> rusqlite::Result<()> {
        match effect {
            Effect::Close { conn, reason } => {
                let peer = self.registry.peer_name(conn);
                tracing::info!(%peer, %conn, "closing: {reason}");
                self.registry.close(conn, reason.flush());
            }
            Effect::Notice { conn, notice } if notice.repeats() => {
                self.registry.warn(conn, &notice);
            }
            Effect::Notice { conn, notice } => {
                let peer = self.registry.peer_name(conn);
                tracing::warn!(%peer, %conn, "{notice}");
            }
            Effect::Crash { conn, why } => {
                let peer = self.registry.peer_name(conn);
                tracing::error!(%peer, %conn, "fault crash-on-malformed: stopping the server after: {why}");
                let what = <P::Core as Core>::BAD_INPUT;
                self.crash
                    .stop(format!("{what} from {peer}: {why}"), &self.signals);
            }
            Effect::Ask(ask) => match P::answer(db, ask)? {
                Reply::Now(a) => answers.now.push(a),
                Reply::After(delay, a) => answers.later.push((delay, a)),
            },
            Effect::Send { .. } | Effect::Store(_) | Effect::Flush => {}
        }
        Ok(())
    }
}

impl<P: Serve> Service for Hub<P> {
    fn feed(&self, conn: ConnId, buf: &[u8], end: End, max: usize) -> (Fed, Option<Ack>) {
        let mut core = self.lock();
        let mut out = Vec::new();
        let input = Input {
            conn,
            buf,
            end,
            max,
        };
        let fed = core.feed(now(), input, &mut out);
        let ack = (!out.is_empty()).then(|| self.submit(&core, out));
        (fed, ack)
    }

    fn opened(&self, conn: ConnId) -> Ack {
        self.call(|core, now, out| core.opened(now, conn, out))
    }

    fn written(&self, conn: ConnId, frames: usize, tokens: Vec<u64>) {
        self.post(|core, now, out| core.written(now, conn, frames, &tokens, out));
    }

    fn closed(&self, conn: ConnId) {
        self.post(|core, now, out| core.closed(now, conn, out));
    }

    fn style(&self) -> WriterStyle {
        self.style
    }

    fn max_frame_len(&self) -> usize {
        <P::Core as Core>::MAX_FRAME_LEN
    }
}
