//! `conformance grade`: a class of reference servers — conformant, faulty,
//! quirky, and one that cannot start — graded in one batch into a console
//! table, summary.csv, summary.json and an HTML report; a bad targets file
//! refused before anything runs; Ctrl-C leaves no server behind. Every
//! server listens on 127.0.0.1.

mod common;

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::binary::{processes_mentioning, reference_server};
use serde_json::Value;

/// Few cases from each of four sections, so the batch stays short: §5
/// registration, §7 delivered receipts, §10 a malformed frame, §11 a
/// restart.
const FILTER: &[&str] = &[
    "--filter",
    "zap.5.2",
    "--filter",
    "zap.7.1",
    "--filter",
    "zap.10.1.unknown-code",
    "--filter",
    "zap.11.1.users-survive-restart",
    "--filter",
    "zap.11.1.pending-survive-restart",
    // Losing state across a restart is another reading of the seed (zap
    // D23, NON-STRICT); ids handed out again are not.
    "--filter",
    "zap.11.1.no-id-reuse-after-restart",
];

const EVE: &str = "eve<script>x</script>";

fn conformance(dir: &Path, args: &[&str]) -> Output {
    common::binary::conformance_in(Some(dir), args)
}

/// An `exec` line for a reference server storing in `dir/data-NAME`.
fn exec_line(dir: &Path, name: &str, extra: &str) -> String {
    let cmd = format!(
        "'{}' --listen 127.0.0.1:{{port}} --data-dir '{}' {extra}",
        reference_server().display(),
        dir.join(format!("data-{name}")).display()
    );
    format!("exec = {}", toml_string(&cmd))
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local addr").port()
}

/// The class: alice conformant; bob without 07 (§7), carol losing her
/// store on restart (§11), dave crashing on a malformed frame (§10), eve
/// greeting with a banner (tolerated) and named to test escaping; frank's
/// server dies at start. alice and eve share a fixed port, so they must
/// take turns.
fn class(dir: &Path) -> String {
    let frank = dir.join("frank");
    std::fs::create_dir_all(&frank).expect("frank's directory");
    std::fs::write(
        frank.join("servidor.sh"),
        "echo 'Traceback (most recent call last):' >&2\n\
         echo \"ModuleNotFoundError: No module named 'zap'\" >&2\n\
         exit 3\n",
    )
    .expect("frank's server");
    let shared = free_port();
    format!(
        "[[student]]\nname = \"alice\"\n{}\nport = {shared}\n\n\
         [[student]]\nname = \"bob\"\n{}\n\n\
         [[student]]\nname = \"carol\"\n{}\n\n\
         [[student]]\nname = \"dave\"\n{}\n\n\
         [[student]]\nname = {}\n{}\nport = {shared}\n\n\
         [[student]]\nname = \"frank\"\nexec = \"sh servidor.sh\"\ncwd = \"frank\"\n",
        exec_line(dir, "alice", ""),
        exec_line(
            dir,
            "bob",
            "--fault no-delivered-receipt --i-know-this-is-broken"
        ),
        exec_line(dir, "carol", "--fault lose-state --i-know-this-is-broken"),
        exec_line(
            dir,
            "dave",
            "--fault crash-on-malformed --i-know-this-is-broken"
        ),
        toml_string(EVE),
        exec_line(dir, "eve", "--quirk banner"),
    )
}

/// The console table by student: section cells, then total, score, time.
fn table(stdout: &str) -> (Vec<String>, HashMap<String, Vec<String>>) {
    table_headed(stdout, "student")
}

/// [`table`], whose header line starts with `first` (`aluno` in pt-BR).
fn table_headed(stdout: &str, first: &str) -> (Vec<String>, HashMap<String, Vec<String>>) {
    let mut lines = stdout.lines();
    let header: Vec<String> = lines
        .find(|l| l.starts_with(first))
        .expect("a header line")
        .split_whitespace()
        .skip(1)
        .map(String::from)
        .collect();
    let rows = lines
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            let mut cells: Vec<String> = l.split_whitespace().map(String::from).collect();
            let name = cells.remove(0);
            (name, cells)
        })
        .collect();
    (header, rows)
}

/// `(passed, graded)` of a `p/g` cell.
fn fraction(cell: &str) -> (usize, usize) {
    let (p, g) = cell.split_once('/').expect("a p/g cell");
    (p.parse().expect("passed"), g.parse().expect("graded"))
}

