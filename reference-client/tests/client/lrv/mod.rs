//! The LRV client: the library against a fake server in the test
//! (canonical and the variants real servers send) and against the real
//! reference server (`e2e.rs`), and the binary's `lrv` subcommands.

mod cli;
mod e2e;
mod fake;
mod library;
