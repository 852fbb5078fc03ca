//! [`hold_standard_fds`]: a server started with stdin, stdout or stderr
//! closed (`2>&-`, a service manager that closes them) must not hand those
//! numbers to a socket or its database: the next log line would then be
//! written into a client's connection or into the store.

/// Opens `/dev/null` onto every standard descriptor (0, 1, 2) that is
/// closed, so later opens get numbers above them. Call first thing in
/// `main`, before anything opens a file or a socket. Does nothing where
/// there is no `/dev/null`.
pub fn hold_standard_fds() {
    #[cfg(unix)]
    {
        use std::os::fd::{AsRawFd, IntoRawFd};
        // Each open takes the lowest free number: at most three are kept.
        for _ in 0..3 {
            let Ok(null) = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/null")
            else {
                return;
            };
            if null.as_raw_fd() > 2 {
                return;
            }
            // Kept open for the life of the process, on purpose.
            let _ = null.into_raw_fd();
        }
    }
}
