//! `conformance serve`: client conformance. A strict reference server —
//! the real one, in-process, with a fresh data directory — behind the
//! proxy's relay, so it behaves exactly as the reference does, while
//! everything each client sends is checked by the protocol's client rules
//! (framing, pacing, session rules, …). Each client gets a report when it
//! disconnects. Knows no protocol.
//!
//! # Layout
//!
//! - `report.rs` — [`report::Report`]: a verdict per check, counts, the
//!   offending bytes; console and JSON.
//! - `examiner.rs` — [`examiner::Examiner`], the inspector of one client.

pub mod examiner;
pub mod report;
