//! Fetching one object into its temporary file: one GET, or concurrent ranged GETs pinned to
//! the object's ETag, each written at its offset (positioned writes through the file's one
//! handle) and hashed as it goes; pieces cut short or failing transiently are fetched again.

use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use futures::{StreamExt, TryStreamExt};

use super::MIN_RANGE;
use crate::checksum::{self, Crc64};
use crate::error::{Error, Result};
use crate::localfs::OffsetWriter;
use crate::progress::Tracker;
use crate::storage::{writeback, Storage};

fn short_body(key: &str, got: u64, want: u64) -> Error {
    crate::s3::S3Error::new(
        crate::s3::S3ErrorKind::Network,
        "GetObject",
        key,
        format!("body ended after {got} of {want} bytes"),
    )
    .into()
}

/// Attempts per GET (whole object or range) when the connection fails mid-body or S3 answers a
/// transient error after the SDK's own retries; waits 0.5 s, 1 s, … between attempts.
const GET_ATTEMPTS: u32 = 4;

/// Writes are gathered into blocks of this many bytes: every positioned write is a trip to the
/// blocking pool, too costly for each small network chunk.
const WRITE_BUFFER: usize = 1024 * 1024;

impl Storage {
    /// One GET — the whole object (`range` None) or a byte range — streamed into the temporary
    /// file at the range's offset (positioned writes through the file's one handle), hashed as it goes. A connection failure
    /// mid-body or a transient S3 error retries the piece (up to [`GET_ATTEMPTS`], with backoff),
    /// taking back the bytes the failed attempt counted (in `tracker` and `written`). `if_match` pins the ETag so every range
    /// comes from the same object version.
    pub(super) async fn get_piece(
        &self,
        key: &str,
        range: Option<Range<u64>>,
        if_match: Option<&str>,
        sink: &Sink<'_>,
    ) -> Result<Piece> {
        let Sink { tracker, written, .. } = *sink;
        let mut attempt = 1;
        loop {
            tracker.running().await;
            let counted = AtomicU64::new(0);
            match self.get_piece_once(key, range.clone(), if_match, sink, &counted).await {
                Ok(piece) => return Ok(piece),
                Err(e) => {
                    let counted = counted.into_inner();
                    tracker.sub_bytes(counted);
                    written.fetch_sub(counted, Ordering::Relaxed);
                    let transient = matches!(&e, Error::S3(s) if s.is_transient());
                    if !transient || attempt >= GET_ATTEMPTS {
                        return Err(e);
                    }
                    let wait = std::time::Duration::from_millis(500 << (attempt - 1));
                    tracing::warn!(
                        "{key}: {e}; retrying in {wait:?} (attempt {} of {GET_ATTEMPTS})",
                        attempt + 1
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn get_piece_once(
        &self,
        key: &str,
        range: Option<Range<u64>>,
        if_match: Option<&str>,
        sink: &Sink<'_>,
        counted: &AtomicU64,
    ) -> Result<Piece> {
        let Sink {
            file,
            path: temp_path,
            tracker,
            written,
        } = *sink;
        let io = |e| Error::io(format!("writing {}", temp_path.display()), e);
        let offset = range.as_ref().map_or(0, |r| r.start);
        let mut out = OffsetWriter::new(file.clone(), offset, WRITE_BUFFER);
        let mut obj = self.client.get_object(key, range.clone(), if_match).await?;
        let want = range.as_ref().map_or(obj.content_length, |r| r.end - r.start);
        let mut crc = Crc64::default();
        let (mut got, mut synced) = (0u64, 0u64);
        while let Some(chunk) = obj.body.next().await {
            let chunk = chunk?;
            out.write(&chunk).await.map_err(io)?;
            crc.update(&chunk);
            got += chunk.len() as u64;
            counted.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            written.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            tracker.add_bytes(chunk.len() as u64);
            if got - synced >= writeback::WRITEBACK_EVERY {
                out.flush().await.map_err(io)?;
                writeback::start(out.file(), offset + synced, got - synced);
                synced = got;
            }
        }
        out.flush().await.map_err(io)?;
        writeback::start(out.file(), offset + synced, got - synced);
        let (crc, len) = crc.finish();
        if len != want {
            return Err(short_body(key, len, want));
        }
        Ok(Piece {
            crc,
            len,
            checksum: obj.checksum_crc64nvme,
        })
    }

    /// Concurrent ranged GETs (`part_size` each, `part_concurrency` at once) pinned to the ETag
    /// HeadObject reported, each written at its offset; returns (CRC64NVME of the whole, stored
    /// checksum from HeadObject).
    pub(super) async fn get_ranges(&self, key: &str, sink: &Sink<'_>) -> Result<(u64, Option<String>)> {
        let temp_path = sink.path;
        let head = self.client.head_object(key).await?;
        let size = head.size;
        sink.file
            .set_len(size)
            .map_err(|e| Error::io(format!("sizing {}", temp_path.display()), e))?;
        let part = self.options.part_size.max(MIN_RANGE);
        let ranges: Vec<Range<u64>> = (0..size.div_ceil(part))
            .map(|i| i * part..((i + 1) * part).min(size))
            .collect();
        let etag = head.etag.as_deref();
        let mut pieces: Vec<(usize, Piece)> = futures::stream::iter(ranges.into_iter().enumerate())
            .map(|(i, range)| async move {
                let piece = self.get_piece(key, Some(range), etag, sink).await?;
                Ok::<_, Error>((i, piece))
            })
            .buffer_unordered(self.options.part_concurrency.max(1))
            .try_collect()
            .await?;
        pieces.sort_by_key(|(i, _)| *i);
        Ok((
            checksum::combine(pieces.into_iter().map(|(_, p)| (p.crc, p.len))),
            head.checksum_crc64nvme,
        ))
    }
}

/// Where a download's pieces go: the temporary file (its one handle, and its path for messages),
/// the batch's progress, and the bytes written into this file so far (taken back from the
/// progress if the download fails).
#[derive(Clone, Copy)]
pub(super) struct Sink<'a> {
    pub(super) file: &'a Arc<std::fs::File>,
    pub(super) path: &'a Path,
    pub(super) tracker: &'a Tracker,
    pub(super) written: &'a AtomicU64,
}

/// A downloaded piece: its CRC64NVME and length, and the stored full-object checksum a whole
/// GET returned.
pub(super) struct Piece {
    pub(super) crc: u64,
    pub(super) len: u64,
    pub(super) checksum: Option<String>,
}
