//! Running cases against a target.

mod case;
mod conn;
mod exec;
mod exit;
mod matching;
mod options;
mod output;
mod port;
mod restart;
mod result;
mod suite;

pub use case::run_case;
pub use conn::{Conn, Event};
pub use exec::{ExecSpec, ExecTarget};
pub use matching::{Matched, match_frame};
pub use options::RunOptions;
pub use restart::{BoxFuture, Mark, Observed, Restart};
pub use result::{CaseResult, Dir, Exchange, Failure, Note};
pub use suite::{run_all, skipped as skipped_result, wait_for_port};
