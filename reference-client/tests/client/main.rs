//! Integration tests of the reference client over 127.0.0.1, against the
//! reference server run in this process (and a few fake servers).

mod common;
mod cli;
mod library;
