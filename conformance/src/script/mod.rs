//! The `.session` script language (documented in `conformance/suites/README.md`).

pub mod ast;
pub mod parse;
pub mod template;

pub use ast::{
    Alt, Authority, Case, ExpectMode, Level, Localized, Outcome, Payload, Step, StepKind, SuiteFile,
};
pub use parse::{ScriptError, parse_suite};
