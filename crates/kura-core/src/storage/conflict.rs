//! What to do when a transfer's target already exists: the remote key on upload, the local file
//! on download.

use std::collections::HashSet;

/// Policy for existing targets (`--if-exists` in the CLI).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConflictPolicy {
    /// Replace the existing file or object (default, like `cp`).
    #[default]
    Overwrite,
    /// Leave it and skip this item (reported as skipped).
    Skip,
    /// Keep both: the new one gets the first free name `name (1).ext`, `name (2).ext`, ….
    Rename,
}

/// `name` with ` (n)` before its extension: `a.txt` → `a (2).txt`, `.env` → `.env (2)`,
/// `archive.tar.gz` → `archive.tar (2).gz`.
pub fn numbered(name: &str, n: u32) -> String {
    match name.rfind('.') {
        Some(i) if i > 0 => format!("{} ({n}){}", &name[..i], &name[i..]),
        _ => format!("{name} ({n})"),
    }
}

/// The first `numbered` variant of the file name of `path` for which `taken` is false.
pub(crate) fn first_free(name: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..).map(|n| numbered(name, n)).find(|c| !taken(c)).expect("unbounded")
}

/// A free key name in a folder whose existing keys are `existing` (full relative paths).
pub(crate) fn free_remote(folder: &str, name: &str, existing: &HashSet<String>) -> String {
    first_free(name, |c| existing.contains(&format!("{folder}{c}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_names_keep_the_extension() {
        assert_eq!(numbered("a.txt", 2), "a (2).txt");
        assert_eq!(numbered("README", 1), "README (1)");
        assert_eq!(numbered(".env", 3), ".env (3)");
        assert_eq!(numbered("archive.tar.gz", 1), "archive.tar (1).gz");
    }

    #[test]
    fn first_free_skips_taken_names() {
        let existing: HashSet<String> = ["d/a.txt", "d/a (1).txt"].iter().map(|s| s.to_string()).collect();
        assert_eq!(free_remote("d/", "a.txt", &existing), "a (2).txt");
        assert_eq!(first_free("x.bin", |c| c == "x (1).bin"), "x (2).bin");
    }
}
