//! Fault `crash-on-malformed`: the whole server stops on the first bad
//! input (zap §10.1, lrv §9.1 broken on purpose), and its run ends with why.

use std::sync::{Mutex, PoisonError};

use crate::net::Signals;

/// Why the server was stopped, once it was.
#[derive(Debug, Default)]
pub(super) struct Crash(Mutex<Option<String>>);

impl Crash {
    /// Records `why` and drops every connection now.
    pub fn stop(&self, why: String, signals: &Signals) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(why);
        signals.abort.cancel();
    }

    pub fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}
