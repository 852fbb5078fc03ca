//! The student's folder as the sandboxed server sees it: a private copy,
//! made fresh for each run, so its state files neither leak into the next
//! run nor change the original, and what it writes stays out of everyone
//! else's files. The copy is bounded: a folder holding a virtualenv or a
//! dataset is refused with its size, not copied for minutes.

use std::os::unix::fs::{PermissionsExt as _, lchown};
use std::path::{Path, PathBuf};

use super::size::show_size;

/// The most a student's folder may hold to be copied.
pub const MAX_BYTES: u64 = 256 << 20;
/// The most entries (files, folders, links) it may hold.
const MAX_ENTRIES: usize = 20_000;

#[derive(Debug)]
pub struct Workdir {
    /// Removed with everything in it when the run ends.
    root: tempfile::TempDir,
    pub copy: PathBuf,
}

impl Workdir {
    /// Copies `original` into a new private folder owned by `owner` (the
    /// unprivileged uid the server runs as, when the harness is root).
    pub fn copy_of(original: &Path, owner: Option<u32>) -> Result<Workdir, String> {
        let root = tempfile::Builder::new()
            .prefix("gabarito-sandbox-")
            .tempdir()
            .map_err(|e| format!("creating the sandbox's folder: {e}"))?;
        let copy = root.path().join("work");
        let mut budget = Budget::default();
        copy_tree(original, &copy, &mut budget).map_err(|e| {
            format!(
                "copying the student's folder {} into the sandbox: {e}",
                original.display()
            )
        })?;
        if let Some(uid) = owner {
            // The server's uid must reach its copy and nothing else there.
            std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o711))
                .map_err(|e| format!("opening the sandbox's folder to its user: {e}"))?;
            chown_tree(&copy, uid).map_err(|e| format!("giving the copy to uid {uid}: {e}"))?;
        }
        Ok(Workdir { root, copy })
    }

    /// The folder that holds the copy, for a watcher that removes it if
    /// the harness dies.
    pub fn root(&self) -> &Path {
        self.root.path()
    }
}

#[derive(Default)]
struct Budget {
    bytes: u64,
    entries: usize,
}

/// Copies files, folders and symbolic links (as links: a link out of the
/// folder points at nothing inside the sandbox). Anything else is skipped.
fn copy_tree(from: &Path, to: &Path, budget: &mut Budget) -> Result<(), String> {
    std::fs::create_dir(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", src.display()))?;
        budget.entries += 1;
        if budget.entries > MAX_ENTRIES {
            return Err(format!(
                "expected at most {MAX_ENTRIES} files and folders, found more"
            ));
        }
        if kind.is_dir() {
            copy_tree(&src, &dst, budget)?;
        } else if kind.is_symlink() {
            let target = std::fs::read_link(&src).map_err(|e| format!("{}: {e}", src.display()))?;
            std::os::unix::fs::symlink(target, &dst)
                .map_err(|e| format!("{}: {e}", dst.display()))?;
        } else if kind.is_file() {
            let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
            budget.bytes += len;
            if budget.bytes > MAX_BYTES {
                return Err(format!(
                    "expected at most {} in the folder, found more (point `cwd` at the server's own folder)",
                    show_size(MAX_BYTES)
                ));
            }
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

fn chown_tree(dir: &Path, uid: u32) -> std::io::Result<()> {
    lchown(dir, Some(uid), Some(uid))?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            chown_tree(&entry.path(), uid)?;
        } else {
            lchown(entry.path(), Some(uid), Some(uid))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_holds_the_folder_and_changes_to_it_stay_there() {
        let original = tempfile::tempdir().unwrap();
        std::fs::create_dir(original.path().join("data")).unwrap();
        std::fs::write(original.path().join("data/state.json"), "{}").unwrap();
        std::os::unix::fs::symlink("/etc/hostname", original.path().join("link")).unwrap();
        let w = Workdir::copy_of(original.path(), None).unwrap();
        assert_eq!(
            std::fs::read_to_string(w.copy.join("data/state.json")).unwrap(),
            "{}"
        );
        assert!(w.copy.join("link").is_symlink());
        std::fs::write(w.copy.join("data/state.json"), "changed").unwrap();
        assert_eq!(
            std::fs::read_to_string(original.path().join("data/state.json")).unwrap(),
            "{}"
        );
        let root = w.root().to_path_buf();
        drop(w);
        assert!(!root.exists(), "removed at the end");
    }
}
