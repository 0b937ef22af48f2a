//! Early write-back for downloads: the bytes of a piece are handed to the disk while the rest of
//! the object is still arriving, so the `fsync` that makes a finished download durable (before
//! its rename into place) has little left to write. On Linux this is `sync_file_range(2)` with
//! `SYNC_FILE_RANGE_WRITE` (start write-out, do not wait); elsewhere it does nothing.

/// Bytes written to a piece between two write-back requests.
pub(crate) const WRITEBACK_EVERY: u64 = 8 * 1024 * 1024;

/// Starts writing `len` bytes at `offset` of the open file `fd` to disk, without waiting.
/// Failures are ignored: this only moves work earlier; the final `fsync` still decides.
#[cfg(target_os = "linux")]
pub(crate) fn start(fd: &impl std::os::fd::AsRawFd, offset: u64, len: u64) {
    // SAFETY: sync_file_range only reads its integer arguments; an invalid fd yields EBADF.
    let rc = unsafe {
        libc::sync_file_range(
            fd.as_raw_fd(),
            offset as libc::off64_t,
            len as libc::off64_t,
            libc::SYNC_FILE_RANGE_WRITE,
        )
    };
    if rc != 0 {
        tracing::debug!("sync_file_range: {}", std::io::Error::last_os_error());
    }
}

/// Starts writing `len` bytes at `offset` of the open file `fd` to disk (no-op off Linux).
#[cfg(not(target_os = "linux"))]
pub(crate) fn start<T>(_fd: &T, _offset: u64, _len: u64) {}
