//! Embeds the built-in suites (`suites/<protocol>/*.session`) and their
//! golden transcripts (`tests/snapshots/*.snap`) into the binary, so
//! `conformance` needs no files beside it.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&root);
    let mut out = String::from(
        "/// `(protocol/file.session, text)` for every built-in suite.\npub static SUITES: &[(&str, &str)] = &[\n",
    );
    let suites = root.join("suites");
    println!("cargo:rerun-if-changed={}", suites.display());
    let mut entries = Vec::new();
    for proto in sorted_dir(&suites) {
        if !proto.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", proto.display());
        for file in sorted_dir(&proto) {
            if file.extension().is_some_and(|e| e == "session") {
                let name = format!(
                    "{}/{}",
                    proto
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default(),
                    file.file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                );
                entries.push((name, file));
            }
        }
    }
    for (name, path) in &entries {
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n\n/// `(snapshot file name, text)` for every golden transcript.\npub static GOLDEN: &[(&str, &str)] = &[\n");
    let snaps = root.join("tests").join("snapshots");
    println!("cargo:rerun-if-changed={}", snaps.display());
    if snaps.is_dir() {
        for file in sorted_dir(&snaps) {
            if file.extension().is_some_and(|e| e == "snap") {
                let name = file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string();
                let _ = writeln!(
                    out,
                    "    ({name:?}, include_str!({:?})),",
                    file.display().to_string()
                );
            }
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}

fn sorted_dir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}
