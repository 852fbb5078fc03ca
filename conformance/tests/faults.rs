//! The harness proves itself against the reference server's faults and
//! quirks: every fault is caught by the cases this table names, and no
//! quirk — a conformant variation — makes any case FAIL.

mod common;

use gabarito_conformance::verdict::Verdict;
use gabarito_server::{Fault, Quirk};

/// Each fault, and the cases that must catch it (FAIL, or ERROR where the
/// fault takes the server down).
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
    ("wrong-receipt-timestamp", &["zap.7.1.delivered-online"]),
    (
        "swap-src-dst",
        &["zap.6.1.online", "zap.6.2.fields-unchanged"],
    ),
    ("short-ids", &["zap.5.2.register"]),
    (
        "same-id",
        &["zap.5.2.ids-distinct", "zap.5.2.register-twice"],
    ),
    (
        "accept-spoofing",
        &["zap.9.2.spoofed-src", "zap.9.2.spoofed-creator"],
    ),
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
    (
        "lose-state",
        &[
            "zap.11.1.users-survive-restart",
            "zap.11.1.pending-survive-restart",
        ],
    ),
    ("newest-first", &["zap.9.4.offline-order"]),
    (
        "deliver-twice",
        &["zap.9.4.offline-order", "zap.9.4.delivered-once"],
    ),
];

#[test]
fn every_fault_has_a_row_and_every_row_names_real_cases() {
    let ids: Vec<String> = common::zap_cases().into_iter().map(|c| c.id).collect();
    for f in Fault::ALL {
        assert!(
            CAUGHT_BY.iter().any(|(n, _)| *n == f.name()),
            "fault {} has no row in CAUGHT_BY",
            f.name()
        );
    }
    for (fault, cases) in CAUGHT_BY {
        assert!(
            fault.parse::<Fault>().is_ok(),
            "{fault} is not a fault of the reference server"
        );
        for c in *cases {
            assert!(ids.iter().any(|i| i == c), "{fault}: no case {c}");
        }
    }
}

#[test]
fn every_fault_is_caught_by_its_cases() {
    let rt = common::runtime();
    let mut missed = Vec::new();
    for (name, cases) in CAUGHT_BY {
        let fault: Fault = name.parse().expect("a fault name");
        let selected = common::zap_cases()
            .into_iter()
            .filter(|c| cases.contains(&c.id.as_str()))
            .collect();
        let results = rt.block_on(common::run_against(selected, |c| c.with_fault(fault)));
        for r in &results {
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
    assert!(
        missed.is_empty(),
        "faults not caught:\n{}",
        missed.join("\n")
    );
}

#[test]
fn no_quirk_makes_a_case_fail() {
    let rt = common::runtime();
    let mut wrong = Vec::new();
    for quirk in Quirk::ALL {
        let results = rt.block_on(common::run_against(common::zap_cases(), |c| {
            c.with_quirk(*quirk)
        }));
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
    assert!(
        wrong.is_empty(),
        "conformant variations graded as failures:\n{}",
        wrong.join("\n")
    );
}
