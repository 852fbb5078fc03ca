//! Logging that cannot hurt the server (feature `runtime`). Generic: it
//! knows no protocol.
//!
//! # Layout
//!
//! - `sink.rs` — [`Swallow`], the log writer that counts and drops a line
//!   it cannot write instead of failing (or panicking) in the thread that
//!   logged.
//! - `fds.rs` — [`hold_standard_fds`]: closed standard descriptors are
//!   filled with `/dev/null`, so a log line never lands in a socket.
//! - `budget.rs` — [`Budget`]: how many warnings about one peer are written
//!   in full before the rest are only counted and summarised.

mod budget;
mod fds;
mod sink;

pub(crate) use budget::{Admit, Budget};
pub use fds::hold_standard_fds;
pub use sink::{Swallow, Swallowing};
