//! Grading one student: reach or start the server, run every selected case
//! against it, stop what was started. Whatever goes wrong with one student
//! — a server that does not start, an address that does not resolve — is
//! that student's ERROR, never the batch's.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::guard::Guarded;
use super::ports::Ports;
use super::targets::{Exec, How, Student};
use crate::lang::{Lang, t};
use crate::protocol::Protocol;
use crate::run::{
    CaseResult, ExecSpec, ExecTarget, Restart, RunOptions, run_all, skipped_result, wait_for_port,
};
use crate::sandbox::{Limits, Sandbox};
use crate::selection::Selection;
use crate::verdict::Verdict;

/// What every student is graded with.
pub struct Plan {
    pub protocol: Arc<dyn Protocol>,
    pub selection: Selection,
    pub opts: RunOptions,
    /// Cases of one student run at the same time.
    pub case_jobs: usize,
    /// How long a `target` may take to accept its first connection.
    pub wait: Duration,
    /// How long an `exec` server may take to accept connections after each
    /// start, unless its entry says otherwise.
    pub start_timeout: Duration,
    /// How `exec` servers are confined, unless an entry says otherwise.
    pub sandbox: Sandbox,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("protocol", &self.protocol.name())
            .field("cases", &self.selection.cases.len())
            .field("excluded", &self.selection.excluded.len())
            .field("opts", &self.opts)
            .field("case_jobs", &self.case_jobs)
            .finish_non_exhaustive()
    }
}

/// One student's grade. Its texts (`target`, `error`, the results' failure
/// texts) are in the report's language (`--lang`), as a person reads them.
#[derive(Debug, Clone)]
pub struct StudentReport {
    pub name: String,
    /// The server as the report names it.
    pub target: String,
    /// Why the student could not be graded at all (every case is then an
    /// ERROR that points here); the server's output tail included.
    pub error: Option<String>,
    /// Every selected case, then every excluded one (SKIPPED).
    pub results: Vec<CaseResult>,
    pub duration: Duration,
}

/// Resolves once the batch is interrupted; never if it is not.
#[derive(Debug, Clone)]
pub struct Cancel(pub watch::Receiver<bool>);

impl Cancel {
    pub async fn wait(&self) {
        let mut rx = self.0.clone();
        if rx.wait_for(|c| *c).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Grades `student`; `None` when the batch was interrupted first.
pub async fn grade(
    plan: &Plan,
    student: &Student,
    ports: &Ports,
    cancel: &Cancel,
) -> Option<StudentReport> {
    let clock = Instant::now();
    let graded = match &student.how {
        How::Target(t) => target(plan, t, cancel).await,
        How::Exec(e) => {
            let lease = match e.port {
                Some(p) => Ok(ports.fixed(p)),
                None => ports.free(),
            };
            match lease {
                Ok(lease) => {
                    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, lease.port));
                    exec(plan, e, addr, cancel).await
                }
                Err(err) => Some(failed(
                    &format!("`{}`", e.command),
                    format!(
                        "{}: {err}",
                        t(
                            "no free port on 127.0.0.1 for the server",
                            "nenhuma porta livre em 127.0.0.1 para o servidor"
                        )
                    ),
                )),
            }
        }
    }?;
    let (mut results, error) = match graded.outcome {
        Ok(results) => (results, None),
        Err(why) => (not_run(plan), Some(why)),
    };
    for (case, reason) in &plan.selection.excluded {
        results.push(skipped_result(
            case,
            Verdict::Skipped,
            "",
            &format!("{}: {reason}", t("excluded", "excluído")),
        ));
    }
    Some(StudentReport {
        name: student.name.clone(),
        target: graded.target,
        error,
        results,
        duration: clock.elapsed(),
    })
}

struct Graded {
    target: String,
    outcome: Result<Vec<CaseResult>, String>,
}

