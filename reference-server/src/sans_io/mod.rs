//! What every protocol core is and the in-memory driver that runs any of
//! them. Generic: it knows no protocol, and needs no tokio, socket or
//! SQLite (it builds with `--no-default-features`, for the fuzz targets).
//!
//! # Layout
//!
//! - `machine.rs` — [`Core`], the trait a protocol's state machine
//!   implements: bytes with an `End`, connections opening and closing,
//!   frames written and answers in; [`Effect`]s out. [`Now`], [`Input`],
//!   [`Fed`], [`Next`].
//! - `effect.rs` — [`Effect`], one type for every protocol with one
//!   protocol-specific extension ([`Effect::Ask`]); [`Frame`]; the
//!   contracts of its parts ([`Note`], [`Reason`]) and of the store in
//!   memory ([`Memory`], [`Reply`]).
//! - `sim.rs` — [`Sim`]: a core and its store in memory, driven the way
//!   the runtime drives it.
//! - `backlog.rs` — [`Backlog`]: what a connection was sent and has not
//!   yet written, the slow-reader measure (zap §11.2, lrv §10.2).
//! - `bucket.rs` — [`Bucket`]: a rate limit with a burst (zap §11.2).

mod backlog;
mod bucket;
mod effect;
mod machine;
mod sim;

pub use backlog::{Backlog, QueueLimit};
pub use bucket::Bucket;
pub use effect::{Effect, Frame, Memory, Note, Reason, Reply};
pub use machine::{Core, Fed, Input, Next, Now};
pub use sim::Sim;
