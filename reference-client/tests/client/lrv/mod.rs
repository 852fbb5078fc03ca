//! The LRV client: the library against a fake server in the test
//! (canonical and the variants real servers send), and the binary's
//! `lrv` subcommands.
//!
//! `e2e.rs` runs the same calls against the real reference server in
//! process; it is not compiled until `reference-server --protocol lrv`
//! lands (then add `mod e2e;` here).

mod cli;
mod fake;
mod library;
