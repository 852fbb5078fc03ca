//! The student zoo (issue 13, "How it is proven"): small Python servers
//! written as students write them, each with one behaviour seen in real
//! classroom servers, and for each, written by hand from the seed, the
//! verdict every case must get (`tests/zoo/*.toml`, format in
//! `tests/zoo/README.md`). The harness is run on every zoo server three
//! times in a row with `--exec`; each run must give exactly the expected
//! verdicts, and the three runs the same ones.
//!
//! `ZOO=zap_base,zap_recv256 cargo test -p gabarito-conformance --test zoo`
//! runs only those servers; `ZOO_JOBS=N` runs N harnesses at a time. The
//! JSON report of every run is kept in `$CARGO_TARGET_TMPDIR/zoo/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// Runs of the harness per server; their verdicts must be identical.
const RUNS: usize = 3;
/// Harness runs at the same time, unless `ZOO_JOBS` says otherwise. A run
/// mostly waits (replies, silences, restarts), but more than five at once
/// on two cores make timing, not the server, decide verdicts.
const AT_ONCE: usize = 5;
/// A run that takes longer than this is killed and reported.
const RUN_LIMIT: Duration = Duration::from_secs(240);

const VERDICTS: [&str; 6] = [
    "PASS",
    "NON-STRICT",
    "UNIMPLEMENTED",
    "SKIPPED",
    "FAIL",
    "ERROR",
];

fn zoo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/zoo")
}

fn seed_text(protocol: &str) -> String {
    let file = match protocol {
        "zap" => "001_zap_enunciado.txt",
        "lrv" => "000_lrv_rifa.txt",
        other => panic!("no seed for protocol {other}"),
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/seeds")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    squash(&text)
}

/// Whitespace runs as one space, so a quote may be wrapped differently.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One `.toml` file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    server: String,
    protocol: String,
    behaviour: String,
    include: Option<String>,
    default: Option<Vec<String>>,
    default_decision: Option<String>,
    default_reading: Option<String>,
    #[serde(default)]
    case: Vec<Entry>,
}

/// The verdicts one case may get, and why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    verdicts: Vec<String>,
    seed: Option<String>,
    decision: Option<String>,
    reading: Option<String>,
    why: Option<String>,
    /// The server's own data race decides this case when cases run side
    /// by side (state in a file without a lock): any of `verdicts`, in any
    /// run. The harness cannot make a racy server deterministic; it reports
    /// the race as `<protocol>.concurrency` when it sees it.
    race: Option<String>,
}

/// A zoo server and what every case must get on it, includes resolved.
#[derive(Debug)]
struct Expected {
    name: String,
    server: PathBuf,
    protocol: String,
    behaviour: String,
    /// Verdicts allowed for a case not listed.
    default: Vec<String>,
    cases: BTreeMap<String, Entry>,
}

impl Expected {
    fn allowed(&self, id: &str) -> &[String] {
        self.cases
            .get(id)
            .map_or(self.default.as_slice(), |e| e.verdicts.as_slice())
    }

    /// The cases that must FAIL.
    fn must_fail(&self) -> BTreeSet<String> {
        self.cases
            .values()
            .filter(|e| e.verdicts == ["FAIL"])
            .map(|e| e.id.clone())
            .collect()
    }
}

