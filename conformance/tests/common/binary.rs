//! The `conformance` binary run as a user runs it, and the test kit's
//! binaries and processes under the names these tests use.

use std::path::Path;
use std::process::{Command, Output};

pub use gabarito_test_kit::binary::{Listening, reference_server, text};

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

/// `conformance ARGS…` in the background (`proxy`, `serve`), once it has
/// said where it listens.
pub async fn listening(args: &[&str]) -> Listening {
    Listening::start(Path::new(env!("CARGO_BIN_EXE_conformance")), args).await
}

/// Reference-server processes whose command line mentions `needle` (a
/// test's own data directory): what a test must not leave behind.
pub fn processes_mentioning(needle: &str) -> Vec<String> {
    gabarito_test_kit::binary::processes_mentioning(needle, "reference-server")
}
