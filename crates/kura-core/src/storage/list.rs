//! Listing with ListObjectsV2: one level (`Delimiter=/`, folders = CommonPrefixes) or recursive,
//! all pages, streamed page by page.

use futures::{Stream, TryStreamExt};
use time::OffsetDateTime;

use super::Storage;
use crate::error::{Error, Result};
use crate::paths::RelPath;
use crate::s3::S3ErrorKind;

/// One listed entry, its path relative to the prefix root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A folder (a CommonPrefix, or a zero-byte `name/` marker in recursive listings).
    Folder {
        /// Path ending with `/`.
        path: RelPath,
    },
    /// An object.
    File {
        /// Path of the object.
        path: RelPath,
        /// Size in bytes.
        size: u64,
        /// `LastModified`.
        last_modified: Option<OffsetDateTime>,
        /// ETag.
        etag: Option<String>,
    },
}

impl Entry {
    /// The entry's path.
    pub fn path(&self) -> &RelPath {
        match self {
            Entry::Folder { path } | Entry::File { path, .. } => path,
        }
    }

    /// Size in bytes (0 for folders).
    pub fn size(&self) -> u64 {
        match self {
            Entry::Folder { .. } => 0,
            Entry::File { size, .. } => *size,
        }
    }
}

impl Storage {
    /// Streams the entries under folder `dir` page by page (one level, or every object when
    /// `recursive`). The folder's own marker object is left out.
    pub fn list_pages<'a>(&'a self, dir: &RelPath, recursive: bool) -> impl Stream<Item = Result<Vec<Entry>>> + 'a {
        let folder = dir.as_folder();
        let list_prefix = self.key(&folder);
        let delimiter = (!recursive).then_some("/");
        futures::stream::try_unfold(Some(None::<String>), move |token| {
            let list_prefix = list_prefix.clone();
            async move {
                let Some(token) = token else { return Ok(None) };
                let page = self.client.list_objects_v2(&list_prefix, delimiter, token).await?;
                let mut entries = Vec::with_capacity(page.objects.len() + page.common_prefixes.len());
                for p in &page.common_prefixes {
                    if let Some(rel) = self.prefix.strip(p) {
                        entries.push(Entry::Folder {
                            path: RelPath::from_listed(rel),
                        });
                    }
                }
                for o in page.objects {
                    if o.key == list_prefix {
                        continue;
                    }
                    let Some(rel) = self.prefix.strip(&o.key) else { continue };
                    let path = RelPath::from_listed(rel);
                    if o.key.ends_with('/') && o.size == 0 {
                        entries.push(Entry::Folder { path });
                    } else {
                        entries.push(Entry::File {
                            path,
                            size: o.size,
                            last_modified: o.last_modified,
                            etag: o.etag,
                        });
                    }
                }
                let next = page.next_continuation_token.map(Some);
                Ok::<_, Error>(Some((entries, next)))
            }
        })
    }

    /// All entries under `dir` (see [`Storage::list_pages`]).
    pub async fn list(&self, dir: &RelPath, recursive: bool) -> Result<Vec<Entry>> {
        let pages: Vec<Vec<Entry>> = self.list_pages(dir, recursive).try_collect().await?;
        Ok(pages.into_iter().flatten().collect())
    }

    /// The object at `path`, if it is a file. `Ok(None)` when there is no such object.
    pub async fn stat(&self, path: &RelPath) -> Result<Option<Entry>> {
        if path.is_folder() {
            return Ok(None);
        }
        match self.client.head_object(&self.key(path)).await {
            Ok(o) => Ok(Some(Entry::File {
                path: path.clone(),
                size: o.size,
                last_modified: o.last_modified,
                etag: o.etag,
            })),
            Err(e) if e.kind == S3ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// True when anything exists below folder `dir` (or its marker).
    pub async fn folder_exists(&self, dir: &RelPath) -> Result<bool> {
        let folder = dir.as_folder();
        let page = self.client.list_objects_v2(&self.key(&folder), Some("/"), None).await?;
        Ok(!page.objects.is_empty() || !page.common_prefixes.is_empty())
    }
}
