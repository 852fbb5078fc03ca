//! The gabarito reference server.
//!
//! # Layout
//!
//! Filled by issue 3: a sans-I/O core per protocol (`zap/`), the generic
//! tokio accept loop, the SQLite store and the CLI.
#![forbid(unsafe_code)]
