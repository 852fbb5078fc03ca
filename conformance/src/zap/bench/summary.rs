//! The human report of a run, and the project's performance goals
//! (issue 3) read off it.
//!
//! The human report is in the report's language (`--lang`); the JSON
//! report (`BenchReport`) is English whatever `--lang`, goals included.
//! The `errors` are the JSON's, and shown as they are there.

use std::fmt::Write as _;

use super::report::{BenchReport, Goal, IdleResult};
use crate::bench::table::render;
use crate::lang::{Lang, current, t, tr};

/// The project's goals (issue 3) that this run measured, in English: the
/// JSON's.
pub fn goals(r: &BenchReport) -> Vec<Goal> {
    goals_in(r, Lang::En)
}

/// [`goals`] in `lang`.
pub fn goals_in(r: &BenchReport, lang: Lang) -> Vec<Goal> {
    let pt = lang == Lang::PtBr;
    let pick = |en: &str, pt_br: &str| {
        if pt {
            pt_br.to_string()
        } else {
            en.to_string()
        }
    };
    let mut goals = Vec::new();
    if let Some(ratio) = r.online_vs_echo {
        goals.push(Goal {
            name: pick("online delivery", "entrega online"),
            goal: pick("≥ 50% of the echo ceiling", "≥ 50% do teto do echo"),
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
            name: pick("store-then-deliver", "guardar e depois entregar"),
            goal: pick(
                "≥ 20000 msgs/s durable, storing and delivering",
                "≥ 20000 msgs/s duráveis, guardando e entregando",
            ),
            measured: if pt {
                format!("envio {send:.0} msgs/s, entrega {deliver:.0} msgs/s")
            } else {
                format!("send {send:.0} msgs/s, deliver {deliver:.0} msgs/s")
            },
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
            name: pick("idle connections", "conexões ociosas"),
            goal: pick(
                "10000 idle connections in ≤ 150 MB RSS",
                "10000 conexões ociosas em ≤ 150 MB de RSS",
            ),
            measured: if pt {
                format!("{mb:.1} MB com {connections}")
            } else {
                format!("{mb:.1} MB with {connections}")
            },
            met: mb <= 150.0,
        });
    }
    goals
}

/// The human report, in the report's language (`--lang`): the table,
/// then what was checked, the ratio, idle memory, goals and errors.
pub fn render_report(r: &BenchReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} {}", t("target: ", "alvo:   "), r.target);
    let same = if r.target.contains("in-process") {
        t(" (same process)", " (o mesmo processo)")
    } else {
        ""
    };
    let _ = writeln!(
        s,
        "{}",
        tr!(
            "machine: {} CPUs, shared with the load generator{same}",
            "máquina: {} CPUs, divididas com o gerador de carga{same}",
            r.cpus
        )
    );
    let window = if r.window == 0 {
        t("pipelined without a window", "em pipeline, sem janela").to_string()
    } else {
        tr!(
            "at most {} in flight per pair",
            "no máximo {} em trânsito por par",
            r.window
        )
    };
    let _ = writeln!(
        s,
        "{}\n",
        tr!(
            "load:    {} pairs × {} messages of {} characters, {window}",
            "carga:   {} pares × {} mensagens de {} caracteres, {window}",
            r.pairs,
            r.messages_per_pair,
            r.data_chars
        )
    );
    if !r.rows.is_empty() {
        s.push_str(&render(&r.rows));
        s.push('\n');
    }
    for (name, tally) in [("online", &r.online), ("stored", &r.stored)] {
        if let Some(tally) = tally {
            let clean = if tally.is_clean() {
                t(" exactly once, in order", " exatamente uma vez, em ordem")
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "{}",
                tr!(
                    "{name}: {} of {} delivered{clean}; {} delivery receipts (07)",
                    "{name}: {} de {} entregues{clean}; {} confirmações de entrega (07)",
                    tally.delivered,
                    tally.sent,
                    tally.receipts
                )
            );
        }
    }
    if let Some(ratio) = r.online_vs_echo {
        let _ = writeln!(
            s,
            "{}: {ratio:.2}",
            t("online / echo ceiling", "online / teto do echo")
        );
    }
    if let Some(i) = &r.idle {
        let mb = |kib: u64| kib as f64 * 1024.0 / 1e6;
        let memory = match (i.rss_before_kib, i.rss_after_kib, i.bytes_per_connection) {
            (Some(b), Some(a), Some(per)) => tr!(
                "target RSS {:.1} MB before, {:.1} MB after (+{:.1} MB, {:.0} bytes/connection)",
                "RSS do alvo {:.1} MB antes, {:.1} MB depois (+{:.1} MB, {:.0} bytes/conexão)",
                mb(b),
                mb(a),
                mb(a) - mb(b),
                per
            ),
            _ => t(
                "target RSS not measured (give --target-pid)",
                "RSS do alvo não medido (passe --target-pid)",
            )
            .into(),
        };
        let _ = writeln!(
            s,
            "{}",
            tr!(
                "idle: {} connections logged in ({:.2}s); {memory}; {}/{} reached by a probe",
                "idle: {} conexões autenticadas ({:.2}s); {memory}; {}/{} alcançadas por uma sonda",
                i.connections,
                i.setup_seconds,
                i.reached,
                i.connections
            )
        );
    }
    // The goals the report holds, in the report's language.
    let shown: Vec<Goal> = goals_in(r, Lang::En)
        .into_iter()
        .zip(goals_in(r, current()))
        .filter(|(en, _)| r.goals.iter().any(|g| g.name == en.name))
        .map(|(_, shown)| shown)
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(s, "\n{}:", t("goals", "metas"));
        for g in &shown {
            let mark = if g.met {
                t("met    ", "atingida    ")
            } else {
                t("NOT MET", "NÃO ATINGIDA")
            };
            let _ = writeln!(
                s,
                "  [{mark}] {}: {} — {} {}",
                g.name,
                g.goal,
                t("measured", "medido"),
                g.measured
            );
        }
    }
    if !r.errors.is_empty() {
        let _ = writeln!(s, "\n{}:", t("errors", "erros"));
        for e in &r.errors {
            let _ = writeln!(s, "  {e}");
        }
    }
    s
}
