//! The gabarito conformance harness: grades any implementation of a
//! protocol listening on `host:port`.
//!
//! # Layout
//!
//! - `protocol.rs` — the interface between the generic runner and a
//!   protocol: parse a script's message text, encode, read tolerantly.
//! - `zap/` — the zap adapter (message text, tolerant reader).
//! - `script/` — the `.session` language: templates, AST, parser.
//! - `run/` — connections, matching, running a case and a suite.
//! - `lang.rs` — the report language (`--lang en|pt-BR`) and translated texts.
//! - `verdict.rs` — PASS / NON-STRICT / UNIMPLEMENTED / SKIPPED / FAIL / ERROR.
//! - `selection.rs` — which cases run: suites, `--filter`, `--exclude`.
//! - `suites.rs` — the built-in suites and golden transcripts, embedded.
//! - `report/` — console, JSON and JUnit reports, golden diffs.
//! - `bench/` — `conformance bench`, the load generator (zap workload in
//!   `bench/zap/`).
//! - `grade/` — `conformance grade`: a class in one batch, table, CSV, JSON, HTML.
//! - `proxy/` — `conformance proxy`: relay, inspect, record (zap in `proxy/zap/`).
//! - `serve/` — `conformance serve`: client conformance against the reference server.
//! - `sandbox/` — running a student's server confined and limited (`--sandbox`).
//! - `cli/` — the `conformance` command and its subcommands (`decode`, …).
//!
//! No `unsafe` but one `pre_exec` closure (`sandbox/child.rs`): rlimits and
//! a cgroup can only be set between fork and exec.
#![deny(unsafe_code)]

pub mod bench;
pub mod cli;
pub mod explain;
pub mod grade;
pub mod lang;
pub mod lrv;
pub mod protocol;
pub mod protocols;
pub mod proxy;
pub mod report;
pub mod run;
pub mod sandbox;
pub mod script;
pub mod selection;
pub mod serve;
pub mod suites;
pub mod verdict;
pub mod zap;