/// A small RFC 4180 reader: quoted fields with doubled quotes and line
/// breaks, CRLF records.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "an unterminated quoted field");
    assert!(
        field.is_empty() && row.is_empty(),
        "the last record ends in CRLF"
    );
    rows
}

/// Every element closed in order (void elements aside): the pages must
/// parse the same in any browser, whatever a student's server sent.
fn assert_balanced(html: &str, what: &str) {
    const VOID: &[&str] = &["meta", "br", "hr", "img", "input", "link", "wbr"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let Some(end) = rest[at..].find('>') else {
            panic!("{what}: an unclosed `<` at {}", &rest[at..]);
        };
        let tag = &rest[at + 1..at + end];
        rest = &rest[at + end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            !name.is_empty(),
            "{what}: a `<` that starts no tag: <{tag}>"
        );
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "{what}: </{name}> closes the wrong element"
            );
        } else if !VOID.contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "{what}: never closed: {stack:?}");
}

fn assert_no_markup_from(html: &str, what: &str) {
    assert!(
        !html.to_ascii_lowercase().contains("<script"),
        "{what}: a <script> element"
    );
}

#[test]
fn a_class_is_graded_into_a_table_csv_json_and_html() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let targets = dir.path().join("class.toml");
    std::fs::write(&targets, class(dir.path())).expect("the targets file");
    let out = dir.path().join("report");
    let mut args = vec![
        "grade",
        "class.toml",
        // The servers are the reference-server binary in target/, which a
        // sandbox does not show (tests/sandbox.rs grades in one).
        "--sandbox",
        "none",
        "--jobs",
        "2",
        // The default reply timeout: on a loaded 2-core machine a shorter
        // one turned a correct server's reply into a FAIL.
        "--timeout",
        "2s",
        "--out",
        "report",
    ];
    args.extend_from_slice(FILTER);
    let o = conformance(dir.path(), &args);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    );
    let all = format!("{stdout}\n--- stderr\n{stderr}");
    println!("{all}");
    assert_eq!(o.status.code(), Some(1), "frank's ERROR makes 1:\n{all}");

    let (header, rows) = table(&stdout);
    assert_eq!(
        header,
        ["§5", "§7", "§9", "§10", "§11", "total", "score", "time"],
        "{all}"
    );
    for name in ["alice", "bob", "carol", "dave", EVE, "frank"] {
        assert!(rows.contains_key(name), "no row for {name}:\n{all}");
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with('[') && l.contains(name)),
            "no progress line for {name}:\n{all}"
        );
    }
    let cell = |name: &str, col: &str| -> String {
        let i = header.iter().position(|h| h == col).expect("a column");
        rows[name][i].clone()
    };
    for col in ["§5", "§7", "§10", "§11", "total"] {
        let (p, g) = fraction(&cell("alice", col));
        assert!(g > 0 && p == g, "alice passes all of {col}:\n{all}");
        let (p, g) = fraction(&cell(EVE, col));
        assert!(p == g, "a banner is tolerated ({col}):\n{all}");
    }
    assert_eq!(cell("alice", "score"), "100.0%");
    let lower = |name: &str, col: &str| {
        let (p, g) = fraction(&cell(name, col));
        assert!(p < g, "{name} must lose points in {col}:\n{all}");
    };
    lower("bob", "§7");
    lower("carol", "§11");
    assert_eq!(cell("carol", "§10"), "1/1", "{all}");
    assert_eq!(cell("dave", "§10"), "0/1", "{all}");
    for name in ["bob", "carol", "dave"] {
        lower(name, "total");
    }
    assert_eq!(cell("frank", "total"), "ERROR", "{all}");
    assert!(
        stdout.contains("frank: ERROR:") && stdout.contains("exited at start"),
        "{all}"
    );
    assert!(stdout.contains("ModuleNotFoundError"), "{all}");

    let csv = std::fs::read_to_string(out.join("summary.csv")).expect("summary.csv");
    let records = read_csv(&csv);
    assert_eq!(records.len(), 7, "a header and 6 students:\n{csv}");
    let col = |name: &str| {
        records[0]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", records[0]))
    };
    assert!(records.iter().all(|r| r.len() == records[0].len()), "{csv}");
    let names: Vec<&str> = records[1..]
        .iter()
        .map(|r| r[col("student")].as_str())
        .collect();
    assert_eq!(names, ["alice", "bob", "carol", "dave", EVE, "frank"]);
    let frank = &records[6];
    assert_eq!(frank[col("status")], "ERROR");
    assert_eq!(frank[col("§7 passed")], "");
    assert!(frank[col("error")].contains("ModuleNotFoundError: No module named 'zap'"));
    assert!(
        frank[col("error")].contains('\n'),
        "a line break survives quoting"
    );
    let bob = &records[2];
    assert_eq!(
        format!("{}/{}", bob[col("§7 passed")], bob[col("§7 graded")]),
        cell("bob", "§7"),
        "the CSV and the console agree"
    );

    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("summary.json")).expect("summary.json"),
    )
    .expect("summary.json parses");
    assert_eq!(json["schema"], "gabarito-grade/1");
    let students = json["students"].as_array().expect("students");
    assert_eq!(students.len(), 6);
    for s in students {
        assert_eq!(s["report"]["schema"], "gabarito-conformance/1", "{s}");
        assert!(!s["report"]["cases"].as_array().expect("cases").is_empty());
    }
    assert_eq!(students[5]["status"], "ERROR");
    assert_eq!(students[1]["status"], "graded");
    let bob_failed = students[1]["report"]["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .any(|c| c["id"] == "zap.7.1.delivered-online" && c["verdict"] == "FAIL");
    assert!(bob_failed, "bob's full results are in the JSON");

    let index = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(index.contains("<html lang=\"en\">"), "{index}");
    assert_balanced(&index, "index.html");
    assert_no_markup_from(&index, "index.html");
    assert!(
        index.contains("eve&lt;script&gt;x&lt;/script&gt;"),
        "{index}"
    );
    for s in students {
        let name = s["name"].as_str().expect("a name");
        let page_path = s["page"].as_str().expect("a page");
        assert!(
            index.contains(&format!("href=\"{page_path}\"")),
            "index.html links {page_path}"
        );
        assert!(!page_path.contains('<') && !page_path[9..].contains('/'));
        let page = std::fs::read_to_string(out.join(page_path)).expect("the student's page");
        assert_balanced(&page, page_path);
        assert_no_markup_from(&page, page_path);
        let escaped = name.replace('<', "&lt;").replace('>', "&gt;");
        assert!(page.contains(&format!("<h1>{escaped}</h1>")), "{page_path}");
        assert!(
            index.contains(&format!(">{escaped}</a>")),
            "{name} in index.html"
        );
    }
    let bob_page = std::fs::read_to_string(out.join("students/bob.html")).expect("bob.html");
    assert!(bob_page.contains("<code>zap.7.1.delivered-online</code>"));
    assert!(bob_page.contains("<dt>expected</dt>"));
    assert!(
        bob_page.contains("&quot;01&quot;"),
        "the escaped bytes of the exchange"
    );
    let frank_page = std::fs::read_to_string(out.join("students/frank.html")).expect("frank.html");
    assert!(frank_page.contains("No module named &#39;zap&#39;"));

    chromium_renders_the_table(&out.join("index.html"), students.len());

    let left = processes_mentioning(&dir.path().display().to_string());
    assert!(left.is_empty(), "processes left behind: {left:?}");
}