async fn target(plan: &Plan, target: &str, cancel: &Cancel) -> Option<Graded> {
    let addr = match tokio::net::lookup_host(target).await.map(|mut a| a.next()) {
        Ok(Some(addr)) => addr,
        Ok(None) => {
            let why = match crate::lang::current() {
                Lang::En => format!("{target} resolved to no address"),
                Lang::PtBr => format!("{target} não corresponde a nenhum endereço"),
            };
            return Some(failed(target, why));
        }
        Err(e) => {
            let why = match crate::lang::current() {
                Lang::En => format!("cannot resolve {target}: {e}"),
                Lang::PtBr => format!("não foi possível resolver {target}: {e}"),
            };
            return Some(failed(target, why));
        }
    };
    let up = tokio::select! {
        r = wait_for_port(addr, plan.wait) => r,
        () = cancel.wait() => return None,
    };
    if let Err(e) = up {
        return Some(failed(target, e));
    }
    let results = tokio::select! {
        r = run(plan, addr, None) => r,
        () = cancel.wait() => return None,
    };
    Some(Graded {
        target: target.to_string(),
        outcome: Ok(results),
    })
}

async fn exec(plan: &Plan, e: &Exec, addr: SocketAddr, cancel: &Cancel) -> Option<Graded> {
    let sandbox = match e.sandbox {
        None => Ok(plan.sandbox.clone()),
        Some(mode) => Sandbox::resolve(mode, plan.sandbox.limits.clone()).map(|(s, note)| {
            if let Some(note) = note {
                eprintln!("conformance grade: {note}");
            }
            s
        }),
    };
    let sandbox = match sandbox {
        Ok(s) => s,
        Err(why) => return Some(failed(&format!("`{}`", e.command), why)),
    };
    let wall = sandbox.limits.wall;
    let spec = ExecSpec {
        command: e.command.clone(),
        cwd: e.cwd.clone(),
        env: e.env.clone(),
        addr,
        start_timeout: e.start_timeout.unwrap_or(plan.start_timeout),
        sandbox,
    };
    let described = format!("`{}` {} {addr}", spec.shell_command(), t("on", "em"));
    // Dropped mid-start on interruption, the half-started target kills its
    // process group itself.
    let started = tokio::select! {
        r = ExecTarget::start(spec) => r,
        () = cancel.wait() => return None,
    };
    let target = match started {
        Ok(t) => Arc::new(Guarded::new(t)),
        Err(why) => return Some(failed(&described, why)),
    };
    let described = format!("{described} (--sandbox {})", target.confinement());
    let restart: Arc<dyn Restart> = target.clone();
    let results = tokio::select! {
        r = tokio::time::timeout(wall, run(plan, addr, Some(restart))) => {
            Some(r.map_err(|_| Limits::wall_ran_out(wall)))
        }
        () = cancel.wait() => None,
    };
    if let Err(why) = target.close().await {
        eprintln!(
            "conformance grade: {} {described}: {why}",
            t("stopping", "parando")
        );
    }
    Some(Graded {
        target: described,
        outcome: results?,
    })
}

async fn run(plan: &Plan, addr: SocketAddr, restart: Option<Arc<dyn Restart>>) -> Vec<CaseResult> {
    run_all(
        plan.selection.cases.clone(),
        plan.protocol.clone(),
        addr,
        plan.opts.clone(),
        plan.case_jobs,
        restart,
    )
    .await
}

fn failed(target: &str, why: String) -> Graded {
    Graded {
        target: target.to_string(),
        outcome: Err(why),
    }
}

/// Every selected case as an ERROR that points at the student's error,
/// rather than repeating the server's output in each.
fn not_run(plan: &Plan) -> Vec<CaseResult> {
    plan.selection
        .cases
        .iter()
        .map(|c| {
            skipped_result(
                c,
                Verdict::Error,
                t(
                    "the target to accept connections",
                    "o alvo aceitar conexões",
                ),
                t(
                    "not run: the server could not be started or reached (the student's error says why)",
                    "não rodou: o servidor não pôde ser iniciado nem alcançado (o erro do aluno diz por quê)",
                ),
            )
        })
        .collect()
}
