//! What to do when a transfer's target already exists: the remote key on upload, the local file
//! on download. Downloads apply the policy twice: to what exists when the batch starts (where
//! `ask` asks), and again to a file that appears under the name while the download runs — the
//! final rename never replaces it unless the policy is `overwrite` (`skip` leaves it, `rename`
//! and `ask` keep both). Two objects of one batch whose names a case-insensitive or normalising
//! file system cannot tell apart are never saved over each other: the later one is kept as
//! `name (n).ext`, or skipped under `skip`.

use crate::error::{Error, Result};
use crate::progress::{Conflict, ConflictFn};

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
    /// Ask the user (the CLI on its terminal, the desktop in a dialog) before anything is
    /// transferred; with nobody to ask, fail with `transfer.conflict`.
    Ask,
}

/// One decision per conflict under `policy` (asking `on_conflict` when it is `Ask`).
/// Errors: [`Error::Conflict`] (`Ask` without anyone to ask), [`Error::Cancelled`].
pub(crate) async fn decide(
    policy: ConflictPolicy,
    conflicts: Vec<Conflict>,
    on_conflict: Option<&ConflictFn>,
) -> Result<Vec<ConflictPolicy>> {
    if policy != ConflictPolicy::Ask || conflicts.is_empty() {
        return Ok(vec![policy; conflicts.len()]);
    }
    let Some(ask) = on_conflict else {
        return Err(Error::Conflict {
            count: conflicts.len(),
            first: conflicts[0].target.clone(),
        });
    };
    let n = conflicts.len();
    let answers = ask(conflicts).await.ok_or(Error::Cancelled)?;
    // Unanswered (or `Ask` again) means skip: never overwrite without a yes.
    Ok((0..n)
        .map(|i| match answers.get(i) {
            Some(p @ (ConflictPolicy::Overwrite | ConflictPolicy::Skip | ConflictPolicy::Rename)) => *p,
            _ => ConflictPolicy::Skip,
        })
        .collect())
}

/// `name` with ` (n)` before its extension: `a.txt` → `a (2).txt`, `.env` → `.env (2)`,
/// `archive.tar.gz` → `archive.tar (2).gz`.
pub fn numbered(name: &str, n: u32) -> String {
    match name.rfind('.') {
        Some(i) if i > 0 => format!("{} ({n}){}", &name[..i], &name[i..]),
        _ => format!("{name} ({n})"),
    }
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

    #[tokio::test]
    async fn ask_needs_someone_to_ask_and_defaults_to_skip() {
        let c = |t: &str| Conflict { target: t.into() };
        let err = decide(ConflictPolicy::Ask, vec![c("a")], None).await.unwrap_err();
        assert_eq!(err.code(), "transfer.conflict");
        assert!(decide(ConflictPolicy::Ask, vec![], None).await.unwrap().is_empty());
        let short: ConflictFn = std::sync::Arc::new(|_| Box::pin(async { Some(vec![ConflictPolicy::Rename]) }));
        let got = decide(ConflictPolicy::Ask, vec![c("a"), c("b")], Some(&short))
            .await
            .unwrap();
        assert_eq!(got, vec![ConflictPolicy::Rename, ConflictPolicy::Skip]);
        let cancel: ConflictFn = std::sync::Arc::new(|_| Box::pin(async { None }));
        let err = decide(ConflictPolicy::Ask, vec![c("a")], Some(&cancel))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "transfer.cancelled");
        let all = decide(ConflictPolicy::Skip, vec![c("a"), c("b")], None).await.unwrap();
        assert_eq!(all, vec![ConflictPolicy::Skip; 2]);
    }
}
