//! Where a restarted target listens. Student servers do not set
//! SO_REUSEADDR, so while a socket of the old process lingers in TIME_WAIT
//! (it closed first, or died with connections open) the new process cannot
//! bind the same port and exits at start. A command that takes its port
//! (`{port}`, `$PORT`) is therefore started on a fresh port each time; one
//! with a port of its own is started once the port can be bound again.

use std::net::SocketAddr;
use std::time::Duration;

use socket2::{Domain, Socket, Type};
use tokio::time::Instant;

/// How long a fixed port may take to become bindable: Linux keeps
/// TIME_WAIT for 60 s.
pub const REBIND_WAIT: Duration = Duration::from_secs(65);

/// Whether `command` is told its port (so it can be moved to another).
pub fn takes_port(command: &str) -> bool {
    command.contains("{port}") || command.contains("$PORT") || command.contains("${PORT}")
}

/// A port on `addr`'s address that nothing holds now.
pub fn fresh(addr: SocketAddr) -> std::io::Result<SocketAddr> {
    std::net::TcpListener::bind(SocketAddr::new(addr.ip(), 0))?.local_addr()
}

/// Whether a server that does not set SO_REUSEADDR could bind `addr` now.
/// (`std::net::TcpListener::bind` sets it, so it would say yes too early.)
pub fn bindable(addr: SocketAddr) -> bool {
    let Ok(socket) = Socket::new(Domain::for_address(addr), Type::STREAM, None) else {
        return false;
    };
    socket.bind(&addr.into()).is_ok() && socket.listen(1).is_ok()
}

/// Waits until `addr` is bindable, for at most `within`; how long it took,
/// or `None` if it never was.
pub async fn wait_bindable(addr: SocketAddr, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    loop {
        if bindable(addr) {
            return Some(started.elapsed());
        }
        if started.elapsed() >= within {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_takes_its_port_by_placeholder_or_variable() {
        assert!(takes_port("python3 s.py {port}"));
        assert!(takes_port("python3 s.py $PORT"));
        assert!(takes_port("PORT=1 exec s ${PORT}"));
        assert!(!takes_port("python3 servidor.py"));
    }

    #[test]
    fn a_held_port_is_not_bindable_and_a_released_one_is() {
        let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = held.local_addr().unwrap();
        assert!(!bindable(addr));
        drop(held);
        assert!(bindable(addr));
        assert_ne!(fresh(addr).unwrap().port(), 0);
    }
}
