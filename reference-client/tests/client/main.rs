//! Integration tests of the reference client over 127.0.0.1, against the
//! reference server run in this process (and a few fake servers).

// Tests may unwrap: a panic is how they fail.
#![allow(clippy::unwrap_used)]

mod common;
mod lrv;
mod zap;
