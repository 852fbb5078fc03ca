//! [`raise_fd_limit`]: every connection is a file descriptor, and the soft
//! limit a shell hands a process is often 1,024 — far below the 10,000
//! connections zap §11.2 and lrv §10.2 allow — while the hard limit is
//! usually much higher and free to take.

/// The open-file limit before and after [`raise_fd_limit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FdLimit {
    pub before: u64,
    pub after: u64,
}

/// Raises this process's soft limit on open files to its hard limit.
///
/// # Errors
///
/// The limit cannot be read or set (the error says which).
#[cfg(unix)]
pub fn raise_fd_limit() -> Result<FdLimit, String> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)
        .map_err(|e| format!("reading the open-file limit: {e}"))?;
    if soft >= hard {
        return Ok(FdLimit {
            before: soft,
            after: soft,
        });
    }
    setrlimit(Resource::RLIMIT_NOFILE, hard, hard)
        .map_err(|e| format!("raising the open-file limit from {soft} to {hard}: {e}"))?;
    Ok(FdLimit {
        before: soft,
        after: hard,
    })
}

/// Elsewhere there is nothing to raise.
#[cfg(not(unix))]
pub fn raise_fd_limit() -> Result<FdLimit, String> {
    Ok(FdLimit {
        before: 0,
        after: 0,
    })
}
