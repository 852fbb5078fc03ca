//! Running a student's server as the untrusted code it is (`--sandbox`).
//! Knows no protocol: a shell command, a folder, limits.
//!
//! Every mode limits resources (`limits.rs`): rlimits set in the child
//! before exec (`child.rs`), a cgroup where the harness may make one
//! (`cgroup.rs`), and sampling of the server's processes where the kernel
//! enforces nothing (`monitor.rs`, for root without a cgroup). Every mode
//! has a watcher that kills the server if the harness dies (`watcher.rs`).
//! `bwrap` adds isolation (`bwrap.rs`): the server sees the system
//! read-only and a private copy of its own folder (`workdir.rs`), nothing
//! of the instructor's or another student's files; as root the harness
//! also runs it under an unprivileged uid of its own.
//!
//! # Layout
//!
//! - `mode.rs` — `--sandbox auto|bwrap|none`, and what `auto` finds.
//! - `jail.rs` — one server's confinement: its command, copy, cgroup, uid.
//! - `limits.rs`, `size.rs` — the limits and the words for a limit hit.
//! - `procs.rs` — a target's processes, read from /proc.

mod bwrap;
mod cgroup;
mod child;
mod jail;
mod limits;
mod mode;
mod monitor;
pub mod procs;
mod size;
mod watcher;
mod workdir;

pub use jail::Jail;
pub use limits::{Hit, Limits};
pub use mode::{Mode, Sandbox};
pub use size::{parse_size, show_size};
pub use watcher::Watcher;
