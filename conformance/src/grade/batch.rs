//! Grading a class: up to `jobs` students at a time, each on a port of its
//! own, started in the targets file's order — except that a student whose
//! fixed `port` another running student holds waits, and the next one
//! goes first (a class whose servers all hard-code 5000 is graded one
//! student after another, the others beside them). Reports come back in
//! the file's order. Interrupted, no student is started any more and every
//! running one stops its server before the batch returns.
//!
//! `jobs` is small by default because each student's cases already run
//! concurrently (`case_jobs`): about 3 × jobs × case_jobs connections are
//! open at once, and student servers are often slow or single-threaded.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use super::ports::Ports;
use super::progress::Progress;
use super::student::{Cancel, Plan, StudentReport, grade};
use super::targets::{How, Student};

/// Grades every student; `None` when `cancel` fired before all finished.
pub async fn grade_all(
    plan: Arc<Plan>,
    students: Vec<Student>,
    jobs: usize,
    cancel: Cancel,
    progress: Arc<Progress>,
) -> Option<Vec<StudentReport>> {
    let fixed = |s: &Student| match &s.how {
        How::Exec(e) => e.port,
        How::Target(_) => None,
    };
    let ports = Arc::new(Ports::new(students.iter().filter_map(fixed)));
    let ticker = progress.live().then(|| {
        let progress = progress.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_millis(500));
            loop {
                every.tick().await;
                progress.tick();
            }
        })
    });
    let mut pending: VecDeque<usize> = (0..students.len()).collect();
    let mut busy: HashSet<u16> = HashSet::new();
    let mut tasks = JoinSet::new();
    let mut running: HashMap<tokio::task::Id, usize> = HashMap::new();
    let mut reports: Vec<Option<StudentReport>> = vec![None; students.len()];
    loop {
        while running.len() < jobs.max(1) && !*cancel.0.borrow() {
            let Some(at) = pending
                .iter()
                .position(|&i| fixed(&students[i]).is_none_or(|p| !busy.contains(&p)))
            else {
                break;
            };
            let Some(index) = pending.remove(at) else {
                break;
            };
            let student = students[index].clone();
            busy.extend(fixed(&student));
            progress.started(&student.name);
            let (plan, ports, cancel, progress) = (
                plan.clone(),
                ports.clone(),
                cancel.clone(),
                progress.clone(),
            );
            let task = tasks.spawn(async move {
                let report = grade(&plan, &student, &ports, &cancel).await;
                if let Some(r) = &report {
                    progress.finished(r);
                }
                report
            });
            running.insert(task.id(), index);
        }
        let Some(joined) = tasks.join_next_with_id().await else {
            break;
        };
        let (id, report) = match joined {
            Ok((id, report)) => (id, report),
            Err(e) => (e.id(), failed(&students, &running, &e, &progress)),
        };
        if let Some(index) = running.remove(&id) {
            if let Some(p) = fixed(&students[index]) {
                busy.remove(&p);
            }
            reports[index] = report;
        }
    }
    if let Some(t) = ticker {
        t.abort();
    }
    progress.clear();
    reports.into_iter().collect()
}

/// A grading task that panicked: a bug in the harness, that student's
/// ERROR rather than the end of the batch.
fn failed(
    students: &[Student],
    running: &HashMap<tokio::task::Id, usize>,
    e: &tokio::task::JoinError,
    progress: &Progress,
) -> Option<StudentReport> {
    let index = *running.get(&e.id())?;
    let report = StudentReport {
        name: students[index].name.clone(),
        target: String::new(),
        error: Some(format!(
            "{}: {e}",
            crate::lang::t(
                "the harness failed while grading this student (a bug in gabarito: please report it)",
                "o avaliador falhou ao avaliar este aluno (um bug do gabarito: por favor, relate-o)"
            )
        )),
        results: Vec::new(),
        duration: Duration::ZERO,
    };
    progress.finished(&report);
    Some(report)
}
