//! The golden transcripts: every built-in suite runs against the reference
//! server, every case must PASS, and the normalized transcript of each file
//! is snapshot-tested. The snapshots are embedded in the binary, which
//! compares any target's transcripts against them.

mod common;

use std::sync::Arc;

use gabarito_conformance::cli::reference::Reference;
use gabarito_conformance::protocol::Protocol;
use gabarito_conformance::run::{Restart, RunOptions, run_all};
use gabarito_conformance::script::parse_suite;
use gabarito_conformance::suites::transcript_text;
use gabarito_conformance::verdict::Verdict;
use gabarito_conformance::zap::Zap;

#[test]
fn zap_suites_pass_against_the_reference_and_match_their_golden_transcripts() {
    let rt = common::runtime();
    let server = Arc::new(
        rt.block_on(Reference::start())
            .expect("the reference server starts"),
    );
    let restart: Arc<dyn Restart> = server.clone();
    let protocol: Arc<dyn Protocol> = Arc::new(Zap);
    insta::glob!("../suites/zap", "*.session", |path| {
        let text = std::fs::read_to_string(path).expect("readable suite");
        let name = format!(
            "zap/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let suite = parse_suite(&name, &text, &Zap).expect("the suite parses");
        let results = rt.block_on(run_all(
            suite.cases,
            protocol.clone(),
            server.addr,
            RunOptions::default(),
            4,
            Some(restart.clone()),
        ));
        let bad: Vec<_> = results
            .iter()
            .filter(|r| r.verdict != Verdict::Pass)
            .cloned()
            .collect();
        assert!(
            bad.is_empty(),
            "{name}: not every case passes against the reference server:\n{}",
            common::report(&bad, "reference")
        );
        insta::assert_snapshot!("transcript", transcript_text(&results));
    });
    rt.block_on(server.stop())
        .expect("the reference server stops cleanly");
}

/// The lrv suites, file by file in name order against one server: the
/// precondition finds the raffle fresh, and the last file sells it out.
#[test]
fn lrv_suites_pass_against_the_reference_and_match_their_golden_transcripts() {
    let rt = common::runtime();
    let server = Arc::new(
        rt.block_on(Reference::start_with(common::lrv))
            .expect("the reference server starts"),
    );
    let restart: Arc<dyn Restart> = server.clone();
    let lrv = Arc::new(common::lrv_protocol());
    let protocol: Arc<dyn Protocol> = lrv.clone();
    insta::glob!("../suites/lrv", "*.session", |path| {
        let text = std::fs::read_to_string(path).expect("readable suite");
        let name = format!(
            "lrv/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let suite = parse_suite(&name, &text, lrv.as_ref()).expect("the suite parses");
        let results = rt.block_on(run_all(
            suite.cases,
            protocol.clone(),
            server.addr,
            RunOptions::default(),
            4,
            Some(restart.clone()),
        ));
        let bad: Vec<_> = results
            .iter()
            .filter(|r| r.verdict != Verdict::Pass)
            .cloned()
            .collect();
        assert!(
            bad.is_empty(),
            "{name}: not every case passes against the reference server:\n{}",
            common::report(&bad, "reference")
        );
        insta::assert_snapshot!("lrv_transcript", transcript_text(&results));
    });
    rt.block_on(server.stop())
        .expect("the reference server stops cleanly");
}
