//! Running many cases: in parallel (each case has its own users, so cases
//! are independent), in a stable order in the report, and without
//! cascading: once the target is down, later cases say so instead of
//! failing one by one.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::case::run_case;
use super::options::RunOptions;
use super::restart::Restart;
use super::result::{CaseResult, Failure};
use crate::lang::{Lang, t};
use crate::protocol::Protocol;
use crate::script::Case;
use crate::verdict::Verdict;

/// Waits until `target` accepts a connection, for at most `wait`.
pub async fn wait_for_port(target: SocketAddr, wait: Duration) -> Result<(), String> {
    let deadline = Instant::now() + wait;
    loop {
        let last = match tokio::time::timeout(
            Duration::from_secs(1),
            tokio::net::TcpStream::connect(target),
        )
        .await
        {
            Ok(Ok(_)) => return Ok(()),
            Ok(Err(e)) => e.to_string(),
            Err(_) => t("connect timed out", "a conexão demorou demais").into(),
        };
        if Instant::now() >= deadline {
            return Err(match crate::lang::current() {
                Lang::En => format!(
                    "{target} did not accept a connection within {:.1}s: {last}",
                    wait.as_secs_f64()
                ),
                Lang::PtBr => format!(
                    "{target} não aceitou conexão em {:.1}s: {last}",
                    wait.as_secs_f64()
                ),
            });
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Cases with their place in the input, so results keep its order.
type Indexed = Vec<(usize, Case)>;

/// How long after a close the suite waits before checking the target is
/// still up (see `run_all`).
const CRASH_GRACE: Duration = Duration::from_millis(100);

/// Runs `cases` with at most `jobs` at a time; results in the input order.
/// Cases with `restart` steps run only when `restart` is given, and alone.
/// Preconditions run first, one by one; if one does not pass, no other
/// case runs, and each says which precondition stopped it.
///
/// Cases that must run alone go last, one after another: scheduled where
/// they stand, each would wait for every case before it and hold up every
/// case after it, so the suite would run in serial stretches.
pub async fn run_all(
    cases: Vec<Case>,
    protocol: Arc<dyn Protocol>,
    target: SocketAddr,
    opts: RunOptions,
    jobs: usize,
    restart: Option<Arc<dyn Restart>>,
) -> Vec<CaseResult> {
    protocol.learn(target, &opts).await;
    let opts = Arc::new(opts);
    let down = Arc::new(AtomicBool::new(false));
    let sem = Arc::new(Semaphore::new(jobs.max(1)));
    let (first, indexed): (Indexed, Indexed) = cases
        .into_iter()
        .enumerate()
        .partition(|(_, c)| c.precondition);
    let spawn = |index: usize, case: Case| {
        let (protocol, opts, down, sem) =
            (protocol.clone(), opts.clone(), down.clone(), sem.clone());
        let restart = restart.clone();
        let fallback = skipped(
            &case,
            Verdict::Error,
            t("the case to run to its end", "o caso rodar até o fim"),
            t(
                "the harness failed while running this case (a bug in gabarito: please report it)",
                "o avaliador falhou ao rodar este caso (um bug do gabarito: por favor, relate)",
            ),
        );
        let handle = tokio::spawn(async move {
            if case.needs_restart() && restart.is_none() {
                return skipped(
                    &case,
                    Verdict::Skipped,
                    t(
                        "a target the harness can restart",
                        "um alvo que o avaliador possa reiniciar",
                    ),
                    t(
                        "needs --exec (the harness must start the target to restart it)",
                        "precisa de --exec (o avaliador precisa iniciar o alvo para reiniciá-lo)",
                    ),
                );
            }
            let _permit = sem.acquire_owned().await;
            if down.load(Ordering::SeqCst) {
                return skipped(
                    &case,
                    Verdict::Error,
                    t("the target to be up", "o alvo estar no ar"),
                    t(
                        "target down: an earlier case found it unreachable",
                        "alvo fora do ar: um caso anterior não conseguiu alcançá-lo",
                    ),
                );
            }
            let before = restart.as_ref().map(|r| r.generation());
            let mark = restart.as_ref().map(|r| r.mark());
            let at =
                |r: &Option<Arc<dyn Restart>>| r.as_ref().and_then(|r| r.addr()).unwrap_or(target);
            let mut result = run_case(
                &case,
                protocol.as_ref(),
                at(&restart),
                &opts,
                restart.as_deref(),
            )
            .await;
            if let (Some(mark), Some(r)) = (mark, restart.as_ref()) {
                r.since(mark).attach(&mut result);
            }
            // A passing case saw the target alive at its end — unless the
            // target closed a connection, which is what a crash looks like
            // (`expect closed` passes): only then, or after a failure, is
            // it worth a probe connection.
            let passed = matches!(result.verdict, Verdict::Pass | Verdict::NonStrict);
            if passed && result.target_closed {
                // A crashing process may still accept for a moment while it
                // dies; give it that moment before asking.
                tokio::time::sleep(CRASH_GRACE).await;
            }
            // Another case found the target dead and started it again
            // while this one ran (or in the moment after): what this one
            // saw spans a crash it may have caused, so its verdict cannot
            // stand.
            if let (Some(before), Some(r)) = (before, restart.as_ref()) {
                if r.generation() > before + result.restarts {
                    revived_during(&mut result);
                    return result;
                }
            }
            if (!passed || result.target_closed)
                && !reachable(at(&restart), opts.connect_timeout).await
            {
                died(&mut result, restart.as_deref(), &down).await;
            }
            result
        });
        (index, handle, fallback)
    };
    let mut results = Vec::with_capacity(first.len() + indexed.len());
    let mut unmet = None;
    for (index, case) in first {
        let id = case.id.clone();
        let (index, handle, fallback) = spawn(index, case);
        let result = handle.await.unwrap_or(fallback);
        if unmet.is_none() && !matches!(result.verdict, Verdict::Pass | Verdict::NonStrict) {
            let actual = result
                .failure
                .as_ref()
                .map(|f| f.actual.clone())
                .unwrap_or_default();
            unmet = Some(match crate::lang::current() {
                Lang::En => format!(
                    "precondition {id} did not pass ({}: {actual}); nothing else can be graded until it does",
                    result.verdict.display()
                ),
                Lang::PtBr => format!(
                    "a pré-condição {id} não passou ({}: {actual}); nada mais pode ser avaliado até ela passar",
                    result.verdict.display()
                ),
            });
        }
        results.push((index, result));
    }
    if let Some(why) = unmet {
        for (index, case) in indexed {
            let expected = t(
                "the suite's preconditions to pass",
                "as pré-condições da suíte passarem",
            );
            results.push((index, skipped(&case, Verdict::Error, expected, &why)));
        }
        results.sort_by_key(|(i, _)| *i);
        return results.into_iter().map(|(_, r)| r).collect();
    }
    let (alone, shared): (Indexed, Indexed) = indexed
        .into_iter()
        .partition(|(_, c)| c.exclusive || c.needs_restart());
    // Every shared case has ended before the first case that runs alone
    // starts, and those run one after another in the order given: an lrv
    // sell-out must not overtake a case that still wants to buy.
    let again: std::collections::HashMap<usize, Case> =
        shared.iter().map(|(i, c)| (*i, c.clone())).collect();
    let handles: Vec<_> = shared.into_iter().map(|(i, c)| spawn(i, c)).collect();
    let mut side_by_side = Vec::new();
    for (index, handle, fallback) in handles {
        side_by_side.push((index, handle.await.unwrap_or(fallback)));
    }
    // Same target, same verdicts (docs/ARCHITECTURE.md, "Determinism"):
    // a case that did not pass while others ran beside it is run again
    // alone, and that verdict stands. One that passes alone has shown
    // something else: the target fails when it serves clients at once.
    let mut concurrent_only = Vec::new();
    for (index, result) in side_by_side {
        let retry = jobs > 1
            && protocol.cases_repeat()
            && (matches!(result.verdict, Verdict::Fail | Verdict::Error | Verdict::Unimplemented)
                // Another reading of a decision is still a step that did
                // not go as the spec chose: it may be a race, too.
                || (result.verdict == Verdict::NonStrict && result.failure.is_some()))
            && !down.load(Ordering::SeqCst);
        let Some(case) = again.get(&index).filter(|_| retry) else {
            results.push((index, result));
            continue;
        };
        let (_, handle, fallback) = spawn(index, case.clone());
        let solo = handle.await.unwrap_or(fallback);
        // Alone it did what the spec chose (or a tolerated deviation),
        // beside others it did not.
        if shortfall(&solo) <= 1 && shortfall(&result) > shortfall(&solo) {
            concurrent_only.push(result);
        }
        results.push((index, solo));
    }
    // One case that failed once beside others may be the machine's load
    // (a shared CI runner); two or more are the server.
    if concurrent_only.len() >= CONCURRENCY_EVIDENCE {
        let mut finding = concurrency_finding(protocol.name(), &concurrent_only);
        finding.authority.seed = protocol
            .concurrency_seed()
            .map(String::from)
            .into_iter()
            .collect();
        results.push((usize::MAX, finding));
    }
    for (index, case) in alone {
        let (index, handle, fallback) = spawn(index, case);
        results.push((index, handle.await.unwrap_or(fallback)));
    }
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The target stopped accepting connections during `result`'s case: the
/// case is an ERROR that says so, and the target is revived if the harness
/// started it, or reported down for every later case.
async fn died(result: &mut CaseResult, restart: Option<&dyn Restart>, down: &AtomicBool) {
    result.verdict = Verdict::Error;
    let what = match restart {
        Some(r) => match r.revive().await {
            Ok(s) => s,
            Err(e) => {
                down.store(true, Ordering::SeqCst);
                format!(
                    "{}: {e}",
                    t(
                        "the target died and could not be started again",
                        "o alvo morreu e não pôde ser iniciado de novo"
                    )
                )
            }
        },
        None => {
            down.store(true, Ordering::SeqCst);
            t(
                "the target stopped accepting connections during this case",
                "o alvo parou de aceitar conexões durante este caso",
            )
            .to_string()
        }
    };
    target_lost(result, what);
}

/// `result`'s case ran while the target died and was started again.
fn revived_during(result: &mut CaseResult) {
    result.verdict = Verdict::Error;
    let what = t(
        "the target died while this case ran and the harness started it again: this case's verdict cannot be trusted",
        "o alvo morreu durante este caso e o avaliador o iniciou de novo: o veredito deste caso não é confiável",
    );
    target_lost(result, what.into());
}

/// Adds `what` happened to the target to `result`'s failure, or makes it
/// the failure of a case that had passed.
fn target_lost(result: &mut CaseResult, what: String) {
    match result.failure.as_mut() {
        Some(f) => f.actual = format!("{}\n{what}", f.actual),
        None => {
            result.failure = Some(Failure {
                line: result.line,
                step: String::new(),
                expected: t("the target to stay up", "o alvo continuar no ar").into(),
                actual: what,
            })
        }
    }
}

async fn reachable(target: SocketAddr, within: Duration) -> bool {
    matches!(
        tokio::time::timeout(within, tokio::net::TcpStream::connect(target)).await,
        Ok(Ok(_))
    )
}

/// How many cases must fail beside others and pass alone before the run
/// says the target fails when it serves clients at once.
const CONCURRENCY_EVIDENCE: usize = 2;

/// How far a result is from a PASS: 0 PASS, 1 a tolerated deviation, 2
/// another reading of a decision, 3 a feature absent, 4 FAIL or ERROR.
fn shortfall(r: &CaseResult) -> u8 {
    match r.verdict {
        Verdict::Pass => 0,
        Verdict::NonStrict if r.failure.is_none() => 1,
        Verdict::NonStrict => 2,
        Verdict::Unimplemented => 3,
        Verdict::Skipped => 0,
        Verdict::Fail | Verdict::Error => 4,
    }
}

/// The finding of a run in which cases failed beside others and passed
/// alone: a case of its own, since serving several clients at once is what
/// a client-server assignment asks ("modelo cliente-servidor"), and the
/// cases themselves are judged by their solo verdicts.
fn concurrency_finding(protocol: &str, failed: &[CaseResult]) -> CaseResult {
    let ids: Vec<&str> = failed.iter().map(|r| r.id.as_str()).collect();
    let first = &failed[0];
    let (expected, actual) = match crate::lang::current() {
        Lang::En => (
            "the same verdict whether or not other clients are being served".to_string(),
            format!(
                "{} case(s) failed while other cases ran at the same time and passed when run alone: {}",
                ids.len(),
                ids.join(", ")
            ),
        ),
        Lang::PtBr => (
            "o mesmo veredito com ou sem outros clientes sendo atendidos".to_string(),
            format!(
                "{} caso(s) falharam enquanto outros casos rodavam ao mesmo tempo e passaram sozinhos: {}",
                ids.len(),
                ids.join(", ")
            ),
        ),
    };
    let mut result = skipped_result(
        format!("{protocol}.concurrency"),
        "fails when clients are served concurrently".into(),
        Verdict::Fail,
        &expected,
        &actual,
    );
    result.pt_br.title = Some("falha quando atende clientes ao mesmo tempo".into());
    result.why = "a server serves several clients at once; a student's server that loses state or crashes when two clients talk at the same time fails real users (each case's own verdict is the one it got alone)".into();
    result.pt_br.why = Some("um servidor atende vários clientes ao mesmo tempo; um servidor que perde estado ou cai quando dois clientes falam juntos falha com usuários reais (o veredito de cada caso é o que ele teve sozinho)".into());
    // What the first of them saw, so the report shows the bytes.
    result.exchange = first.exchange.clone();
    result.notes = Vec::new();
    if let (Some(f), Some(mine)) = (first.failure.as_ref(), result.failure.as_mut()) {
        mine.actual = format!(
            "{}\n{}: {} — {}",
            mine.actual, first.id, f.expected, f.actual
        );
    }
    result
}

fn skipped_result(
    id: String,
    title: String,
    verdict: Verdict,
    expected: &str,
    actual: &str,
) -> CaseResult {
    CaseResult {
        id,
        title,
        file: String::new(),
        line: 0,
        spec: Vec::new(),
        authority: Default::default(),
        why: String::new(),
        pt_br: Default::default(),
        verdict,
        notes: Vec::new(),
        failure: Some(Failure {
            line: 0,
            step: String::new(),
            expected: expected.into(),
            actual: actual.into(),
        }),
        exchange: Vec::new(),
        transcript: Vec::new(),
        duration: Duration::ZERO,
        target_closed: false,
        restarts: 0,
        target_output: None,
    }
}

/// A result for a case that was not run.
pub fn skipped(case: &Case, verdict: Verdict, expected: &str, actual: &str) -> CaseResult {
    let mut r = skipped_result(
        case.id.clone(),
        case.title.clone(),
        verdict,
        expected,
        actual,
    );
    r.file = case.file.clone();
    r.line = case.line;
    r.spec = case.spec.clone();
    r.authority = case.authority.clone();
    r.why = case.why.clone();
    r.pt_br = case.pt_br.clone();
    if let Some(f) = r.failure.as_mut() {
        f.line = case.line;
    }
    r
}
