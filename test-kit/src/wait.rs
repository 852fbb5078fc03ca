//! How long tests wait: long enough for a loaded two-core CI machine, and
//! never part of what a test asserts.

use std::time::Duration;

/// How long to wait for something that must happen.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// How long to watch for something that must not happen.
pub const QUIET: Duration = Duration::from_millis(300);

/// A small multi-threaded runtime, for tests that are not `async`.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}
