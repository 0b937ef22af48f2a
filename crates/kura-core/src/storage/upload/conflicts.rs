//! Targets of an upload that already exist: found with as few requests as the batch allows, then
//! decided by the conflict policy (`ask` asks once for all of them).

use std::collections::HashSet;

use futures::{StreamExt, TryStreamExt};

use super::Job;
use crate::error::{Error, Result};
use crate::paths::RelPath;
use crate::progress::{Conflict, TransferHooks};
use crate::storage::conflict::{self, ConflictPolicy};
use crate::storage::Storage;

/// Above this many top-level files, conflicts are found with one listing of the destination
/// folder instead of a HeadObject per file.
const MAX_HEADS: usize = 64;

impl Storage {
    /// Applies the conflict policy to jobs whose key already exists below `dest`. Only what the
    /// batch writes is looked up — HeadObject for top-level files (concurrently; one
    /// non-recursive listing of `dest` when there are many), a recursive listing for top-level
    /// folders — never the whole destination tree.
    pub(super) async fn resolve_conflicts(
        &self,
        dest: &RelPath,
        jobs: &mut Vec<Job>,
        skipped: &mut Vec<RelPath>,
        hooks: &TransferHooks,
    ) -> Result<()> {
        if self.options.if_exists == ConflictPolicy::Overwrite || jobs.is_empty() {
            return Ok(());
        }
        let mut existing: HashSet<String> = HashSet::new();
        let tops: std::collections::BTreeSet<String> = jobs
            .iter()
            .map(|j| {
                let below = &j.remote.as_str()[dest.as_str().len()..];
                match below.find('/') {
                    Some(i) => below[..=i].to_string(),
                    None => below.to_string(),
                }
            })
            .collect();
        let (folders, files): (Vec<String>, Vec<String>) = tops.into_iter().partition(|t| t.ends_with('/'));
        for top in folders {
            let path = dest.join(&top)?;
            existing.extend(
                self.list(&path, true)
                    .await?
                    .into_iter()
                    .map(|e| e.path().as_str().to_string()),
            );
        }
        if files.len() > MAX_HEADS {
            // Many loose files: one listing of the destination beats a HeadObject each.
            existing.extend(
                self.list(dest, false)
                    .await?
                    .into_iter()
                    .map(|e| e.path().as_str().to_string()),
            );
        } else {
            let paths = files.iter().map(|top| dest.join(top)).collect::<Result<Vec<_>>>()?;
            existing.extend(self.existing(paths).await?);
        }
        self.decide_conflicts(jobs, existing, skipped, hooks).await
    }

    /// [`Storage::resolve_conflicts`] for the files of a retry, which may lie anywhere: a
    /// HeadObject for each target whose replacing was not decided before.
    pub(super) async fn resolve_retried_conflicts(
        &self,
        jobs: &mut Vec<Job>,
        skipped: &mut Vec<RelPath>,
        hooks: &TransferHooks,
    ) -> Result<()> {
        if self.options.if_exists == ConflictPolicy::Overwrite || jobs.is_empty() {
            return Ok(());
        }
        let undecided = jobs.iter().filter(|j| !j.replace).map(|j| j.remote.clone()).collect();
        let existing = self.existing(undecided).await?;
        self.decide_conflicts(jobs, existing, skipped, hooks).await
    }

    /// Which of `paths` exist (HeadObject, `file_concurrency` at once).
    async fn existing(&self, paths: Vec<RelPath>) -> Result<HashSet<String>> {
        let found: Vec<Option<String>> = futures::stream::iter(paths)
            .map(|path| async move { Ok::<_, Error>(self.stat(&path).await?.map(|_| path.as_str().to_string())) })
            .buffer_unordered(self.options.file_concurrency.max(1))
            .try_collect()
            .await?;
        Ok(found.into_iter().flatten().collect())
    }

    /// Decides about jobs whose target is in `existing` (unless replacing it was decided
    /// before): skipped ones move to `skipped`, renamed ones get the first free `name (n).ext`,
    /// replaced ones are marked so.
    async fn decide_conflicts(
        &self,
        jobs: &mut Vec<Job>,
        mut existing: HashSet<String>,
        skipped: &mut Vec<RelPath>,
        hooks: &TransferHooks,
    ) -> Result<()> {
        let existed: Vec<bool> = jobs
            .iter()
            .map(|j| !j.replace && existing.contains(j.remote.as_str()))
            .collect();
        let conflicts: Vec<Conflict> = jobs
            .iter()
            .zip(&existed)
            .filter(|(_, existed)| **existed)
            .map(|(j, _)| Conflict {
                target: j.remote.as_str().to_string(),
            })
            .collect();
        let mut decisions = conflict::decide(self.options.if_exists, conflicts, hooks.on_conflict.as_ref())
            .await?
            .into_iter();
        let mut kept = Vec::with_capacity(jobs.len());
        for (mut job, existed) in jobs.drain(..).zip(existed) {
            if !job.replace && existing.contains(job.remote.as_str()) {
                // A name taken by an earlier renamed job in this batch (no decision): keep both.
                let decision = if existed { decisions.next() } else { None };
                match decision.unwrap_or(ConflictPolicy::Rename) {
                    ConflictPolicy::Overwrite => job.replace = true,
                    ConflictPolicy::Skip | ConflictPolicy::Ask => {
                        skipped.push(job.remote);
                        continue;
                    }
                    ConflictPolicy::Rename => job.remote = self.free_name(&job.remote, &mut existing).await?,
                }
            }
            existing.insert(job.remote.as_str().to_string());
            kept.push(job);
        }
        *jobs = kept;
        Ok(())
    }

    /// The first `name (n).ext` next to `taken` that is neither in `known` nor on S3 (checked
    /// with HeadObject, since siblings were not listed).
    async fn free_name(&self, taken: &RelPath, known: &mut HashSet<String>) -> Result<RelPath> {
        let name = taken.name().to_string();
        let folder = &taken.as_str()[..taken.as_str().len() - name.len()];
        for n in 1.. {
            let candidate = RelPath::parse(&format!("{folder}{}", conflict::numbered(&name, n)))?;
            if known.contains(candidate.as_str()) {
                continue;
            }
            if self.stat(&candidate).await?.is_some() {
                known.insert(candidate.as_str().to_string());
                continue;
            }
            return Ok(candidate);
        }
        unreachable!("some name is free")
    }
}
