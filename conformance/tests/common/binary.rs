//! Running the `conformance` binary as a user does, and the
//! `reference-server` binary it is pointed at, for the tests that drive
//! the command line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `conformance ARGS` in `dir` (or here), English whatever the machine's
/// locale unless ARGS say `--lang`.
pub fn conformance_in(dir: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_conformance"));
    cmd.args(args).env_remove("RUST_LOG").env("LC_ALL", "C");
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    cmd.output().expect("the conformance binary runs")
}

/// `conformance ARGS` here.
pub fn conformance(args: &[&str]) -> Output {
    conformance_in(None, args)
}

/// Everything the run printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The `reference-server` binary beside `conformance` (a workspace test run
/// builds both); built here if this crate's tests run alone.
pub fn reference_server() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_conformance"))
        .with_file_name(format!("reference-server{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "-p",
                "gabarito-server",
                "--bin",
                "reference-server",
            ])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building reference-server");
    }
    assert!(bin.exists(), "{} is missing", bin.display());
    bin
}

/// Reference-server processes whose command line mentions `needle` (a
/// test's own data directory): what a test must not leave behind.
pub fn processes_mentioning(needle: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(needle) && c.contains("reference-server"))
        .collect()
}
