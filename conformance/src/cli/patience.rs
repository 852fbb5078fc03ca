//! How patient and how strict a grading run is: the flags of a single run
//! and of `grade`, defined once, and the [`RunOptions`] they make.

use std::time::Duration;

use clap::Args;

use crate::run::RunOptions;
use crate::script::parse::parse_duration;

#[derive(Debug, Clone, Args)]
pub struct PatienceArgs {
    /// Count NON-STRICT (tolerated deviations) as FAIL.
    #[arg(long)]
    pub strict: bool,
    /// How long to wait for each expected reply.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// How long nothing must arrive for "silent" (and for optional replies).
    #[arg(long, default_value = "250ms", value_parser = parse_duration)]
    pub quiet: Duration,
    /// Pause after every write, so a server that reads one message per
    /// recv() gets one message per recv(). Raise it for slow servers.
    #[arg(long, default_value = "20ms", value_parser = parse_duration)]
    pub pace: Duration,
    /// A case running longer than this is an ERROR.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub case_timeout: Duration,
}

impl PatienceArgs {
    pub fn options(&self) -> RunOptions {
        RunOptions {
            timeout: self.timeout,
            quiet: self.quiet,
            pace: self.pace,
            case_timeout: self.case_timeout,
            strict: self.strict,
            ..RunOptions::default()
        }
    }
}
