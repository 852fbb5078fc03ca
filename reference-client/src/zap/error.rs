//! The zap client's ways to build a [`ClientError`]: the crate's one error
//! type, whose zap variants name zap's rules (`NotLoggedIn`, `Text`,
//! `TooManyMembers`, `Field`, `Clock`).

use gabarito_codec::zap::{FieldError, MAX_DATA_CHARS};

use crate::error::ClientError;

impl ClientError {
    /// Text that cannot be a 05's data (zap §4.1), said in the writer's
    /// terms: characters, not bytes.
    pub(crate) fn text(s: &str, e: FieldError) -> Self {
        let chars = s.chars().count();
        let reason = if chars > MAX_DATA_CHARS {
            format!(
                "message too long: {chars} characters, zap allows at most {MAX_DATA_CHARS} (zap §4.1)"
            )
        } else if s.contains('\0') {
            "message contains U+0000 (NUL), which zap reserves for padding (zap §3.3)".to_owned()
        } else {
            format!("message not allowed: {e}")
        };
        ClientError::Text { reason, chars }
    }
}
