//! Where each object of a download goes: its local name checked against what is on disk (a link
//! counts as taken and is never followed; a link on the way fails the item), the conflict
//! policy's decision, and the names other objects of the same batch took — compared as
//! case-insensitive and normalising file systems compare them ([`fold_key`]), so `A.txt` and
//! `a.txt`, or NFC and NFD spellings of one name, never land on one file.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use super::RenameReason;
use crate::error::Result;
use crate::localfs::{fold_key, DestDir, Folder};
use crate::paths::RelPath;
use crate::progress::{Conflict, ConflictFn};
use crate::storage::batch::{BatchItem, DownloadItem, FailedItem};
use crate::storage::conflict::{self, numbered, ConflictPolicy};

/// An object to download and its checked local name.
pub(super) struct Wanted {
    /// The object, relative to the prefix.
    pub remote: RelPath,
    pub key: String,
    /// Local path below the download directory (`/`-separated plain names).
    pub rel: String,
    pub size: u64,
    /// The name was mapped for Windows.
    pub mapped: bool,
    /// Replacing an existing file was decided before (a retried item): no question.
    pub replace: bool,
}

/// What to do when the final name is found taken at the very end (a file appeared after the
/// check): the policy decides, never a silent replace unless it says overwrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OnTaken {
    Replace,
    Skip,
    Number,
}

/// An object with its place.
pub(super) struct Job {
    pub remote: RelPath,
    pub key: String,
    pub rel: String,
    pub size: u64,
    pub on_taken: OnTaken,
    pub renamed: Option<RenameReason>,
}

impl Job {
    /// The job as an item to try again.
    pub(super) fn item(&self) -> DownloadItem {
        DownloadItem {
            remote: self.remote.clone(),
            local: self.rel.clone(),
            replace: self.on_taken == OnTaken::Replace,
        }
    }
}

/// The outcome of [`place`].
pub(super) struct Placement {
    pub jobs: Vec<Job>,
    pub skipped: Vec<PathBuf>,
    pub failures: Vec<FailedItem>,
}

/// The local names a batch has taken, by [`fold_key`]; shared by its downloads so that a name
/// chosen at the last moment does not take another's.
#[derive(Default)]
pub(super) struct Names(Mutex<HashSet<String>>);

impl Names {
    fn set(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes the first `name (n).ext` variant of `rel` that neither the batch nor `folder` (the
    /// folder of `rel`, if it exists) has. Errors: `local.io`.
    pub(super) fn take_numbered(&self, rel: &str, folder: Option<&Folder>) -> Result<String> {
        let (parent, name) = split(rel);
        let mut set = self.set();
        for n in 1.. {
            let candidate = numbered(name, n);
            let candidate_rel = join(parent, &candidate);
            if set.contains(&fold_key(&candidate_rel)) {
                continue;
            }
            if let Some(f) = folder {
                if f.has(&candidate)? {
                    continue;
                }
            }
            set.insert(fold_key(&candidate_rel));
            return Ok(candidate_rel);
        }
        unreachable!("unbounded")
    }
}

/// `rel` as (folder, file name): `a/b/c.txt` → (`a/b`, `c.txt`), `c.txt` → (``, `c.txt`).
pub(super) fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

/// Places `wanted` (in order: the first of two colliding names keeps it) under `root` with
/// `policy`, asking `on_conflict` about names that exist (policy `ask`). Items below a link
/// fail with `local.symlink`. Within the batch, a name colliding with an earlier one is kept
/// under a numbered name, or skipped with policy `skip`. Errors: `transfer.conflict`,
/// `transfer.cancelled` (from the question), `local.io`.
pub(super) async fn place(
    root: &DestDir,
    names: &Names,
    wanted: Vec<Wanted>,
    policy: ConflictPolicy,
    on_conflict: Option<&ConflictFn>,
) -> Result<Placement> {
    let mut failures = Vec::new();
    let mut checked = Vec::with_capacity(wanted.len());
    for w in wanted {
        let (parent, name) = split(&w.rel);
        let existed = root
            .folder(parent, false)
            .and_then(|f| f.map_or(Ok(false), |f| f.has(name)));
        match existed {
            Ok(existed) => {
                let existed = existed && !w.replace;
                checked.push((w, existed));
            }
            Err(error) => failures.push(FailedItem {
                item: BatchItem::Download(DownloadItem {
                    remote: w.remote,
                    local: w.rel,
                    replace: w.replace,
                }),
                error,
            }),
        }
    }
    let conflicts = checked
        .iter()
        .filter(|(_, existed)| *existed)
        .map(|(w, _)| Conflict {
            target: root.display(&w.rel).display().to_string(),
        })
        .collect();
    let mut decisions = conflict::decide(policy, conflicts, on_conflict).await?.into_iter();
    let mut jobs = Vec::with_capacity(checked.len());
    let mut skipped = Vec::new();
    for (w, existed) in checked {
        let duplicate = names.set().contains(&fold_key(&w.rel));
        let decision = if existed { decisions.next() } else { None };
        let mut job = Job {
            on_taken: match policy {
                _ if w.replace => OnTaken::Replace,
                ConflictPolicy::Overwrite => OnTaken::Replace,
                ConflictPolicy::Skip => OnTaken::Skip,
                ConflictPolicy::Rename | ConflictPolicy::Ask => OnTaken::Number,
            },
            renamed: w.mapped.then_some(RenameReason::WindowsName),
            remote: w.remote,
            key: w.key,
            rel: w.rel,
            size: w.size,
        };
        if existed || duplicate {
            let fallback = match policy {
                ConflictPolicy::Skip => ConflictPolicy::Skip,
                _ => ConflictPolicy::Rename,
            };
            match decision.unwrap_or(fallback) {
                ConflictPolicy::Overwrite if !duplicate => job.on_taken = OnTaken::Replace,
                ConflictPolicy::Skip | ConflictPolicy::Ask => {
                    skipped.push(root.display(&job.rel));
                    continue;
                }
                ConflictPolicy::Rename | ConflictPolicy::Overwrite => {
                    let folder = root.folder(split(&job.rel).0, false)?;
                    job.rel = names.take_numbered(&job.rel, folder.as_deref())?;
                    job.on_taken = OnTaken::Number;
                    job.renamed = Some(if duplicate {
                        RenameReason::SameName
                    } else {
                        RenameReason::Exists
                    });
                    jobs.push(job);
                    continue;
                }
            }
        }
        names.set().insert(fold_key(&job.rel));
        jobs.push(job);
    }
    Ok(Placement {
        jobs,
        skipped,
        failures,
    })
}
