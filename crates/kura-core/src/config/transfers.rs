//! A profile's transfer tuning keys: `part_size_mib`, `multipart_threshold_mib`,
//! `multipart_copy_threshold_mib`, `part_concurrency`, `file_concurrency` (all optional;
//! defaults from [`TransferOptions`]).

use toml::Value;

use super::ProfileReader;
use crate::error::Result;
use crate::storage::TransferOptions;

const MIB: u64 = 1024 * 1024;

/// The keys this module reads, for the list of known keys.
pub(super) const KEYS: &[&str] = &[
    "part_size_mib",
    "multipart_threshold_mib",
    "multipart_copy_threshold_mib",
    "part_concurrency",
    "file_concurrency",
];

impl ProfileReader<'_> {
    /// A whole number in `range`, or `None` when absent.
    fn bounded(&self, key: &str, range: std::ops::RangeInclusive<i64>, unit: &str) -> Result<Option<i64>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Integer(n)) if range.contains(n) => Ok(Some(*n)),
            Some(_) => Err(self.err(
                key,
                format!(
                    "must be a whole number of {unit} from {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
        }
    }

    /// Transfer options with the profile's overrides. S3 limits parts to 5 MiB–5 GiB.
    pub(super) fn transfers(&self) -> Result<TransferOptions> {
        let mut t = TransferOptions::default();
        if let Some(n) = self.bounded("part_size_mib", 5..=5120, "MiB")? {
            t.part_size = n as u64 * MIB;
        }
        if let Some(n) = self.bounded("multipart_threshold_mib", 5..=5120, "MiB")? {
            t.multipart_threshold = n as u64 * MIB;
        }
        if let Some(n) = self.bounded("multipart_copy_threshold_mib", 5..=5120, "MiB")? {
            t.multipart_copy_threshold = n as u64 * MIB;
        }
        if let Some(n) = self.bounded("part_concurrency", 1..=64, "parts")? {
            t.part_concurrency = n as usize;
        }
        if let Some(n) = self.bounded("file_concurrency", 1..=256, "files")? {
            t.file_concurrency = n as usize;
        }
        Ok(t)
    }
}
