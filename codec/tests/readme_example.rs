//! The README's example as a user meets it: a new crate outside this
//! workspace that depends on the codec by path, the example copied into its
//! `main.rs`, `cargo run --offline`. What it prints must be the README's
//! output block, so the README cannot promise what the crate does not do.
//!
//! The crate gets the workspace's `Cargo.lock` (same dependency versions, no
//! network) and a target directory of its own under `CARGO_TARGET_TMPDIR`,
//! kept between runs: the first run compiles the codec's dependencies, later
//! ones only the example. Its own directory, because the outer `cargo test`
//! may hold the lock of the workspace's.

use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../README.md");
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The body of the first fenced block opened by "```" + `info` at or after
/// byte `from`, and the byte where its closing fence ends.
fn fenced<'a>(text: &'a str, info: &str, from: usize) -> Option<(&'a str, usize)> {
    let open = format!("```{info}\n");
    let start = from + text[from..].find(&open)? + open.len();
    let len = text[start..].find("```\n")?;
    Some((&text[start..start + len], start + len + 4))
}

#[test]
fn the_readme_example_runs_in_a_crate_of_its_own_and_prints_what_the_readme_says() {
    let (code, after) = fenced(README, "rust", 0).expect("the README has a ```rust block");
    let (expected, _) = fenced(README, "text", after).expect("and an output block after it");
    assert!(code.contains("fn main()"), "the example is a whole program");

    let krate = tempfile::tempdir().expect("a temporary directory");
    let manifest = format!(
        "[package]\nname = \"readme-example\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n[dependencies]\ngabarito-codec = {{ path = {MANIFEST_DIR:?} }}\n\n\
         # Not part of any workspace above the temporary directory.\n[workspace]\n"
    );
    std::fs::write(krate.path().join("Cargo.toml"), manifest).expect("write Cargo.toml");
    std::fs::copy(
        Path::new(MANIFEST_DIR).join("../Cargo.lock"),
        krate.path().join("Cargo.lock"),
    )
    .expect("copy the workspace's Cargo.lock");
    std::fs::create_dir(krate.path().join("src")).expect("mkdir src");
    std::fs::write(krate.path().join("src/main.rs"), code).expect("write main.rs");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-example");
    let run = Command::new(cargo)
        .args(["run", "--offline", "--quiet"])
        .current_dir(krate.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "cargo run failed:\n{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        expected,
        "the example's output differs from the README's"
    );
}
