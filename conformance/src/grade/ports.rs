//! A port for each student started with `exec`: its fixed `port`, or a
//! free one on 127.0.0.1 that no other student of the batch holds or has
//! fixed. (Students sharing a fixed port are never run at once: the batch
//! schedules them one after another.)

use std::collections::HashSet;
use std::sync::Mutex;

#[derive(Debug)]
pub struct Ports {
    fixed: HashSet<u16>,
    chosen: Mutex<HashSet<u16>>,
}

/// A port held for one student; a chosen one is released when dropped.
#[derive(Debug)]
pub struct Lease<'a> {
    pub port: u16,
    ports: Option<&'a Ports>,
}

impl Ports {
    /// `fixed`: every port the targets file names.
    pub fn new(fixed: impl IntoIterator<Item = u16>) -> Ports {
        Ports {
            fixed: fixed.into_iter().collect(),
            chosen: Mutex::new(HashSet::new()),
        }
    }

    pub fn fixed(&self, port: u16) -> Lease<'_> {
        Lease { port, ports: None }
    }

    /// A port nothing listens on now (bound, then released for the
    /// student's server to take), distinct from every other student's.
    pub fn free(&self) -> std::io::Result<Lease<'_>> {
        let mut held = Vec::new();
        loop {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            let port = listener.local_addr()?.port();
            let mut chosen = self.chosen.lock().unwrap_or_else(|e| e.into_inner());
            if !self.fixed.contains(&port) && chosen.insert(port) {
                return Ok(Lease {
                    port,
                    ports: Some(self),
                });
            }
            drop(chosen);
            // Kept bound until the search ends, so the system offers
            // another port next time.
            held.push(listener);
            if held.len() > 64 {
                return Err(std::io::Error::other(crate::lang::t(
                    "no free port on 127.0.0.1 outside those the batch uses",
                    "nenhuma porta livre em 127.0.0.1 fora das que o lote usa",
                )));
            }
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(ports) = self.ports {
            let mut chosen = ports.chosen.lock().unwrap_or_else(|e| e.into_inner());
            chosen.remove(&self.port);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_ports_are_distinct_while_held_and_never_a_fixed_one() {
        let a_fixed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let fixed = a_fixed.local_addr().unwrap().port();
        drop(a_fixed);
        let ports = Ports::new([fixed]);
        let leases: Vec<Lease> = (0..8).map(|_| ports.free().unwrap()).collect();
        let mut seen: Vec<u16> = leases.iter().map(|l| l.port).collect();
        assert!(!seen.contains(&fixed));
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 8);
        drop(leases);
        assert!(
            ports.chosen.lock().unwrap().is_empty(),
            "released when dropped"
        );
    }
}
