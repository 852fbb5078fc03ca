//! The harness proves itself against the reference server's faults and
//! quirks: every fault is caught by the cases this table names, and no
//! quirk — a conformant variation — makes any case FAIL.

mod common;

use gabarito_conformance::verdict::Verdict;
use gabarito_server::{Fault, Protocol, Quirk};

/// Each zap fault that breaks the seed, and the cases that must catch it
/// (FAIL, or ERROR where the fault takes the server down).
const CAUGHT_BY: &[(&str, &[&str])] = &[
    (
        "no-pending-delivery",
        &["zap.6.1.offline", "zap.9.4.offline-order"],
    ),
    (
        "no-delivered-receipt",
        &["zap.7.1.delivered-online", "zap.7.1.delivered-on-connect"],
    ),
    (
        "no-read-notice",
        &["zap.7.3.read-online", "zap.7.3.read-offline"],
    ),
    (
        "swap-src-dst",
        &["zap.6.1.online", "zap.6.2.fields-unchanged"],
    ),
    ("short-ids", &["zap.5.2.register"]),
    ("same-id", &["zap.5.2.ids-distinct"]),
    ("crash-on-malformed", &["zap.10.1.unknown-code"]),
    (
        "truncate-data",
        &["zap.4.1.max-ascii", "zap.4.1.max-four-byte"],
    ),
    (
        "count-bytes",
        &["zap.4.1.max-two-byte", "zap.4.1.max-four-byte"],
    ),
    ("no-creator-notice", &["zap.8.2.create"]),
    // Ids are the seed's "identificador único" whatever a restart keeps.
    ("lose-state", &["zap.11.1.no-id-reuse-after-restart"]),
    ("newest-first", &["zap.9.4.offline-order"]),
    (
        "deliver-twice",
        &["zap.9.4.offline-order", "zap.9.4.delivered-once"],
    ),
];

/// Each zap fault, with the decision of the spec it breaks and the cases
/// that check that decision, where the fault's behaviour is a reading the
/// seed allows (spec/zap.md §12): NON-STRICT naming the decision by
/// default, a FAIL with `--strict`. A fault may also break the seed
/// elsewhere (its row in [`CAUGHT_BY`]).
const DECISION_FAULTS: &[(&str, &str, &[&str])] = &[
    // The seed's 07 timestamp is "da última mensagem entregue": the
    // delivery's time is a reading, and a second later could be one.
    (
        "wrong-receipt-timestamp",
        "D5",
        &["zap.7.1.delivered-online"],
    ),
    // A second 01 on the connection that registered gets its id again.
    ("same-id", "D18", &["zap.5.2.register-twice"]),
    // The seed never says the server checks src against the connection.
    (
        "accept-spoofing",
        "D20",
        &["zap.9.2.spoofed-src", "zap.9.2.spoofed-creator"],
    ),
    // "A forma que as mensagens ficarão armazenadas pode ser definida por
    // cada grupo": in memory, lost on a restart.
    (
        "lose-state",
        "D23",
        &[
            "zap.11.1.users-survive-restart",
            "zap.11.1.pending-survive-restart",
        ],
    ),
];

/// Each lrv fault that breaks the seed, and the cases that must catch it.
/// A case of the draw file runs after the sell-out, which the fault run
/// then includes.
const LRV_CAUGHT_BY: &[(&str, &[&str])] = &[
    (
        "no-greeting",
        &["lrv.5.greeting", "lrv.5.greeting-then-replies"],
    ),
    ("double-sale", &["lrv.8.3.race"]),
    ("resell", &["lrv.6.6.sold-to-another"]),
    ("early-draw", &["lrv.6.7.no-draw-yet"]),
    ("crash-on-malformed", &["lrv.9.2.unknown-command"]),
    // The seed's one error: "400 - Número inválido".
    (
        "silent-invalid",
        &["lrv.9.2.not-a-number", "lrv.6.6.past-the-end"],
    ),
    ("always-new", &["lrv.6.2.register-known"]),
    ("sair-no-reply", &["lrv.6.8.leave"]),
    ("stale-list", &["lrv.8.4.sell-out"]),
    ("act-on-extra", &["lrv.9.2.two-arguments"]),
];

