//! Running suites against in-process reference servers, for the harness's
//! own tests.

#![allow(dead_code)]

pub mod binary;
pub mod client;

use std::sync::Arc;

use gabarito_conformance::cli::reference::Reference;
use gabarito_conformance::protocol::Protocol;
use gabarito_conformance::report::{RunInfo, console};
use gabarito_conformance::run::{CaseResult, Restart, RunOptions, run_all};
use gabarito_conformance::script::Case;
use gabarito_conformance::suites;
use gabarito_conformance::zap::Zap;
use gabarito_server::Config;

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Every built-in zap case.
pub fn zap_cases() -> Vec<Case> {
    suites::builtin(&Zap)
        .expect("the built-in suites parse")
        .into_iter()
        .flat_map(|f| f.cases)
        .collect()
}

/// Runs `cases` against a fresh reference server configured by `adjust`.
pub async fn run_against(
    cases: Vec<Case>,
    adjust: impl FnOnce(Config) -> Config,
) -> Vec<CaseResult> {
    let server = Arc::new(
        Reference::start_with(adjust)
            .await
            .expect("the reference server starts"),
    );
    let restart: Arc<dyn Restart> = server.clone();
    let protocol: Arc<dyn Protocol> = Arc::new(Zap);
    let results = run_all(
        cases,
        protocol,
        server.addr,
        RunOptions::default(),
        4,
        Some(restart),
    )
    .await;
    let _ = server.stop().await;
    results
}

/// The console report of `results`, for assertion messages.
pub fn report(results: &[CaseResult], what: &str) -> String {
    let info = RunInfo {
        protocol: "zap".into(),
        target: what.into(),
        duration: std::time::Duration::ZERO,
        strict: false,
    };
    console(&info, results, &|_| None, false)
}