/// The table as a browser builds it, where one is installed.
fn chromium_renders_the_table(index: &Path, students: usize) {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        println!(
            "note: /usr/bin/chromium is not installed; index.html was not loaded in a browser"
        );
        return;
    }
    let profile = tempfile::tempdir().expect("a profile dir");
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            &format!("--user-data-dir={}", profile.path().display()),
            "--dump-dom",
            &format!("file://{}", index.display()),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&o.stdout);
    let body = dom
        .split_once("<tbody>")
        .and_then(|(_, b)| b.split_once("</tbody>"))
        .map(|(b, _)| b)
        .unwrap_or_else(|| panic!("no table body in the DOM:\n{dom}"));
    assert_eq!(body.matches("<tr").count(), students, "{dom}");
    assert!(body.contains("eve&lt;script&gt;x&lt;/script&gt;"), "{dom}");
    assert!(!dom.contains("<script"), "{dom}");
}

#[test]
fn a_bad_targets_file_is_refused_before_anything_runs() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/grade");
    let dir = tempfile::tempdir().expect("a temp dir");
    let invalid = fixtures.join("invalid.toml");
    let o = conformance(dir.path(), &["grade", &invalid.display().to_string()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let file = invalid.display().to_string();
    for (line, key) in [(10, "name"), (16, "exec"), (18, "target"), (24, "cwd")] {
        assert!(
            err.contains(&format!("{file}:{line}: `{key}`:")),
            "no error at line {line} for `{key}`:\n{err}"
        );
    }
    let unknown = fixtures.join("unknown-key.toml");
    let o = conformance(dir.path(), &["grade", &unknown.display().to_string()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{}:7:", unknown.display())) && err.contains("`comand`"),
        "{err}"
    );
    assert!(
        !dir.path().join("grade-started").exists(),
        "a student's command ran"
    );
    assert!(
        !dir.path().join("grade-report").exists(),
        "no report for a batch that never ran"
    );
}

/// A `reference-server` process on a free port, and its address.
fn running_server(data: &Path) -> (Child, String) {
    running_server_with(data, &[])
}

/// [`running_server`] with more arguments (`--fault …`).
fn running_server_with(data: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(reference_server())
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .args(extra)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("reference-server starts");
    let stdout = child.stdout.take().expect("its stdout");
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("listening on"))
        .expect("it says where it listens");
    let addr = line.rsplit(' ').next().expect("an address").to_string();
    (child, addr)
}

#[test]
fn a_running_target_is_graded_without_restarts_and_an_unreachable_one_is_an_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (mut server, addr) = running_server(&dir.path().join("data"));
    let closed = format!("127.0.0.1:{}", free_port());
    std::fs::write(
        dir.path().join("class.toml"),
        format!(
            "[[student]]\nname = \"gil\"\ntarget = \"{addr}\"\n\n\
             [[student]]\nname = \"hugo\"\ntarget = \"{closed}\"\n"
        ),
    )
    .expect("the targets file");
    let o = conformance(
        dir.path(),
        &[
            "grade",
            "class.toml",
            "--wait",
            "300ms",
            "--filter",
            "zap.5.2.register",
            "--filter",
            "zap.11.1.users-survive-restart",
        ],
    );
    let _ = server.kill();
    let _ = server.wait();
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(1), "{out}");
    let (_, rows) = table(&String::from_utf8_lossy(&o.stdout));
    assert_eq!(rows["gil"][0], "2/2", "zap.5.2.register and -twice\n{out}");
    assert_eq!(
        rows["gil"][1], "-",
        "§11 needs a restart: not graded\n{out}"
    );
    assert_eq!(rows["hugo"][2], "ERROR", "{out}");
    assert!(out.contains("did not accept a connection"), "{out}");
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("grade-report/summary.json"))
            .expect("summary.json in ./grade-report"),
    )
    .expect("summary.json parses");
    let restart = json["students"][0]["report"]["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["id"] == "zap.11.1.users-survive-restart")
        .cloned()
        .expect("the restart case");
    assert_eq!(restart["verdict"], "SKIPPED", "{restart}");
}

