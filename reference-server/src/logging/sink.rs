//! [`Swallow`]: a log writer whose failures cannot reach the server.
//!
//! Logs go to stderr, which a service manager, a closed terminal or a full
//! disk can take away at any moment. tracing's fmt layer reports its own
//! write errors with `eprintln!`, which panics when stderr is gone — in
//! whatever thread logged, the commit thread included — so a failed log
//! line could stop a server that is otherwise fine. This writer never
//! fails: a line that cannot be written is counted and dropped, and the
//! first line written after that says how many were lost.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::fmt::MakeWriter;

/// Lines dropped since the last one written, and why the last one was.
#[derive(Debug, Default)]
struct Lost {
    lines: AtomicU64,
    why: Mutex<Option<String>>,
}

impl Lost {
    fn count(&self, e: &io::Error) {
        self.lines.fetch_add(1, Ordering::Relaxed);
        let mut why = self.why.lock().unwrap_or_else(PoisonError::into_inner);
        if why.is_none() {
            *why = Some(e.to_string());
        }
    }

    /// The line that reports what was lost, resetting the count; `None`
    /// when nothing was.
    fn take_report(&self) -> Option<(u64, String)> {
        let n = self.lines.swap(0, Ordering::Relaxed);
        if n == 0 {
            return None;
        }
        let why = self
            .why
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_default();
        Some((n, why))
    }

    /// Puts back a report that could not be written either.
    fn restore(&self, n: u64, why: String) {
        self.lines.fetch_add(n, Ordering::Relaxed);
        let mut slot = self.why.lock().unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(why);
    }
}

/// Wraps a [`MakeWriter`] (stderr in the binary) so that writing a log
/// line never fails and never panics. Cheap to clone; clones share the
/// count of lost lines.
#[derive(Debug, Clone)]
pub struct Swallow<M> {
    inner: M,
    lost: Arc<Lost>,
}

impl<M> Swallow<M> {
    pub fn new(inner: M) -> Self {
        Swallow {
            inner,
            lost: Arc::default(),
        }
    }

    /// Lines dropped and not yet reported.
    pub fn lost(&self) -> u64 {
        self.lost.lines.load(Ordering::Relaxed)
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Swallow<M> {
    type Writer = Swallowing<'a, M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Swallowing {
            inner: self.inner.make_writer(),
            lost: &self.lost,
        }
    }
}

/// One log line's writer (see [`Swallow`]).
#[derive(Debug)]
pub struct Swallowing<'a, W> {
    inner: W,
    lost: &'a Lost,
}

impl<W: Write> Write for Swallowing<'_, W> {
    /// Takes all of `buf` (the fmt layer hands over one whole line):
    /// written, or counted as lost.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some((n, why)) = self.lost.take_report() {
            let report = format!(
                "WARN gabarito: {n} log line(s) lost while the log could not be written ({why})\n"
            );
            if self.inner.write_all(report.as_bytes()).is_err() {
                self.lost.restore(n, why);
            }
        }
        if let Err(e) = self.inner.write_all(buf) {
            self.lost.count(&e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = self.inner.flush();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log destination that fails while `broken` is set.
    #[derive(Debug, Default)]
    struct Target {
        broken: bool,
        text: Vec<u8>,
    }

    #[derive(Debug, Clone, Default)]
    struct Shared(Arc<Mutex<Target>>);

    struct Handle(Arc<Mutex<Target>>);

    impl Write for Handle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let mut t = self.0.lock().expect("target");
            if t.broken {
                return Err(io::Error::new(io::ErrorKind::BrokenPipe, "Broken pipe"));
            }
            t.text.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Shared {
        type Writer = Handle;
        fn make_writer(&'a self) -> Handle {
            Handle(Arc::clone(&self.0))
        }
    }

    fn line(sink: &Swallow<Shared>, text: &str) -> io::Result<()> {
        sink.make_writer().write_all(text.as_bytes())
    }

    #[test]
    fn lines_that_cannot_be_written_are_counted_then_reported_once() {
        let target = Shared::default();
        let sink = Swallow::new(target.clone());
        line(&sink, "one\n").expect("never fails");
        target.0.lock().expect("target").broken = true;
        for _ in 0..3 {
            line(&sink, "lost\n").expect("never fails, even while broken");
        }
        assert_eq!(sink.lost(), 3);
        target.0.lock().expect("target").broken = false;
        line(&sink, "two\n").expect("never fails");
        line(&sink, "three\n").expect("never fails");
        let text = String::from_utf8(target.0.lock().expect("target").text.clone()).expect("utf-8");
        assert_eq!(
            text,
            "one\nWARN gabarito: 3 log line(s) lost while the log could not be written (Broken pipe)\ntwo\nthree\n"
        );
        assert_eq!(sink.lost(), 0);
    }
}
