//! Transfer progress: bytes and files done out of the batch total, reported to a callback.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A snapshot of a batch's progress. Sizes in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgressUpdate {
    /// Bytes transferred so far.
    pub bytes_done: u64,
    /// Bytes in the whole batch.
    pub bytes_total: u64,
    /// Files finished (successfully or not).
    pub files_done: u64,
    /// Files in the batch.
    pub files_total: u64,
}

/// The callback receiving updates; called from transfer tasks, so keep it cheap.
pub type ProgressFn = Arc<dyn Fn(ProgressUpdate) + Send + Sync>;

/// Shared counters of one batch.
#[derive(Default)]
pub(crate) struct Tracker {
    bytes_done: AtomicU64,
    bytes_total: AtomicU64,
    files_done: AtomicU64,
    files_total: AtomicU64,
    report: Option<ProgressFn>,
}

impl Tracker {
    pub(crate) fn new(report: Option<ProgressFn>, files_total: u64, bytes_total: u64) -> Tracker {
        Tracker {
            bytes_total: AtomicU64::new(bytes_total),
            files_total: AtomicU64::new(files_total),
            report,
            ..Tracker::default()
        }
    }

    fn emit(&self) {
        if let Some(f) = &self.report {
            f(self.snapshot());
        }
    }

    pub(crate) fn snapshot(&self) -> ProgressUpdate {
        ProgressUpdate {
            bytes_done: self.bytes_done.load(Ordering::Relaxed),
            bytes_total: self.bytes_total.load(Ordering::Relaxed),
            files_done: self.files_done.load(Ordering::Relaxed),
            files_total: self.files_total.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn add_bytes(&self, n: u64) {
        self.bytes_done.fetch_add(n, Ordering::Relaxed);
        self.emit();
    }

    /// Takes back bytes counted for an attempt that failed.
    pub(crate) fn sub_bytes(&self, n: u64) {
        self.bytes_done.fetch_sub(n, Ordering::Relaxed);
    }

    pub(crate) fn file_done(&self) {
        self.files_done.fetch_add(1, Ordering::Relaxed);
        self.emit();
    }
}
