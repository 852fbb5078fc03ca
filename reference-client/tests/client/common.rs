//! The workspace's test kit (`test-kit/`) under the names these tests
//! use, and the `reference-client` binary run as a user with a profile of
//! its own.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub use gabarito_server::Config;
pub use gabarito_test_kit::PATIENCE;
pub use gabarito_test_kit::binary::Run;
pub use gabarito_test_kit::client::{Users, event, fast, silence};
pub use gabarito_test_kit::fake::fake;
pub use gabarito_test_kit::server::Server;

/// The `reference-client` binary with its own data directory.
pub struct Cli {
    pub data: PathBuf,
    pub server: String,
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_reference-client")
}

impl Cli {
    pub fn new(data: &Path, server: &str) -> Cli {
        Cli {
            data: data.to_owned(),
            server: server.to_owned(),
        }
    }

    /// Common arguments: data dir, profile, server, short waits.
    pub fn args(&self, profile: &str) -> Vec<String> {
        [
            "--data-dir",
            &self.data.display().to_string(),
            "--profile",
            profile,
            "--server",
            &self.server,
            "--wait-ms",
            "150",
            "--timeout",
            "3",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    pub async fn run(&self, profile: &str, args: &[&str]) -> Run {
        let mut cmd = tokio::process::Command::new(bin());
        cmd.args(self.args(profile)).args(args);
        Run::of(cmd).await
    }

    /// Registers `profile` and returns its id.
    pub async fn register(&self, profile: &str) -> String {
        let r = self.run(profile, &["--json", "register"]).await;
        r.ok();
        r.json()["id"].as_str().expect("id").to_owned()
    }
}
