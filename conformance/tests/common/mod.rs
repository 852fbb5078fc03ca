//! Running suites against in-process reference servers, for the harness's
//! own tests; the conformance binary run (`binary.rs`). What every crate's
//! tests share is the test kit's (`test-kit/`).

// Each test binary uses a part of it.
#![allow(dead_code, unused_imports)]

pub mod binary;

pub use gabarito_test_kit::runtime;

use std::sync::Arc;

use gabarito_codec::lrv::Number;
use gabarito_conformance::cli::reference::Reference;
use gabarito_conformance::lrv::Lrv;
use gabarito_conformance::protocol::Protocol;
use gabarito_conformance::report::{RunInfo, console};
use gabarito_conformance::run::{CaseResult, Restart, RunOptions, run_all};
use gabarito_conformance::script::Case;
use gabarito_conformance::suites;
use gabarito_conformance::zap::Zap;
use gabarito_server::Config;

/// Every built-in zap case.
pub fn zap_cases() -> Vec<Case> {
    suites::builtin(&Zap)
        .expect("the built-in suites parse")
        .into_iter()
        .flat_map(|f| f.cases)
        .collect()
}

/// Every built-in lrv case.
pub fn lrv_cases() -> Vec<Case> {
    suites::builtin(&lrv_protocol())
        .expect("the built-in suites parse")
        .into_iter()
        .flat_map(|f| f.cases)
        .collect()
}

/// The raffle size of the lrv tests: the smallest the suite fits in, so
/// the sell-out is short even against quirk `slow`.
pub const LRV_RAFFLE: u32 = 40;

/// The lrv adapter for a raffle of [`LRV_RAFFLE`].
pub fn lrv_protocol() -> Lrv {
    Lrv::new(Number::new(LRV_RAFFLE).expect("a raffle size"))
}

/// The reference server speaking lrv with a raffle of [`LRV_RAFFLE`] and a
/// fixed draw, so transcripts name the same winner every run.
pub fn lrv(config: Config) -> Config {
    config
        .with_protocol(gabarito_server::Protocol::Lrv)
        .with_raffle_size(Number::new(LRV_RAFFLE).expect("a raffle size"))
        .with_draw_seed(7)
}

/// Runs zap `cases` against a fresh reference server configured by `adjust`.
pub async fn run_against(
    cases: Vec<Case>,
    adjust: impl FnOnce(Config) -> Config,
) -> Vec<CaseResult> {
    run_protocol(Arc::new(Zap), cases, adjust).await
}

/// Runs lrv `cases` against a fresh lrv reference server (see [`lrv`])
/// further configured by `adjust`.
pub async fn run_lrv(cases: Vec<Case>, adjust: impl FnOnce(Config) -> Config) -> Vec<CaseResult> {
    run_protocol(Arc::new(lrv_protocol()), cases, |c| adjust(lrv(c))).await
}

/// Runs lrv `cases` as [`run_lrv`] does, graded with `opts`.
pub async fn run_lrv_with(
    cases: Vec<Case>,
    adjust: impl FnOnce(Config) -> Config,
    opts: RunOptions,
) -> Vec<CaseResult> {
    run_protocol_with(Arc::new(lrv_protocol()), cases, |c| adjust(lrv(c)), opts).await
}

/// Runs `cases` of `protocol` against a fresh reference server configured
/// by `adjust`.
pub async fn run_protocol(
    protocol: Arc<dyn Protocol>,
    cases: Vec<Case>,
    adjust: impl FnOnce(Config) -> Config,
) -> Vec<CaseResult> {
    run_protocol_with(protocol, cases, adjust, RunOptions::default()).await
}

/// Runs `cases` as [`run_protocol`] does, graded with `opts`.
pub async fn run_protocol_with(
    protocol: Arc<dyn Protocol>,
    cases: Vec<Case>,
    adjust: impl FnOnce(Config) -> Config,
    opts: RunOptions,
) -> Vec<CaseResult> {
    let server = Arc::new(
        Reference::start_with(adjust)
            .await
            .expect("the reference server starts"),
    );
    let restart: Arc<dyn Restart> = server.clone();
    let results = run_all(cases, protocol, server.addr, opts, 4, Some(restart)).await;
    let _ = server.stop().await;
    results
}

/// Runs lrv `cases` against `server`, which is left running.
pub async fn run_on(server: &Arc<Reference>, cases: Vec<Case>) -> Vec<CaseResult> {
    let restart: Arc<dyn Restart> = server.clone();
    run_all(
        cases,
        Arc::new(lrv_protocol()),
        server.addr,
        RunOptions::default(),
        4,
        Some(restart),
    )
    .await
}

/// The console report of `results`, for assertion messages.
pub fn report(results: &[CaseResult], what: &str) -> String {
    // Case ids start with their protocol (`lrv.6.6.buy`).
    let protocol = results
        .first()
        .and_then(|r| r.id.split('.').next())
        .unwrap_or("zap");
    let info = RunInfo {
        protocol: protocol.into(),
        target: what.into(),
        duration: std::time::Duration::ZERO,
        strict: false,
    };
    console(&info, results, &|_| None, false)
}
