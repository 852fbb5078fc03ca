//! The reference server set up for lrv on a temporary data directory.

use gabarito_server::{Config, Fault, Protocol, Quirk};

use super::n;

/// An lrv server config on a temporary directory: N = `size`, draw seed 1.
pub fn lrv(size: u32) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::new(dir.path().join("lrv"))
        .with_protocol(Protocol::Lrv)
        .with_raffle_size(n(size))
        .with_draw_seed(1);
    (dir, config)
}

/// [`lrv`] with `fault` on.
pub fn with_fault(size: u32, fault: Fault) -> (tempfile::TempDir, Config) {
    let (dir, c) = lrv(size);
    (dir, c.with_fault(fault))
}

/// [`lrv`] with `quirk` on.
pub fn with_quirk(size: u32, quirk: Quirk) -> (tempfile::TempDir, Config) {
    let (dir, c) = lrv(size);
    (dir, c.with_quirk(quirk))
}
