//! The golden transcripts: every built-in suite runs against the reference
//! server, every case must PASS, and the normalized transcript of each file
//! is snapshot-tested. The snapshots are embedded in the binary, which
//! compares any target's transcripts against them.

mod common;

use std::path::Path;
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
    let golden = Golden::start(&rt, Arc::new(Zap), |c| c);
    insta::glob!("../suites/zap", "*.session", |path| {
        insta::assert_snapshot!("transcript", golden.run(&rt, path));
    });
    golden.stop(&rt);
}

/// The lrv suites, file by file in name order against one server: the
/// precondition finds the raffle fresh, and the last file sells it out.
#[test]
fn lrv_suites_pass_against_the_reference_and_match_their_golden_transcripts() {
    let rt = common::runtime();
    let golden = Golden::start(&rt, Arc::new(common::lrv_protocol()), common::lrv);
    insta::glob!("../suites/lrv", "*.session", |path| {
        insta::assert_snapshot!("lrv_transcript", golden.run(&rt, path));
    });
    golden.stop(&rt);
}

/// One reference server that every file of a protocol's suite runs against.
struct Golden {
    server: Arc<Reference>,
    protocol: Arc<dyn Protocol>,
}

impl Golden {
    fn start(
        rt: &tokio::runtime::Runtime,
        protocol: Arc<dyn Protocol>,
        config: impl FnOnce(gabarito_server::Config) -> gabarito_server::Config,
    ) -> Golden {
        let server = rt
            .block_on(Reference::start_with(config))
            .expect("the reference server starts");
        Golden {
            server: Arc::new(server),
            protocol,
        }
    }

    /// Runs the suite file at `path`; every case must pass. Its transcript.
    fn run(&self, rt: &tokio::runtime::Runtime, path: &Path) -> String {
        let text = std::fs::read_to_string(path).expect("readable suite");
        let name = format!(
            "{}/{}",
            self.protocol.name(),
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
        );
        let suite = parse_suite(&name, &text, self.protocol.as_ref()).expect("the suite parses");
        let restart: Arc<dyn Restart> = self.server.clone();
        let results = rt.block_on(run_all(
            suite.cases,
            self.protocol.clone(),
            self.server.addr,
            RunOptions::default(),
            4,
            Some(restart),
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
        transcript_text(&results)
    }

    fn stop(self, rt: &tokio::runtime::Runtime) {
        rt.block_on(self.server.stop())
            .expect("the reference server stops cleanly");
    }
}