fn read_file(name: &str) -> File {
    let path = zoo_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads `name` and what it includes: entries of the including file
/// replace the included ones case by case, and its `default` replaces the
/// included default.
fn load(name: &str) -> Expected {
    let file = read_file(name);
    let (mut cases, mut default) = match &file.include {
        Some(inner) => {
            let inner = load(inner);
            (inner.cases, inner.default)
        }
        None => (BTreeMap::new(), vec!["PASS".to_string()]),
    };
    for entry in file.case {
        cases.insert(entry.id.clone(), entry);
    }
    if let Some(d) = file.default {
        default = d;
    }
    Expected {
        name: name.trim_end_matches(".toml").to_string(),
        server: zoo_dir().join(&file.server),
        protocol: file.protocol,
        behaviour: file.behaviour,
        default,
        cases,
    }
}

fn all_expectations() -> Vec<Expected> {
    let mut names: Vec<String> = std::fs::read_dir(zoo_dir())
        .expect("the zoo directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    names.iter().map(|n| load(n)).collect()
}

/// Every reason a `.toml` file is not a usable expectation, as text.
fn check_file(name: &str) -> Vec<String> {
    let file = read_file(name);
    let seed = seed_text(&file.protocol);
    let mut problems = Vec::new();
    let mut say = |what: String| problems.push(format!("{name}: {what}"));
    if !zoo_dir().join(&file.server).is_file() {
        say(format!("server {} does not exist", file.server));
    }
    if file.behaviour.trim().is_empty() {
        say("empty behaviour".into());
    }
    if let Some(d) = &file.default {
        if d.iter().any(|v| v == "FAIL") {
            say("a default that allows FAIL: every FAIL is listed with its seed sentence".into());
        }
        if d.iter().any(|v| v == "NON-STRICT")
            && (file.default_decision.is_none() || file.default_reading.is_none())
        {
            say("a NON-STRICT default needs default_decision and default_reading".into());
        }
    }
    let mut seen = BTreeSet::new();
    for e in &file.case {
        if !seen.insert(e.id.clone()) {
            say(format!("{} is listed twice", e.id));
        }
        if !e.id.starts_with(&format!("{}.", file.protocol)) {
            say(format!("{} is not a {} case", e.id, file.protocol));
        }
        if e.verdicts.is_empty() {
            say(format!("{}: no verdict", e.id));
        }
        for v in &e.verdicts {
            if !VERDICTS.contains(&v.as_str()) {
                say(format!("{}: {v} is not a verdict", e.id));
            }
        }
        let fail = e.verdicts.iter().any(|v| v == "FAIL");
        if fail && e.verdicts.len() > 1 {
            say(format!(
                "{}: FAIL with other verdicts; a FAIL is exact",
                e.id
            ));
        }
        if fail {
            match &e.seed {
                None => say(format!(
                    "{}: a FAIL without the seed sentence it breaks",
                    e.id
                )),
                Some(q) if !seed.contains(&squash(q)) => {
                    say(format!("{}: not in the seed, word for word: {q:?}", e.id));
                }
                Some(_) => {}
            }
        } else if e.seed.is_some() {
            say(format!("{}: a seed sentence without a FAIL", e.id));
        }
        if e.verdicts.iter().any(|v| v == "NON-STRICT")
            && (e.decision.is_none() || e.reading.is_none())
        {
            say(format!(
                "{}: a NON-STRICT needs the decision and the reading the server took",
                e.id
            ));
        }
        if !fail && !e.verdicts.iter().any(|v| v == "NON-STRICT") && e.why.is_none() {
            say(format!("{}: say why", e.id));
        }
    }
    problems
}

#[test]
fn every_expectation_quotes_the_seed_and_says_why() {
    let mut names: Vec<String> = std::fs::read_dir(zoo_dir())
        .expect("the zoo directory")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let tomls: Vec<&String> = names.iter().filter(|n| n.ends_with(".toml")).collect();
    let servers: Vec<&String> = names.iter().filter(|n| n.ends_with(".py")).collect();
    assert!(
        tomls.len() >= 15,
        "the zoo has {} expectations",
        tomls.len()
    );
    let mut problems: Vec<String> = tomls.iter().flat_map(|n| check_file(n)).collect();
    // Every server that is run has its expectation (a module such as a
    // base class is still a server of its own).
    for py in servers {
        let toml = py.replace(".py", ".toml");
        if !tomls.contains(&&toml) {
            problems.push(format!("{py} has no {toml}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// One run of the harness on one zoo server.
struct Run {
    verdicts: BTreeMap<String, String>,
    wall: Duration,
    /// What went wrong running it, if anything did.
    trouble: Option<String>,
}

/// Where the JSON report of run `n` of `name` is kept.
fn kept_report(name: &str, n: usize) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("zoo")
        .join(format!("{name}.{n}.json"))
}

fn run_harness(e: &Expected, n: usize) -> Run {
    let dir = tempfile::tempdir().expect("a temp dir");
    let report = kept_report(&e.name, n);
    let _ = std::fs::remove_file(&report);
    let cwd = dir.path().join("cwd");
    std::fs::create_dir(&cwd).expect("the server's directory");
    let exec = format!("python3 '{}' {{port}}", e.server.display());
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["--protocol", &e.protocol, "--exec", &exec, "--cwd"])
        .arg(&cwd)
        .args(["--env", "PYTHONDONTWRITEBYTECODE=1", "--format", "json"])
        // Patience for a shared, loaded test machine (several harnesses and
        // their servers on two cores): a reply must not miss `--timeout`,
        // nor a late one slip past `--quiet`, because of the machine.
        .args(["--quiet", "400ms", "--timeout", "3s"])
        .arg("--output")
        .arg(&report)
        .env_remove("RUST_LOG")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the conformance binary starts");
    let mut stderr = child.stderr.take().expect("its stderr");
    let drain = thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the harness") {
            break Some(status);
        }
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(100));
    };
    let wall = started.elapsed();
    let stderr = drain.join().unwrap_or_default();
    let mut run = Run {
        verdicts: BTreeMap::new(),
        wall,
        trouble: None,
    };
    match status {
        None => {
            run.trouble = Some(format!("killed after {RUN_LIMIT:?}"));
            return run;
        }
        Some(s) if !matches!(s.code(), Some(0 | 1)) => {
            run.trouble = Some(format!("the harness exited with {s}: {stderr}"));
            return run;
        }
        Some(_) => {}
    }
    let json: serde_json::Value = match std::fs::read_to_string(&report)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(err) => {
            run.trouble = Some(format!("no JSON report: {err}; {stderr}"));
            return run;
        }
    };
    for case in json["cases"].as_array().into_iter().flatten() {
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let verdict = case["verdict"].as_str().unwrap_or("?").to_string();
        run.verdicts.insert(id, verdict);
    }
    run
}

/// "1 2 3": the runs (counted from 1) in `runs`.
fn numbered(runs: &[usize]) -> String {
    runs.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the runs of one server show against its expectation: a summary
/// to print, and the problems, each once with the runs it was seen in.
fn grade(e: &Expected, runs: &[Run]) -> (String, Vec<String>) {
    let walls: Vec<String> = runs
        .iter()
        .map(|r| format!("{:.1}s", r.wall.as_secs_f64()))
        .collect();
    let must_fail = e.must_fail();
    let mut summary = format!("{} ({}): wall {}", e.name, e.behaviour, walls.join(" "));
    let _ = write!(
        summary,
        "\n    expected FAIL: {}",
        must_fail.iter().cloned().collect::<Vec<_>>().join(" ")
    );
    // problem text -> the runs it was seen in
    let mut seen: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, run) in runs.iter().enumerate() {
        let n = i + 1;
        if let Some(t) = &run.trouble {
            seen.entry(t.clone()).or_default().push(n);
            continue;
        }
        let failed: Vec<&str> = run
            .verdicts
            .iter()
            .filter(|(_, v)| *v == "FAIL")
            .map(|(id, _)| id.as_str())
            .collect();
        let _ = write!(summary, "\n    run {n} FAIL: {}", failed.join(" "));
        for (id, verdict) in &run.verdicts {
            let allowed = e.allowed(id);
            if !allowed.contains(verdict) {
                let p = format!("{id} is {verdict}, expected {}", allowed.join(" or "));
                seen.entry(p).or_default().push(n);
            }
        }
        for id in e.cases.keys() {
            if !run.verdicts.contains_key(id) {
                let p = format!("{id} is expected but was not run");
                seen.entry(p).or_default().push(n);
            }
        }
    }
    let graded: Vec<(usize, &Run)> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.trouble.is_none())
        .map(|(i, r)| (i + 1, r))
        .collect();
    if let Some((first_n, first)) = graded.first() {
        for (n, run) in &graded[1..] {
            let ids: BTreeSet<&String> = first.verdicts.keys().chain(run.verdicts.keys()).collect();
            for id in ids {
                if e.cases.get(id.as_str()).is_some_and(|c| c.race.is_some()) {
                    continue;
                }
                let a = first.verdicts.get(id).map_or("-", String::as_str);
                let b = run.verdicts.get(id).map_or("-", String::as_str);
                if a != b {
                    let p =
                        format!("{id} differs between runs: {a} in run {first_n}, {b} in run {n}");
                    seen.entry(p).or_default().push(*n);
                }
            }
        }
    }
    let problems = seen
        .into_iter()
        .map(|(p, runs)| format!("{p} (run {})", numbered(&runs)))
        .collect();
    (summary, problems)
}