/// Each lrv fault that breaks only a decision of the spec — its behaviour
/// is a reading the seed allows (spec/lrv.md §11) — with that decision and
/// the cases that check it: NON-STRICT naming the decision by default, a
/// FAIL with `--strict`.
const LRV_DECISION_FAULTS: &[(&str, &str, &[&str])] = &[
    (
        "lose-state",
        "D17",
        &["lrv.10.1.survive-restart", "lrv.10.1.survive-kill"],
    ),
    (
        "redraw-on-restart",
        "D17",
        &["lrv.10.1.draw-survives-restart"],
    ),
    ("recv-per-message", "D21", &["lrv.8.5.pipelined"]),
    ("buy-unregistered", "D12", &["lrv.8.1.buy-before-register"]),
];

const SELL_OUT: &str = "lrv.8.4.sell-out";

fn check_table(protocol: Protocol, table: &[(&str, &[&str])], ids: &[String]) {
    for f in Fault::ALL.iter().filter(|f| f.applies_to(protocol)) {
        assert!(
            table.iter().any(|(n, _)| *n == f.name()),
            "{protocol} fault {} has no row in its table",
            f.name()
        );
    }
    for (fault, cases) in table {
        let f = fault.parse::<Fault>();
        assert!(
            f.is_ok_and(|f| f.applies_to(protocol)),
            "{fault} is not a {protocol} fault of the reference server"
        );
        for c in *cases {
            assert!(ids.iter().any(|i| i == c), "{fault}: no case {c}");
        }
    }
}

#[test]
fn every_fault_has_a_row_and_every_row_names_real_cases() {
    let ids: Vec<String> = common::zap_cases().into_iter().map(|c| c.id).collect();
    let zap: Vec<(&str, &[&str])> = CAUGHT_BY
        .iter()
        .copied()
        .chain(DECISION_FAULTS.iter().map(|&(f, _, cases)| (f, cases)))
        .collect();
    check_table(Protocol::Zap, &zap, &ids);
    let ids: Vec<String> = common::lrv_cases().into_iter().map(|c| c.id).collect();
    let lrv: Vec<(&str, &[&str])> = LRV_CAUGHT_BY
        .iter()
        .copied()
        .chain(LRV_DECISION_FAULTS.iter().map(|&(f, _, cases)| (f, cases)))
        .collect();
    check_table(Protocol::Lrv, &lrv, &ids);
}

#[test]
fn every_lrv_fault_is_caught_by_its_cases() {
    let missed = missed_faults(Protocol::Lrv, LRV_CAUGHT_BY);
    assert!(
        missed.is_empty(),
        "faults not caught:\n{}",
        missed.join("\n")
    );
}

