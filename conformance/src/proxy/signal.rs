//! Stopping cleanly: the proxy flushes its log and `serve` reports every
//! client still connected. The handler is installed when [`Stop::install`]
//! returns, so a signal that arrives right after the listening line is not
//! the default, silent death.

use std::io;

/// Ctrl-C (SIGINT), and on Unix SIGTERM too.
#[derive(Debug)]
pub struct Stop {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Stop {
    pub fn install() -> io::Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Stop {
                int: signal(SignalKind::interrupt())?,
                term: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Stop {})
        }
    }

    /// Resolves when a stop signal arrives.
    pub async fn requested(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.int.recv() => {}
                _ = self.term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
