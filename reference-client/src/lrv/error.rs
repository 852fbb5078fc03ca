//! The LRV client's name for the crate's one error type, [`LrvError`], and
//! its ways to build one. Every error about the server's answer names what
//! was sent, what lrv requires, what arrived (bytes escaped) and the
//! section that says so.

use gabarito_codec::lrv::Invalid;

pub use crate::error::{ClientError as LrvError, Result};

impl LrvError {
    pub(crate) fn unreadable(sent: &str, invalid: &Invalid, line: String) -> Self {
        LrvError::Unreadable {
            sent: sent.to_owned(),
            reason: invalid.to_string(),
            section: "lrv §7.5",
            line,
        }
    }
}
