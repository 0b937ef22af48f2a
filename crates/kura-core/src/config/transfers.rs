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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::MIB;
    use crate::config::Config;

    const BASE: &str = "[profiles.p]\nissuer = \"https://idp.example/\"\nclient_id = \"c\"\nrole_arn = \"arn:aws:iam::1:role/R\"\nbucket = \"bkt\"\n";

    fn transfers(extra: &str) -> crate::Result<crate::storage::TransferOptions> {
        let cfg = Config::parse(Path::new("c.toml"), &format!("{BASE}{extra}"))?;
        Ok(cfg.profile(Some("p"))?.transfers)
    }

    #[test]
    fn multipart_copy_threshold_defaults_to_5_gib_and_is_bounded() {
        assert_eq!(transfers("").unwrap().multipart_copy_threshold, 5 << 30);
        let t = transfers("multipart_copy_threshold_mib = 5\n").unwrap();
        assert_eq!(t.multipart_copy_threshold, 5 * MIB);
        for bad in ["4", "5121", "\"5\""] {
            let err = transfers(&format!("multipart_copy_threshold_mib = {bad}\n")).unwrap_err();
            assert_eq!(err.code(), "config.invalid");
            assert!(err.to_string().contains("multipart_copy_threshold_mib"), "{err}");
        }
    }
}
