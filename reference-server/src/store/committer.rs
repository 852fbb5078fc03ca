//! Group commit: many connections' store operations share one transaction
//! and one fsync, and each connection still learns when *its* operations
//! are durable.
//!
//! One thread owns the connection. It takes the first job waiting, then
//! every job already queued behind it (up to [`MAX_BATCH`]), applies all
//! their operations in one transaction, commits, and only then runs each
//! job's `then` in submission order — the driver's "acts after commit"
//! (zap §11.1). Under load a batch holds hundreds of jobs; idle, a job is
//! committed alone at once.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::{Connection, Statement};

/// Most jobs per transaction: bounds a transaction's latency.
const MAX_BATCH: usize = 1024;

/// How a protocol writes its operations.
///
/// Its statements are prepared once, when the committer starts, and reused
/// for every operation: under load the committer applies several
/// operations per message, and looking a statement up in rusqlite's cache
/// (hashing its SQL) cost as much as a fifth of applying it.
pub(crate) trait Schema: Send + 'static {
    type Op: Send + 'static;
    /// The prepared statements [`Schema::apply`] uses.
    type Statements<'c>;

    /// The protocol's tables, each `CREATE TABLE IF NOT EXISTS`.
    const TABLES: &'static str;

    /// The statements that delete every row (fault `lose-state`).
    const WIPE: &'static str;

    /// Creates the protocol's tables; a protocol whose stores have an older
    /// layout upgrades them here too.
    fn migrate(conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(Self::TABLES)
    }

    /// Deletes every row (fault `lose-state`), in one transaction.
    fn wipe(conn: &Connection) -> rusqlite::Result<()> {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(Self::WIPE)?;
        tx.commit()
    }

    fn prepare(conn: &Connection) -> rusqlite::Result<Self::Statements<'_>>;

    /// Applies `op` inside the open transaction.
    fn apply(stmts: &mut Self::Statements<'_>, op: &Self::Op) -> rusqlite::Result<()>;
}

/// What runs after a job's operations are committed. It may read through
/// the connection: it sees every committed operation, its own included.
pub(crate) type Then = Box<dyn FnOnce(&Connection) -> rusqlite::Result<()> + Send>;

/// Operations to commit, then what to do once they are durable.
pub(crate) struct Job<Op> {
    pub ops: Vec<Op>,
    pub then: Then,
}

enum Msg<Op> {
    Job(Job<Op>),
    Stop,
}

/// Counts for the shutdown log line.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Stats {
    pub jobs: u64,
    pub ops: u64,
    pub transactions: u64,
}

/// A handle to submit jobs; cheap to clone.
pub(crate) struct Commit<Op> {
    tx: mpsc::Sender<Msg<Op>>,
}

impl<Op> Clone for Commit<Op> {
    fn clone(&self) -> Self {
        Commit {
            tx: self.tx.clone(),
        }
    }
}

impl<Op> Commit<Op> {
    /// Queues a job. `false` if the committer has stopped (after a fatal
    /// error or at shutdown): the job is dropped, and with it whatever its
    /// `then` would have acknowledged.
    pub fn submit(&self, job: Job<Op>) -> bool {
        self.tx.send(Msg::Job(job)).is_ok()
    }
}

/// The writer thread.
pub(crate) struct Committer<S: Schema> {
    handle: Commit<S::Op>,
    thread: JoinHandle<rusqlite::Result<Stats>>,
}

impl<S: Schema> Committer<S> {
    /// Starts the thread. `on_fatal` runs on it if a commit fails: the
    /// server can no longer promise durability and must stop.
    pub fn start(
        conn: Connection,
        on_fatal: impl FnOnce(&rusqlite::Error) + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("store-commit".into())
            .spawn(move || {
                let result = run::<S>(conn, &rx);
                if let Err(e) = &result {
                    on_fatal(e);
                }
                result
            })?;
        Ok(Committer {
            handle: Commit { tx },
            thread,
        })
    }

    pub fn handle(&self) -> Commit<S::Op> {
        self.handle.clone()
    }

    /// Commits everything submitted so far (and whatever that submits in
    /// turn), closes the database and joins the thread.
    pub fn stop(self) -> rusqlite::Result<Stats> {
        let _ = self.handle.tx.send(Msg::Stop);
        match self.thread.join() {
            Ok(result) => result,
            Err(_) => Err(rusqlite::Error::InvalidQuery),
        }
    }
}

fn run<S: Schema>(conn: Connection, rx: &mpsc::Receiver<Msg<S::Op>>) -> rusqlite::Result<Stats> {
    let stats = {
        let mut stmts = S::prepare(&conn)?;
        let mut begin = conn.prepare("BEGIN")?;
        let mut commit = conn.prepare("COMMIT")?;
        commit_loop::<S>(&conn, &mut stmts, &mut begin, &mut commit, rx)
    };
    if stats.is_err() {
        // What the failed batch applied is not committed: nothing it held
        // was acknowledged, and closing the connection rolls it back.
        let _ = conn.execute_batch("ROLLBACK");
    }
    let stats = stats?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(stats)
}

fn commit_loop<S: Schema>(
    conn: &Connection,
    stmts: &mut S::Statements<'_>,
    begin: &mut Statement<'_>,
    commit: &mut Statement<'_>,
    rx: &mpsc::Receiver<Msg<S::Op>>,
) -> rusqlite::Result<Stats> {
    let mut stats = Stats::default();
    let mut stopping = false;
    let mut jobs = Vec::new();
    loop {
        let first = if stopping {
            rx.try_recv().ok()
        } else {
            rx.recv().ok()
        };
        let Some(first) = first else { break };
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::Job(job) => jobs.push(job),
                Msg::Stop => stopping = true,
            }
            if jobs.len() < MAX_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if jobs.iter().any(|j| !j.ops.is_empty()) {
            begin.execute([])?;
            for job in &jobs {
                for op in &job.ops {
                    S::apply(stmts, op)?;
                }
                stats.ops += job.ops.len() as u64;
            }
            commit.execute([])?;
            stats.transactions += 1;
        }
        stats.jobs += jobs.len() as u64;
        for job in jobs.drain(..) {
            (job.then)(conn)?;
        }
    }
    Ok(stats)
}
