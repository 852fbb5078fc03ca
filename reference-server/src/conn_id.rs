//! [`ConnId`]: the name of one accepted connection, shared by the protocol
//! cores (which must not see sockets) and the network driver.

use std::fmt;

/// One accepted connection, for the lifetime of the server process. The
/// driver assigns them from a counter and never reuses one, so an event that
/// arrives late for a closed connection cannot be mistaken for a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

impl fmt::Display for ConnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
