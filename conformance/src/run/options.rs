//! How patient and how fast the harness is.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How long an `expect` waits for a frame or a close.
    pub timeout: Duration,
    /// How long nothing must arrive for `silent`.
    pub quiet: Duration,
    /// Pause after every write, so a target that reads one frame per
    /// `recv()` sees one frame per read (docs/ARCHITECTURE.md, field study).
    pub pace: Duration,
    /// The pause after a frame that only a pause ends (zap §3.4 R5), longer
    /// than a target's settle time (20 ms for the reference server), so the
    /// target acts on it before on anything the script sends next.
    pub after_open: Duration,
    /// How long the reader waits for more bytes before an open frame is
    /// complete (zap §3.4 R5).
    pub settle: Duration,
    pub connect_timeout: Duration,
    /// A case that runs longer than this is an ERROR.
    pub case_timeout: Duration,
    /// NON-STRICT counts as FAIL.
    pub strict: bool,
    /// Set once a connection to a target that should greet (lrv §5) got
    /// nothing before the harness wrote: later connections then wait only
    /// `quiet` for a greeting, not `timeout`. Shared by every clone, so by
    /// every case of a run.
    pub ungreeted: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            timeout: Duration::from_secs(2),
            quiet: Duration::from_millis(250),
            pace: Duration::from_millis(20),
            after_open: Duration::from_millis(60),
            settle: Duration::from_millis(20),
            connect_timeout: Duration::from_secs(2),
            case_timeout: Duration::from_secs(30),
            strict: false,
            ungreeted: Default::default(),
        }
    }
}