#[test]
fn every_lrv_decision_fault_is_another_reading_and_fails_strictly() {
    let wrong = decision_faults_misgraded(Protocol::Lrv, LRV_DECISION_FAULTS);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_zap_decision_fault_is_another_reading_and_fails_strictly() {
    let wrong = decision_faults_misgraded(Protocol::Zap, DECISION_FAULTS);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Each fault of `table` against the cases that check its decision, by
/// default and with `--strict`: the cases that were not NON-STRICT naming
/// the decision (by default) or not FAIL or ERROR (strict), with reports.
fn decision_faults_misgraded(
    protocol: Protocol,
    table: &'static [(&'static str, &'static str, &'static [&'static str])],
) -> Vec<String> {
    let rt = common::runtime();
    let runs = rt.block_on(async {
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(QUIRKS_AT_ONCE));
        let mut set = tokio::task::JoinSet::new();
        for &(name, decision, cases) in table {
            for strict in [false, true] {
                let gate = gate.clone();
                set.spawn(async move {
                    let _turn = gate.acquire_owned().await;
                    let fault: Fault = name.parse().expect("a fault name");
                    let opts = gabarito_conformance::run::RunOptions {
                        strict,
                        ..Default::default()
                    };
                    let results = match protocol {
                        Protocol::Zap => {
                            let selected = common::zap_cases()
                                .into_iter()
                                .filter(|c| cases.contains(&c.id.as_str()))
                                .collect();
                            common::run_protocol_with(
                                std::sync::Arc::new(gabarito_conformance::zap::Zap),
                                selected,
                                |c| c.with_fault(fault),
                                opts,
                            )
                            .await
                        }
                        Protocol::Lrv => {
                            common::run_lrv_with(
                                lrv_selection(cases),
                                |c| c.with_fault(fault),
                                opts,
                            )
                            .await
                        }
                    };
                    (name, decision, cases, strict, results)
                });
            }
        }
        set.join_all().await
    });
    let mut wrong = Vec::new();
    for (name, decision, cases, strict, results) in runs {
        for r in results.iter().filter(|r| cases.contains(&r.id.as_str())) {
            let names_it = r.notes.iter().any(|n| n.text.contains(decision));
            let right = if strict {
                matches!(r.verdict, Verdict::Fail | Verdict::Error)
            } else {
                r.verdict == Verdict::NonStrict && names_it
            };
            if !right {
                let how = if strict { "--strict" } else { "by default" };
                wrong.push(format!(
                    "--fault {name} ({decision}) {how}: {} was {}\n{}",
                    r.id,
                    r.verdict,
                    common::report(std::slice::from_ref(r), name)
                ));
            }
        }
    }
    wrong
}

/// The lrv cases named, and the sell-out if one of them needs the raffle
/// sold out (it stands in the draw file).
fn lrv_selection(cases: &[&str]) -> Vec<gabarito_conformance::script::Case> {
    let all = common::lrv_cases();
    let after_sell_out = all
        .iter()
        .any(|c| cases.contains(&c.id.as_str()) && c.file.ends_with("12-draw.session"));
    all.into_iter()
        .filter(|c| cases.contains(&c.id.as_str()) || (after_sell_out && c.id == SELL_OUT))
        .collect()
}

/// Each fault of `table` against the cases it names, side by side like the
/// quirks: the cases that were not FAIL or ERROR, with their reports. A
/// case of the lrv draw file needs the sell-out before it, so it gets it.
fn missed_faults(
    protocol: Protocol,
    table: &'static [(&'static str, &'static [&'static str])],
) -> Vec<String> {
    let rt = common::runtime();
    let runs = rt.block_on(async {
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(QUIRKS_AT_ONCE));
        let mut set = tokio::task::JoinSet::new();
        for &(name, cases) in table {
            let gate = gate.clone();
            set.spawn(async move {
                let _turn = gate.acquire_owned().await;
                let fault: Fault = name.parse().expect("a fault name");
                let all = match protocol {
                    Protocol::Zap => common::zap_cases(),
                    Protocol::Lrv => common::lrv_cases(),
                };
                let after_sell_out = all
                    .iter()
                    .any(|c| cases.contains(&c.id.as_str()) && c.file.ends_with("12-draw.session"));
                let selected = all
                    .into_iter()
                    .filter(|c| {
                        cases.contains(&c.id.as_str()) || (after_sell_out && c.id == SELL_OUT)
                    })
                    .collect();
                let results = match protocol {
                    Protocol::Zap => common::run_against(selected, |c| c.with_fault(fault)).await,
                    Protocol::Lrv => common::run_lrv(selected, |c| c.with_fault(fault)).await,
                };
                (name, cases, results)
            });
        }
        set.join_all().await
    });
    let mut missed = Vec::new();
    for (name, cases, results) in runs {
        for r in results.iter().filter(|r| cases.contains(&r.id.as_str())) {
            if !matches!(r.verdict, Verdict::Fail | Verdict::Error) {
                missed.push(format!(
                    "--fault {name}: {} was {}\n{}",
                    r.id,
                    r.verdict,
                    common::report(std::slice::from_ref(r), name)
                ));
            }
        }
    }
    missed
}

