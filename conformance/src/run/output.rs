//! What a started target prints: one file for every start (stdout and
//! stderr interleaved), read back in bounded slices — the tail of one
//! start (why it died), or what it printed while one case ran (its
//! tracebacks). A target controls how much it writes, so every read is
//! bounded in bytes and never the whole file, and made printable.

use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom};

/// How much of the target's output one report quotes.
pub const TAIL_BYTES: u64 = 2048;
/// At most this many lines of a tail are quoted.
const TAIL_LINES: usize = 24;

#[derive(Debug)]
pub struct TargetLog {
    file: tempfile::NamedTempFile,
}

impl TargetLog {
    pub fn new() -> Result<TargetLog, String> {
        let file = tempfile::Builder::new()
            .prefix("gabarito-exec-")
            .suffix(".log")
            .tempfile()
            .map_err(|e| format!("creating a log file for the target: {e}"))?;
        Ok(TargetLog { file })
    }

    /// A handle for a child's stdout or stderr; every start appends.
    pub fn writer(&self) -> Result<File, String> {
        self.file
            .as_file()
            .try_clone()
            .map_err(|e| format!("the target's log: {e}"))
    }

    /// Where the output written from now on starts.
    pub fn mark(&self) -> u64 {
        self.file.as_file().metadata().map(|m| m.len()).unwrap_or(0)
    }

    /// The last lines written since `from` (at most [`TAIL_BYTES`]), with
    /// a first line saying how much was left out when it was cut.
    pub fn since(&self, from: u64) -> String {
        self.between(from, self.mark())
    }

    /// The last lines written between two marks, bounded as [`Self::since`].
    pub fn between(&self, from: u64, to: u64) -> String {
        let Ok(mut f) = File::open(self.file.path()) else {
            return String::new();
        };
        let to = to.max(from);
        let start = from.max(to.saturating_sub(TAIL_BYTES));
        if f.seek(SeekFrom::Start(start)).is_err() {
            return String::new();
        }
        let mut bytes = Vec::new();
        let _ = f.take(to - start).read_to_end(&mut bytes);
        tail(&bytes, start - from)
    }
}

/// The last lines of `bytes`; `cut` bytes before them were left out, and
/// so is the first line when it began in those bytes.
/// The text is made printable (`grade::text::printable`): a server's
/// colours and control bytes end up on the instructor's terminal.
fn tail(bytes: &[u8], cut: u64) -> String {
    let text = crate::grade::text::printable(&String::from_utf8_lossy(bytes));
    let mut lines: Vec<&str> = text.lines().collect();
    if cut > 0 && !lines.is_empty() {
        lines.remove(0);
    }
    let from = lines.len().saturating_sub(TAIL_LINES);
    let kept = lines[from..].join("\n");
    if kept.trim().is_empty() {
        return String::new();
    }
    if cut > 0 || from > 0 {
        let shown = kept.len();
        let left = cut as usize + bytes.len() - shown.min(bytes.len());
        format!(
            "{}\n{kept}",
            crate::lang::t(
                &format!("[… {left} earlier bytes left out]"),
                &format!("[… {left} bytes anteriores omitidos]")
            )
        )
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn a_slice_is_what_was_written_between_two_marks() {
        let log = TargetLog::new().unwrap();
        let mut w = log.writer().unwrap();
        w.write_all(b"first start\n").unwrap();
        let mark = log.mark();
        w.write_all(b"Traceback\n  boom\n").unwrap();
        let end = log.mark();
        w.write_all(b"after\n").unwrap();
        assert_eq!(log.between(mark, end), "Traceback\n  boom");
        assert_eq!(log.since(mark), "Traceback\n  boom\nafter");
        assert_eq!(log.since(log.mark()), "");
        let mark = log.mark();
        w.write_all(b"\x1b[31mred\x1b[0m \x07bell\n").unwrap();
        assert_eq!(log.since(mark), "red \\x07bell");
    }

    #[test]
    fn a_long_output_is_cut_to_its_tail_and_says_so() {
        let log = TargetLog::new().unwrap();
        let mut w = log.writer().unwrap();
        for i in 0..10_000 {
            writeln!(w, "line {i}").unwrap();
        }
        let shown = log.since(0);
        assert!(shown.len() <= TAIL_BYTES as usize + 64, "{}", shown.len());
        assert!(shown.ends_with("line 9999"), "{shown}");
        assert!(shown.starts_with("[… "), "{shown}");
        assert_eq!(shown.lines().count(), TAIL_LINES + 1);
    }
}
