//! `conformance serve`: client conformance. A strict reference server —
//! the real one, in-process, with a fresh data directory — behind the
//! proxy's relay, so it behaves exactly as the reference does, while
//! everything each client sends is checked (frame layout, pacing, line
//! breaks, session rules, read receipts, timestamps). Each client gets a
//! report when it disconnects.
//!
//! # Layout
//!
//! - `report.rs` — [`report::Report`]: a verdict per check, counts, the
//!   offending bytes; console and JSON. Generic.
//! - `zap.rs` — [`zap::Examiner`], the inspector of one zap client.

pub mod report;
pub mod zap;
