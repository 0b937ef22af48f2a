//! Transfer progress and control: bytes and files done out of the batch total, reported to a
//! callback; a [`Pause`] switch; how conflicts are decided ([`ConflictFn`]).

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

/// A pause switch for one transfer, shared by the caller and the transfer (clones share it).
/// While paused, no new request starts (no file, part or byte range); requests in flight finish,
/// so pausing never wastes or corrupts a part, and resuming continues where it stopped.
#[derive(Clone, Debug)]
pub struct Pause(Arc<tokio::sync::watch::Sender<bool>>);

impl Default for Pause {
    fn default() -> Self {
        Pause(Arc::new(tokio::sync::watch::Sender::new(false)))
    }
}

impl Pause {
    /// Pauses; returns false when already paused.
    pub fn pause(&self) -> bool {
        self.0.send_if_modified(|p| !std::mem::replace(p, true))
    }

    /// Resumes; returns false when not paused.
    pub fn resume(&self) -> bool {
        self.0.send_if_modified(|p| std::mem::replace(p, false))
    }

    /// Whether the transfer is paused.
    pub fn is_paused(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits until not paused (at once when running).
    pub(crate) async fn running(&self) {
        let mut rx = self.0.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = rx.wait_for(|paused| !*paused).await;
    }
}

/// A target that already exists: the remote path (upload) or local path (download), as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The existing target.
    pub target: String,
}

/// Decides what to do with existing targets when the policy is
/// [`Ask`](crate::storage::conflict::ConflictPolicy::Ask): called once per batch, before anything
/// is transferred, with every conflict; answers one policy per conflict (same order), or `None`
/// to cancel the whole transfer ([`crate::Error::Cancelled`]). An answer of `Ask` counts as skip.
pub type ConflictFn = Arc<
    dyn Fn(Vec<Conflict>) -> futures::future::BoxFuture<'static, Option<Vec<crate::storage::conflict::ConflictPolicy>>>
        + Send
        + Sync,
>;

/// How a caller follows and steers one transfer.
#[derive(Clone, Default)]
pub struct TransferHooks {
    /// Progress reports.
    pub progress: Option<ProgressFn>,
    /// The pause switch.
    pub pause: Pause,
    /// Asks about conflicts (policy `Ask`); without it `Ask` fails with `transfer.conflict`.
    pub on_conflict: Option<ConflictFn>,
}

impl From<Option<ProgressFn>> for TransferHooks {
    fn from(progress: Option<ProgressFn>) -> Self {
        TransferHooks {
            progress,
            ..TransferHooks::default()
        }
    }
}

/// Shared counters of one batch, and its pause switch.
#[derive(Default)]
pub(crate) struct Tracker {
    bytes_done: AtomicU64,
    bytes_total: AtomicU64,
    files_done: AtomicU64,
    files_total: AtomicU64,
    report: Option<ProgressFn>,
    pause: Pause,
}

impl Tracker {
    pub(crate) fn new(hooks: &TransferHooks, files_total: u64, bytes_total: u64) -> Tracker {
        Tracker {
            bytes_total: AtomicU64::new(bytes_total),
            files_total: AtomicU64::new(files_total),
            report: hooks.progress.clone(),
            pause: hooks.pause.clone(),
            ..Tracker::default()
        }
    }

    /// Waits while the transfer is paused; call before starting each request.
    pub(crate) async fn running(&self) {
        self.pause.running().await
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

/// Transfer rate over a sliding window (default 5 s), so a pause or a slow start does not skew
/// it as an average since the start would. Bytes per second.
#[derive(Debug)]
pub struct RateWindow {
    window: std::time::Duration,
    samples: std::collections::VecDeque<(std::time::Instant, u64)>,
}

impl RateWindow {
    /// A window of `window`.
    pub fn new(window: std::time::Duration) -> RateWindow {
        RateWindow {
            window,
            samples: std::collections::VecDeque::new(),
        }
    }

    /// Records `bytes_done` at `now` and returns the rate over the window (0 until two samples
    /// span at least 100 ms).
    pub fn record(&mut self, now: std::time::Instant, bytes_done: u64) -> f64 {
        self.samples.push_back((now, bytes_done));
        while self.samples.len() > 2 && now.duration_since(self.samples[1].0) >= self.window {
            self.samples.pop_front();
        }
        let (t0, b0) = self.samples[0];
        let span = now.duration_since(t0).as_secs_f64();
        if span < 0.1 {
            return 0.0;
        }
        bytes_done.saturating_sub(b0) as f64 / span
    }

    /// Forgets the history (after a pause, so the idle time is not averaged in).
    pub fn reset(&mut self) {
        self.samples.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn rate_window_forgets_old_samples() {
        let mut w = RateWindow::new(Duration::from_secs(5));
        let t = Instant::now();
        assert_eq!(w.record(t, 0), 0.0);
        // 10 MB in the first 10 s, then 1 MB/s: the window sees only the recent rate.
        w.record(t + Duration::from_secs(10), 10_000_000);
        for s in 11..=20 {
            w.record(t + Duration::from_secs(s), 10_000_000 + (s - 10) * 1_000_000);
        }
        let r = w.record(t + Duration::from_secs(21), 21_000_000);
        assert!((r - 1_000_000.0).abs() < 1.0, "{r}");
    }

    #[tokio::test]
    async fn pause_blocks_until_resumed() {
        let p = Pause::default();
        assert!(p.pause() && !p.pause() && p.is_paused());
        let waiter = tokio::spawn({
            let p = p.clone();
            async move { p.running().await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiter.is_finished(), "paused transfers must wait");
        assert!(p.resume() && !p.resume());
        tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .unwrap()
            .unwrap();
    }
}