#[test]
fn every_zoo_server_gets_the_verdicts_a_careful_grader_writes() {
    let python = Command::new("python3").arg("--version").output();
    assert!(
        python.is_ok_and(|o| o.status.success()),
        "python3 is needed to run the zoo servers"
    );
    let only: Option<Vec<String>> = std::env::var("ZOO")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let jobs: usize = std::env::var("ZOO_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(AT_ONCE);
    let zoo: Vec<Expected> = all_expectations()
        .into_iter()
        .filter(|e| only.as_ref().is_none_or(|o| o.contains(&e.name)))
        .collect();
    assert!(!zoo.is_empty(), "no zoo server selected");
    std::fs::create_dir_all(kept_report("", 0).parent().expect("the zoo report dir"))
        .expect("the zoo report dir");
    let started = Instant::now();
    // Every run of every server is one job; the first runs of all servers
    // go first, so one slow server does not hold the end of the queue.
    let mut queue: Vec<(usize, usize)> = (0..RUNS)
        .flat_map(|run| (0..zoo.len()).map(move |server| (server, run)))
        .collect();
    queue.reverse();
    let queue = Mutex::new(queue);
    let done: Mutex<BTreeMap<(usize, usize), Run>> = Mutex::new(BTreeMap::new());
    thread::scope(|s| {
        for _ in 0..jobs.min(RUNS * zoo.len()) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().expect("the queue").pop();
                    let Some((server, run)) = next else { break };
                    let result = run_harness(&zoo[server], run + 1);
                    done.lock().expect("the runs").insert((server, run), result);
                }
            });
        }
    });
    let mut done = done.into_inner().expect("the runs");
    let mut report = String::new();
    for (i, e) in zoo.iter().enumerate() {
        let runs: Vec<Run> = (0..RUNS).filter_map(|run| done.remove(&(i, run))).collect();
        let (summary, problems) = grade(e, &runs);
        eprintln!("{summary}");
        for p in problems {
            let _ = writeln!(report, "{}: {p}", e.name);
        }
    }
    eprintln!(
        "zoo: {} servers × {RUNS} runs, {jobs} at a time, in {:.1}s; reports in {}",
        zoo.len(),
        started.elapsed().as_secs_f64(),
        kept_report("", 0)
            .parent()
            .expect("the zoo report dir")
            .display()
    );
    assert!(report.is_empty(), "verdicts not as expected:\n{report}");
}
