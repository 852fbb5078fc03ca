//! The human report of a run, and the project's performance goals
//! (issue 3) read off it.

use std::fmt::Write as _;

use super::report::{BenchReport, Goal, IdleResult};
use crate::bench::table::render;

/// The project's goals (issue 3) that this run measured.
pub fn goals(r: &BenchReport) -> Vec<Goal> {
    let mut goals = Vec::new();
    if let Some(ratio) = r.online_vs_echo {
        goals.push(Goal {
            name: "online delivery".into(),
            goal: "≥ 50% of the echo ceiling".into(),
            measured: format!("{:.0}%", ratio * 100.0),
            met: ratio >= 0.5,
        });
    }
    let rate = |name: &str| {
        r.rows
            .iter()
            .find(|row| row.scenario == name)
            .map(|row| row.msgs_per_sec)
    };
    if let (Some(send), Some(deliver)) = (rate("stored-send"), rate("stored-deliver")) {
        goals.push(Goal {
            name: "store-then-deliver".into(),
            goal: "≥ 20000 msgs/s durable, storing and delivering".into(),
            measured: format!("send {send:.0} msgs/s, deliver {deliver:.0} msgs/s"),
            met: send >= 20_000.0 && deliver >= 20_000.0,
        });
    }
    // The goal is stated for 10 000 connections; fewer measure nothing
    // about it.
    if let Some(IdleResult {
        connections: connections @ 10_000..,
        rss_after_kib: Some(after),
        ..
    }) = &r.idle
    {
        let mb = *after as f64 * 1024.0 / 1e6;
        goals.push(Goal {
            name: "idle connections".into(),
            goal: "10000 idle connections in ≤ 150 MB RSS".into(),
            measured: format!("{mb:.1} MB with {connections}"),
            met: mb <= 150.0,
        });
    }
    goals
}

/// The human report: the table, then what was checked, the ratio, idle
/// memory, goals and errors.
pub fn render_report(r: &BenchReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "target:  {}", r.target);
    let _ = writeln!(
        s,
        "machine: {} CPUs, shared with the load generator{}",
        r.cpus,
        if r.target.contains("in-process") {
            " (same process)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "load:    {} pairs × {} messages of {} characters, {}\n",
        r.pairs,
        r.messages_per_pair,
        r.data_chars,
        if r.window == 0 {
            "pipelined without a window".to_string()
        } else {
            format!("at most {} in flight per pair", r.window)
        }
    );
    if !r.rows.is_empty() {
        s.push_str(&render(&r.rows));
        s.push('\n');
    }
    for (name, t) in [("online", &r.online), ("stored", &r.stored)] {
        if let Some(t) = t {
            let _ = writeln!(
                s,
                "{name}: {} of {} delivered{}; {} delivery receipts (07)",
                t.delivered,
                t.sent,
                if t.is_clean() {
                    " exactly once, in order"
                } else {
                    ""
                },
                t.receipts
            );
        }
    }
    if let Some(ratio) = r.online_vs_echo {
        let _ = writeln!(s, "online / echo ceiling: {ratio:.2}");
    }
    if let Some(i) = &r.idle {
        let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
        let memory = match (i.rss_before_kib, i.rss_after_kib, i.bytes_per_connection) {
            (Some(b), Some(a), Some(per)) => format!(
                "target RSS {:.1} MB before, {:.1} MB after (+{:.1} MB, {:.0} bytes/connection)",
                mb(b),
                mb(a),
                mb(a) - mb(b),
                per
            ),
            _ => "target RSS not measured (give --target-pid)".into(),
        };
        let _ = writeln!(
            s,
            "idle: {} connections logged in ({:.2}s); {memory}; {}/{} reached by a probe",
            i.connections, i.setup_seconds, i.reached, i.connections
        );
    }
    if !r.goals.is_empty() {
        let _ = writeln!(s, "\ngoals:");
        for g in &r.goals {
            let mark = if g.met { "met    " } else { "NOT MET" };
            let _ = writeln!(
                s,
                "  [{mark}] {}: {} — measured {}",
                g.name, g.goal, g.measured
            );
        }
    }
    if !r.errors.is_empty() {
        let _ = writeln!(s, "\nerrors:");
        for e in &r.errors {
            let _ = writeln!(s, "  {e}");
        }
    }
    s
}
