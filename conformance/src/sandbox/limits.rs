//! The resources a student's server may use, in every mode, and the
//! words a report uses when it used more.

use std::time::Duration;

use super::size::show_size;
use crate::lang::{Lang, current};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Resident memory of all its processes together.
    pub memory: u64,
    /// Processes and threads at once.
    pub processes: u64,
    /// CPU time of one process.
    pub cpu: Duration,
    /// The largest file it may write.
    pub file_size: u64,
    pub open_files: u64,
    /// The whole run of one student (every case, every restart).
    pub wall: Duration,
}

impl Default for Limits {
    /// Far above what a classroom server needs for a run (tens of MiB, a
    /// thread per connection, seconds of CPU), far below what hurts a
    /// shared machine.
    fn default() -> Self {
        Limits {
            memory: 512 << 20,
            processes: 256,
            cpu: Duration::from_secs(600),
            file_size: 64 << 20,
            open_files: 1024,
            wall: Duration::from_secs(20 * 60),
        }
    }
}

impl Limits {
    /// No limit at all: for `bench`, which measures a server under a load
    /// these limits would cut short.
    pub fn unlimited() -> Limits {
        Limits {
            memory: u64::MAX,
            processes: u64::MAX,
            cpu: Duration::MAX,
            file_size: u64::MAX,
            open_files: u64::MAX,
            wall: Duration::MAX,
        }
    }
}

/// A limit the server ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Memory,
    Processes,
    Cpu,
    FileSize,
}

impl Limits {
    /// What the server did, in the report's language: "the server used
    /// more than 512 MiB of memory (the limit; it was stopped)".
    pub fn explain(&self, hit: Hit) -> String {
        match (current(), hit) {
            (Lang::En, Hit::Memory) => format!(
                "the server used more than {} of memory (its limit): it was killed",
                show_size(self.memory)
            ),
            (Lang::PtBr, Hit::Memory) => format!(
                "o servidor usou mais de {} de memória (seu limite): foi encerrado",
                show_size(self.memory)
            ),
            (Lang::En, Hit::Processes) => format!(
                "the server tried to run more than {} processes or threads at once (its limit): the extra ones were refused",
                self.processes
            ),
            (Lang::PtBr, Hit::Processes) => format!(
                "o servidor tentou rodar mais de {} processos ou threads ao mesmo tempo (seu limite): os excedentes foram recusados",
                self.processes
            ),
            (Lang::En, Hit::Cpu) => format!(
                "the server used more than {} s of CPU time (its limit): it was killed",
                self.cpu.as_secs()
            ),
            (Lang::PtBr, Hit::Cpu) => format!(
                "o servidor usou mais de {} s de CPU (seu limite): foi encerrado",
                self.cpu.as_secs()
            ),
            (Lang::En, Hit::FileSize) => format!(
                "the server wrote a file larger than {} (its limit): it was killed",
                show_size(self.file_size)
            ),
            (Lang::PtBr, Hit::FileSize) => format!(
                "o servidor escreveu um arquivo maior que {} (seu limite): foi encerrado",
                show_size(self.file_size)
            ),
        }
    }

    /// The limit a process that died of `signal` ran into, if any: the
    /// kernel sends SIGXCPU and SIGXFSZ for RLIMIT_CPU and RLIMIT_FSIZE.
    pub fn hit_by_signal(signal: i32) -> Option<Hit> {
        match nix::sys::signal::Signal::try_from(signal).ok()? {
            nix::sys::signal::Signal::SIGXCPU => Some(Hit::Cpu),
            nix::sys::signal::Signal::SIGXFSZ => Some(Hit::FileSize),
            _ => None,
        }
    }

    /// Why the cases of a run were not all run: `wall` ran out.
    pub fn wall_ran_out(wall: Duration) -> String {
        match current() {
            Lang::En => format!(
                "the run of this server took longer than its limit of {} s (--limit-wall): it was stopped",
                wall.as_secs()
            ),
            Lang::PtBr => format!(
                "a execução deste servidor passou do limite de {} s (--limit-wall): foi parada",
                wall.as_secs()
            ),
        }
    }

    /// One line for a report header: what every server was limited to.
    pub fn summary(&self) -> String {
        match current() {
            Lang::En => format!(
                "memory {}, {} processes/threads, {} s CPU, files up to {}, {} open files, {} min per student",
                show_size(self.memory),
                self.processes,
                self.cpu.as_secs(),
                show_size(self.file_size),
                self.open_files,
                self.wall.as_secs().div_ceil(60)
            ),
            Lang::PtBr => format!(
                "memória {}, {} processos/threads, {} s de CPU, arquivos até {}, {} arquivos abertos, {} min por aluno",
                show_size(self.memory),
                self.processes,
                self.cpu.as_secs(),
                show_size(self.file_size),
                self.open_files,
                self.wall.as_secs().div_ceil(60)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_is_said_with_the_limit_it_crossed() {
        let l = Limits::default();
        assert_eq!(
            l.explain(Hit::Memory),
            "the server used more than 512 MiB of memory (its limit): it was killed"
        );
        assert!(
            l.explain(Hit::Processes)
                .contains("more than 256 processes")
        );
        assert_eq!(Limits::hit_by_signal(24), Some(Hit::Cpu));
        assert_eq!(Limits::hit_by_signal(25), Some(Hit::FileSize));
        assert_eq!(Limits::hit_by_signal(11), None);
    }
}