#[test]
fn no_lrv_quirk_makes_a_case_fail() {
    let wrong = quirk_failures(Protocol::Lrv);
    assert!(
        wrong.is_empty(),
        "conformant lrv variations graded as failures:\n{}",
        wrong.join("\n")
    );
}

/// Faults and quirks run side by side, each against its own server: most
/// of a run is waiting (timeouts, quirk `slow`'s 150 ms per write), and a
/// few at a time keep the machine's load, and so the timing, sane.
const QUIRKS_AT_ONCE: usize = 4;

/// Every quirk of `protocol` against the whole suite: what was graded FAIL,
/// ERROR or SKIPPED, by quirk.
fn quirk_failures(protocol: Protocol) -> Vec<String> {
    let rt = common::runtime();
    let runs = rt.block_on(async {
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(QUIRKS_AT_ONCE));
        let mut set = tokio::task::JoinSet::new();
        for quirk in Quirk::for_protocol(protocol) {
            let gate = gate.clone();
            set.spawn(async move {
                let _turn = gate.acquire_owned().await;
                let results = match protocol {
                    Protocol::Zap => {
                        common::run_against(common::zap_cases(), |c| c.with_quirk(quirk)).await
                    }
                    Protocol::Lrv => {
                        common::run_lrv(common::lrv_cases(), |c| c.with_quirk(quirk)).await
                    }
                };
                (quirk, results)
            });
        }
        set.join_all().await
    });
    let mut wrong = Vec::new();
    for (quirk, results) in runs {
        let bad: Vec<_> = results
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::Fail | Verdict::Error | Verdict::Skipped))
            .cloned()
            .collect();
        if !bad.is_empty() {
            wrong.push(format!(
                "--quirk {}:\n{}",
                quirk.name(),
                common::report(&bad, quirk.name())
            ));
        }
    }
    wrong
}

/// A raffle already bought from cannot be graded: the precondition says
/// so, and no other case runs to fail for that reason.
#[test]
fn a_raffle_already_bought_from_stops_at_the_precondition() {
    let rt = common::runtime();
    let cases: Vec<_> = common::lrv_cases()
        .into_iter()
        .filter(|c| c.precondition || c.id == "lrv.6.6.buy")
        .collect();
    assert_eq!(cases.len(), 2);
    // Reordered so the purchase comes first: only a precondition's place in
    // the schedule, not in the list, makes it run first.
    let results = rt.block_on(async {
        let server = std::sync::Arc::new(
            gabarito_conformance::cli::reference::Reference::start_with(common::lrv)
                .await
                .expect("the reference server starts"),
        );
        let buy: Vec<_> = cases.iter().filter(|c| !c.precondition).cloned().collect();
        let first = common::run_on(&server, buy).await;
        assert_eq!(
            first[0].verdict,
            Verdict::Pass,
            "{}",
            common::report(&first, "setup")
        );
        let second = common::run_on(&server, cases.clone()).await;
        let _ = server.stop().await;
        second
    });
    let pre = results
        .iter()
        .find(|r| r.id == "lrv.8.3.fresh-raffle")
        .unwrap();
    assert_eq!(
        pre.verdict,
        Verdict::Fail,
        "{}",
        common::report(&results, "reused")
    );
    let other = results.iter().find(|r| r.id == "lrv.6.6.buy").unwrap();
    assert_eq!(other.verdict, Verdict::Error);
    let why = &other.failure.as_ref().unwrap().actual;
    assert!(
        why.contains("precondition lrv.8.3.fresh-raffle did not pass"),
        "{why}"
    );
}

#[test]
fn every_fault_is_caught_by_its_cases() {
    let missed = missed_faults(Protocol::Zap, CAUGHT_BY);
    assert!(
        missed.is_empty(),
        "faults not caught:\n{}",
        missed.join("\n")
    );
}

#[test]
fn no_quirk_makes_a_case_fail() {
    let wrong = quirk_failures(Protocol::Zap);
    assert!(
        wrong.is_empty(),
        "conformant variations graded as failures:\n{}",
        wrong.join("\n")
    );
}
