//! Trying the failed items of a download again.

use std::path::Path;

use super::plan::Wanted;
use super::{not_found, DownloadReport};
use crate::error::Result;
use crate::localfs::DestDir;
use crate::paths::LocalName;
use crate::progress::TransferHooks;
use crate::storage::batch::{BatchItem, DownloadItem, FailedItem};
use crate::storage::list::Entry;
use crate::storage::Storage;

impl Storage {
    /// Downloads again the failed items of an earlier download into `dir` ([`crate::Error::Partial`]'s
    /// [`DownloadItem`]s), each to the place it had below `dir` (its local name is checked again,
    /// as for any key). The conflict policy applies as before to files that exist now, except
    /// where replacing was already decided. Errors: as [`Storage::download`]; an object gone
    /// since is a failed item (`s3.not_found`).
    pub async fn retry_download(
        &self,
        items: &[DownloadItem],
        dir: &Path,
        hooks: TransferHooks,
    ) -> Result<DownloadReport> {
        let mut wanted = Vec::new();
        let mut folders = Vec::new();
        let mut failures = Vec::new();
        for item in items {
            let fail = |error| FailedItem {
                item: BatchItem::Download(item.clone()),
                error,
            };
            let key = self.key(&item.remote);
            let name = match LocalName::for_key(&item.local, &key) {
                Ok(name) => name,
                Err(e) => {
                    failures.push(fail(e));
                    continue;
                }
            };
            if item.remote.is_folder() {
                folders.push((item.remote.clone(), name.rel));
                continue;
            }
            match self.stat(&item.remote).await {
                Ok(Some(Entry::File { size, .. })) => wanted.push(Wanted {
                    remote: item.remote.clone(),
                    key,
                    rel: name.rel,
                    size,
                    mapped: name.mapped,
                    replace: item.replace,
                }),
                Ok(_) => failures.push(fail(not_found(key))),
                Err(e) => failures.push(fail(e)),
            }
        }
        let root = DestDir::open(dir)?;
        self.download_wanted(&root, wanted, folders, failures, &hooks).await
    }
}
