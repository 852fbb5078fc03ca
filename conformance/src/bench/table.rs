//! One result row per measured phase, and the human table of them.

use std::fmt::Write as _;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::stats::Latency;

/// What one phase moved and how fast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The phase, e.g. `online`, `stored-deliver`, `echo`.
    pub scenario: String,
    /// Messages counted in the phase.
    pub messages: u64,
    /// Bytes of those messages on the wire (one direction).
    pub bytes: u64,
    /// From the phase's first write to its last counted arrival.
    pub seconds: f64,
    pub msgs_per_sec: f64,
    /// Megabytes (10^6 bytes) per second.
    pub mb_per_sec: f64,
    /// Per-message latency, where the phase has one.
    pub latency: Option<Latency>,
}

impl Row {
    pub fn new(
        scenario: &str,
        messages: u64,
        bytes: u64,
        elapsed: Duration,
        latency: Option<Latency>,
    ) -> Row {
        let seconds = elapsed.as_secs_f64();
        let per_sec = |n: f64| if seconds > 0.0 { n / seconds } else { 0.0 };
        Row {
            scenario: scenario.to_string(),
            messages,
            bytes,
            seconds: round(seconds, 6),
            msgs_per_sec: round(per_sec(messages as f64), 1),
            mb_per_sec: round(per_sec(bytes as f64) / 1e6, 3),
            latency,
        }
    }
}

/// `v` to `places` decimals: what the clock can tell, not float noise.
pub fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

/// The rows as a fixed-width table with a header line in the report's
/// language (`--lang`); scenario names are ids, the same in both.
pub fn render(rows: &[Row]) -> String {
    use crate::lang::t;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<16} {:>10} {:>8} {:>12} {:>8} {:>10} {:>10} {:>10}",
        t("scenario", "cenário"),
        t("messages", "mensagens"),
        t("seconds", "segundos"),
        "msgs/s",
        "MB/s",
        "p50",
        "p99",
        t("max", "máx")
    );
    for r in rows {
        let (p50, p99, max) = match &r.latency {
            Some(l) => (us(l.p50_us), us(l.p99_us), us(l.max_us)),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let _ = writeln!(
            s,
            "{:<16} {:>10} {:>8.3} {:>12.0} {:>8.2} {:>10} {:>10} {:>10}",
            r.scenario, r.messages, r.seconds, r.msgs_per_sec, r.mb_per_sec, p50, p99, max
        );
    }
    s
}

/// A latency for the table: µs below a millisecond, ms below a second.
fn us(v: f64) -> String {
    if v < 1_000.0 {
        format!("{v:.0}µs")
    } else if v < 1_000_000.0 {
        format!("{:.2}ms", v / 1_000.0)
    } else {
        format!("{:.3}s", v / 1_000_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_table() {
        let r = Row::new("echo", 1000, 2_000_000, Duration::from_millis(500), None);
        assert_eq!(r.msgs_per_sec, 2000.0);
        assert_eq!(r.mb_per_sec, 4.0);
        let t = render(&[r]);
        assert!(
            t.lines().nth(1).is_some_and(|l| l.starts_with("echo")),
            "{t}"
        );
        assert_eq!(us(250.0), "250µs");
        assert_eq!(us(2_500.0), "2.50ms");
    }
}
