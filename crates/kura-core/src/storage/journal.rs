//! The upload journal: one small JSON file per unfinished multipart upload, so an upload cut
//! short by a crash or a killed process can continue where it stopped. It records the bucket, key,
//! `UploadId`, the source file's path, size and modification time, the part size, and each
//! finished part's number, ETag and CRC64NVME — no credentials or tokens.
//!
//! Location: `$KURA_STATE_DIR/uploads/` when set, else `<data dir>/kura/uploads/`
//! (`~/.local/share/kura/uploads` on Linux). Files are replaced atomically (temp file + rename).
//! On resume the parts S3 reports with ListParts on that `UploadId` are the truth; the journal's
//! checksums fill in what ListParts does not return.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const VERSION: u32 = 1;

/// One finished part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPart {
    /// `PartNumber` (1–10,000).
    pub part_number: i32,
    /// The part's ETag.
    pub etag: String,
    /// The part's CRC64NVME (base64), when known.
    pub checksum_crc64nvme: Option<String>,
}

/// An unfinished multipart upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Format version.
    pub version: u32,
    /// Bucket.
    pub bucket: String,
    /// Full key.
    pub key: String,
    /// The multipart upload's `UploadId`.
    pub upload_id: String,
    /// The source file.
    pub local_path: PathBuf,
    /// Its size in bytes when the upload started.
    pub size: u64,
    /// Its modification time (nanoseconds since the Unix epoch) when the upload started.
    pub modified_ns: u128,
    /// Part size in bytes.
    pub part_size: u64,
    /// Parts finished so far.
    pub parts: Vec<JournalPart>,
}

/// The source file's size and modification time, to tell whether it changed since.
pub fn source_stamp(path: &Path) -> Result<(u64, u128)> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok((meta.len(), modified))
}

/// The journal directory.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    /// The default directory (see the module docs).
    pub fn default_dir() -> Journal {
        let dir = std::env::var_os("KURA_STATE_DIR")
            .map(|d| PathBuf::from(d).join("uploads"))
            .or_else(|| directories::BaseDirs::new().map(|d| d.data_local_dir().join("kura").join("uploads")))
            .unwrap_or_else(|| std::env::temp_dir().join("kura-uploads"));
        Journal { dir }
    }

    /// A journal in `dir` (tests).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Journal {
        Journal { dir: dir.into() }
    }

    fn file_for(&self, bucket: &str, key: &str, local: &Path) -> PathBuf {
        let mut crc = crate::checksum::Crc64::default();
        for piece in [
            bucket.as_bytes(),
            b"\0",
            key.as_bytes(),
            b"\0",
            local.as_os_str().as_encoded_bytes(),
        ] {
            crc.update(piece);
        }
        self.dir.join(format!("{:016x}.json", crc.finish().0))
    }

    /// The entry for this upload, if one was left behind (unreadable entries are ignored).
    pub fn find(&self, bucket: &str, key: &str, local: &Path) -> Option<JournalEntry> {
        let text = std::fs::read_to_string(self.file_for(bucket, key, local)).ok()?;
        let entry: JournalEntry = serde_json::from_str(&text).ok()?;
        (entry.version == VERSION && entry.bucket == bucket && entry.key == key && entry.local_path == local)
            .then_some(entry)
    }

    /// All entries (for listing unfinished uploads).
    pub fn entries(&self) -> Vec<JournalEntry> {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        rd.filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| serde_json::from_str(&std::fs::read_to_string(e.path()).ok()?).ok())
            .collect()
    }

    /// Writes `entry` (atomically replacing the previous state).
    pub fn save(&self, entry: &JournalEntry) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(format!("creating {}", self.dir.display()), e))?;
        let path = self.file_for(&entry.bucket, &entry.key, &entry.local_path);
        let tmp = tempfile::NamedTempFile::new_in(&self.dir)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        serde_json::to_writer(tmp.as_file(), entry)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e.into()))?;
        tmp.persist(&path)
            .map_err(|e| Error::io(format!("writing {}", path.display()), e.error))?;
        Ok(())
    }

    /// Forgets this upload (finished or aborted).
    pub fn remove(&self, bucket: &str, key: &str, local: &Path) {
        let _ = std::fs::remove_file(self.file_for(bucket, key, local));
    }

    /// A new entry for an upload that is starting.
    pub fn new_entry(
        bucket: &str,
        key: &str,
        upload_id: &str,
        local: &Path,
        stamp: (u64, u128),
        part_size: u64,
    ) -> JournalEntry {
        JournalEntry {
            version: VERSION,
            bucket: bucket.to_string(),
            key: key.to_string(),
            upload_id: upload_id.to_string(),
            local_path: local.to_path_buf(),
            size: stamp.0,
            modified_ns: stamp.1,
            part_size,
            parts: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_are_keyed_by_bucket_key_and_source() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::in_dir(dir.path().join("uploads"));
        let src = Path::new("/data/a.bin");
        let mut e = Journal::new_entry("b", "users/x/a.bin", "UP1", src, (10, 20), 5 << 20);
        e.parts.push(JournalPart {
            part_number: 1,
            etag: "\"e1\"".into(),
            checksum_crc64nvme: Some("AAAAAAAAAAA=".into()),
        });
        j.save(&e).unwrap();
        assert_eq!(j.find("b", "users/x/a.bin", src), Some(e.clone()));
        assert_eq!(j.find("b", "users/x/other.bin", src), None);
        assert_eq!(j.find("b", "users/x/a.bin", Path::new("/data/b.bin")), None);
        assert_eq!(j.entries().len(), 1);
        let text = std::fs::read_to_string(
            std::fs::read_dir(dir.path().join("uploads"))
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path(),
        )
        .unwrap();
        assert!(
            !text.contains("Secret") && !text.contains("Token"),
            "no credentials in the journal"
        );
        j.remove("b", "users/x/a.bin", src);
        assert_eq!(j.find("b", "users/x/a.bin", src), None);
    }
}
