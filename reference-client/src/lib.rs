//! The gabarito reference client.
//!
//! # Layout
//!
//! Filled by issue 5: the async client library per protocol (`zap/`), the
//! persistent profile and the `reference-client` binary.
#![forbid(unsafe_code)]
