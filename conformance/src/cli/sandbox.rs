//! `--sandbox` and the `--limit-*` flags, defined once for the run and for
//! `grade` (flattened into both), with one conversion to a
//! [`Limits`]. Each command keeps its own default mode: `grade` runs a
//! class of programs nobody has read, so it isolates where it can.

use std::time::Duration;

use clap::Args;

use crate::sandbox::{Limits, Mode, parse_size};
use crate::script::parse::parse_duration;

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// How a started server (--exec, or `exec` in a targets file) is
    /// confined: `bwrap` isolates it with bubblewrap (the system
    /// read-only, a private copy of its folder, private /tmp and $HOME,
    /// nothing else of the machine's files); `none` does not; `auto` is
    /// bwrap where bubblewrap works, none elsewhere (and says so). The
    /// --limit-* limits apply in every mode. [default: none for a run,
    /// auto for grade]
    #[arg(long, value_enum, value_name = "MODE")]
    pub sandbox: Option<Mode>,
    /// Resident memory of all the server's processes together.
    #[arg(long, value_name = "SIZE", default_value = "512MiB", value_parser = parse_size)]
    pub limit_memory: u64,
    /// Processes and threads the server may run at once.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub limit_processes: u64,
    /// CPU time of one of the server's processes.
    #[arg(long, value_name = "DURATION", default_value = "600s", value_parser = parse_duration)]
    pub limit_cpu: Duration,
    /// The largest file the server may write.
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_size)]
    pub limit_file_size: u64,
    /// Files and sockets the server may hold open.
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub limit_open_files: u64,
    /// The whole run of one server (every case and restart); cases not
    /// finished by then are ERROR.
    #[arg(long, value_name = "DURATION", default_value = "1200s", value_parser = parse_duration)]
    pub limit_wall: Duration,
}

impl SandboxArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            memory: self.limit_memory,
            processes: self.limit_processes,
            cpu: self.limit_cpu,
            file_size: self.limit_file_size,
            open_files: self.limit_open_files,
            wall: self.limit_wall,
        }
    }

    /// The mode asked for, or `default`.
    pub fn mode_or(&self, default: Mode) -> Mode {
        self.sandbox.unwrap_or(default)
    }
}
