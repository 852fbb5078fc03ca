//! The reference server set up for zap on a temporary data directory.

use gabarito_server::{Config, Fault, Quirk};

/// A temporary data directory and a default zap config on it.
pub fn config() -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::new(dir.path().join("zap"));
    (dir, config)
}

/// [`config`] with `fault` on.
pub fn with_fault(fault: Fault) -> (tempfile::TempDir, Config) {
    let (dir, c) = config();
    (dir, c.with_fault(fault))
}

/// [`config`] with `quirk` on.
pub fn with_quirk(quirk: Quirk) -> (tempfile::TempDir, Config) {
    let (dir, c) = config();
    (dir, c.with_quirk(quirk))
}
