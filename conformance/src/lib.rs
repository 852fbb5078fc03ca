//! The gabarito conformance harness: grades any implementation of a
//! protocol listening on `host:port`, and any client that connects to it.
//!
//! # Layout
//!
//! Generic, knowing no protocol:
//!
//! - `protocols.rs` — the list of protocols, the only place naming them
//!   all: each protocol's [`protocols::Entry`] says how every subcommand
//!   handles it.
//! - `protocol.rs` — the interface between the generic runner and a
//!   protocol: parse a script's message text, encode, read tolerantly.
//! - `script/` — the `.session` language: templates, AST, parser.
//! - `run/` — connections, matching, running a case and a suite.
//! - `lang.rs` — the report language (`--lang en|pt-BR`) and translated texts.
//! - `explain.rs` — what every protocol's explanation of a message shares.
//! - `verdict.rs` — PASS / NON-STRICT / UNIMPLEMENTED / SKIPPED / FAIL / ERROR.
//! - `selection.rs` — which cases run: suites, `--filter`, `--exclude`.
//! - `suites.rs` — the built-in suites and golden transcripts, embedded.
//! - `report/` — console, JSON and JUnit reports, golden diffs.
//! - `grade/` — `conformance grade`: a class in one batch, table, CSV, JSON, HTML.
//! - `proxy/` — `conformance proxy`: relay, inspect, record, over a
//!   protocol's [`proxy::Lens`].
//! - `serve/` — `conformance serve`: client conformance against the reference server.
//! - `bench/` — `conformance bench`, the load generator's generic parts.
//! - `sandbox/` — running a student's server confined and limited (`--sandbox`).
//! - `cli/` — the `conformance` command and its subcommands (`decode`, …).
//!
//! One folder per protocol, each with its registry entry (`entry.rs`), its
//! runner adapter and reader, its `decode` explanation and error texts, its
//! lens for `proxy` and `serve` (`proxy/`) and, if it has one, its `bench`
//! workload (`bench/`):
//!
//! - `zap/` — spec/zap.md.
//! - `lrv/` — spec/lrv.md.
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