#[test]
fn ctrl_c_stops_every_server_and_writes_no_report() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let students: String = ["ines", "joao", "kiko"]
        .iter()
        .map(|n| {
            format!(
                "[[student]]\nname = \"{n}\"\n{}\n\n",
                exec_line(dir.path(), n, "")
            )
        })
        .collect();
    std::fs::write(dir.path().join("class.toml"), students).expect("the targets file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["grade", "class.toml", "--sandbox", "none", "--jobs", "2"])
        .args(["--case-jobs", "1"])
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .env("LC_ALL", "C")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the conformance binary runs");
    let needle = dir.path().display().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while processes_mentioning(&needle).len() < 2 {
        assert!(Instant::now() < deadline, "the servers never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("a pid"));
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).expect("SIGINT");
    let status = child.wait().expect("conformance exits");
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("its stderr"), &mut err);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let left = processes_mentioning(&needle);
    assert!(left.is_empty(), "processes left behind: {left:?}");
    assert!(!dir.path().join("grade-report/summary.csv").exists());
}

#[test]
fn a_class_is_graded_in_brazilian_portuguese_while_csv_and_json_keep_their_schema() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (mut server, addr) = running_server_with(
        &dir.path().join("data"),
        &["--fault", "no-delivered-receipt", "--i-know-this-is-broken"],
    );
    let closed = format!("127.0.0.1:{}", free_port());
    std::fs::write(
        dir.path().join("class.toml"),
        format!(
            "[[student]]\nname = \"bia\"\ntarget = \"{addr}\"\n\n\
             [[student]]\nname = \"caio\"\ntarget = \"{closed}\"\n"
        ),
    )
    .expect("the targets file");
    let o = conformance(
        dir.path(),
        &[
            "grade",
            "class.toml",
            "--lang",
            "pt-BR",
            "--wait",
            "300ms",
            "--timeout",
            "1s",
            "--filter",
            "zap.5.2.register",
            "--filter",
            "zap.7.1.delivered-online",
            "--exclude",
            "zap.5.2.register-twice=opcional neste semestre",
        ],
    );
    let _ = server.kill();
    let _ = server.wait();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    );
    let all = format!("{stdout}{stderr}");
    assert_eq!(o.status.code(), Some(1), "caio's ERROR makes 1:\n{all}");
    let (header, rows) = table_headed(&stdout, "aluno");
    assert_eq!(header, ["§5", "§7", "total", "nota", "tempo"], "{all}");
    assert_eq!(rows["bia"][0], "1/1", "{all}");
    assert_eq!(rows["bia"][1], "0/1", "no 07: {all}");
    assert_eq!(rows["caio"][2], "ERRO", "{all}");
    for words in [
        "caio: ERRO: 127.0.0.1:",
        "não aceitou conexão",
        "2 aluno(s): 1 avaliado(s), 1 com ERRO; 2 caso(s) cada",
        "conformance grade: 2 aluno(s), 2 caso(s) cada, 2 por vez",
        "conformance grade: relatórios em grade-report",
    ] {
        assert!(all.contains(words), "missing {words:?}:\n{all}");
    }
    assert!(stderr.contains("[2/2]"), "progress lines:\n{stderr}");

    let report = dir.path().join("grade-report");
    let read = |p: &str| std::fs::read_to_string(report.join(p)).expect(p);
    let index = read("index.html");
    for words in [
        "<html lang=\"pt-BR\">",
        "<h1>notas zap: class.toml</h1>",
        "<th>aluno</th>",
        "<th class=\"num\">nota</th>",
        "2 aluno(s), 1 avaliado(s), 1 com ERRO; 2 caso(s) cada (1 excluído(s))",
        ">ERRO</td>",
        "PASSOU e TOLERADO contam como aprovados",
    ] {
        assert!(
            index.contains(words),
            "index.html lacks {words:?}:\n{index}"
        );
    }
    assert_balanced(&index, "index.html");
    let bia = read("students/bia.html");
    for words in [
        "<html lang=\"pt-BR\">",
        "← todos os alunos",
        "<dt>alvo</dt>",
        "<dt>nota</dt><dd>1/2 = 50.0%</dd>",
        "PASSOU 1, TOLERADO 0, NÃO IMPLEMENTADO 0, PULADO 1, FALHOU 1, ERRO 0",
        "Casos que não passaram (2)",
        "<span class=\"verdict\">FALHOU</span> <code>zap.7.1.delivered-online</code> entregar um 06 envia um 07 ao remetente online",
        "<dt>requisito</dt><dd>zap §7.1",
        "<dt>esperado</dt>",
        "<dt>recebido</dt>",
        "<caption>troca</caption>",
        "<th>conexão</th>",
        "<span class=\"verdict\">PULADO</span> <code>zap.5.2.register-twice</code>",
        "pulado: excluído: opcional neste semestre",
        "Passaram (1)",
        "01 é respondido com um 02 com um id de 13 dígitos",
    ] {
        assert!(bia.contains(words), "bia.html lacks {words:?}:\n{bia}");
    }
    assert_balanced(&bia, "students/bia.html");
    let caio = read("students/caio.html");
    assert!(caio.contains("ERRO: não pôde ser avaliado"), "{caio}");
    assert!(caio.contains("<h2>Não pôde ser avaliado</h2>"), "{caio}");

    // The machine formats keep their English schema.
    let csv = read_csv(&read("summary.csv"));
    assert_eq!(
        csv[0],
        [
            "student",
            "status",
            "§5 passed",
            "§5 graded",
            "§7 passed",
            "§7 graded",
            "passed",
            "graded",
            "score_percent",
            "seconds",
            "target",
            "page",
            "error"
        ],
        "{csv:?}"
    );
    assert_eq!(
        (csv[1][1].as_str(), csv[2][1].as_str()),
        ("graded", "ERROR")
    );
    let json: Value = serde_json::from_str(&read("summary.json")).expect("summary.json parses");
    assert_eq!(json["schema"], "gabarito-grade/1");
    assert_eq!(json["students"][1]["status"], "ERROR");
    let cases = json["students"][0]["report"]["cases"]
        .as_array()
        .expect("cases");
    let verdict = |id: &str| {
        cases
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["verdict"].clone())
            .unwrap_or_default()
    };
    assert_eq!(verdict("zap.7.1.delivered-online"), "FAIL");
    assert_eq!(verdict("zap.5.2.register-twice"), "SKIPPED");
    assert_eq!(
        cases[0]["title"], "01 is answered with a 02 carrying a 13-digit id",
        "titles stay English"
    );
}
