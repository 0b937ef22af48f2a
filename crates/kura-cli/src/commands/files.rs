//! `ls`, `put`, `get`, `rm`, `mkdir`, `mv`, `presign`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use kura_core::paths::RelPath;
use kura_core::progress::{ProgressFn, TransferHooks};
use kura_core::session::Session;
use kura_core::storage::RenameReason;
use kura_core::storage::{BatchItem, Entry, FailedItem, Storage, UploadItem};
use kura_core::Error;

use crate::cli::TransferFlags;
use crate::output::{human_bytes, rfc3339, short_time, shown, shown_path, terminal_json};

/// A profile's session and the location (`--location`, `None`: the first) commands work in.
pub(super) struct Located {
    /// The session.
    pub session: Arc<Session>,
    /// The location's name.
    pub location: Option<String>,
}

/// The storage confined to the chosen location's prefix (rendered before any request).
async fn storage(at: &Located) -> anyhow::Result<Storage> {
    Ok(Storage::connect_location(at.session.clone(), at.location.as_deref()).await?)
}

fn tuned(s: Storage, tuning: TransferFlags) -> Storage {
    let options = tuning.apply(s.options());
    s.with_options(options)
}

fn parse(p: &str) -> anyhow::Result<RelPath> {
    Ok(RelPath::parse(p)?)
}

/// Progress reports, and the terminal question for `--if-exists ask`.
fn hooks(progress: Option<ProgressFn>) -> TransferHooks {
    TransferHooks {
        progress,
        on_conflict: Some(super::ask::on_conflict()),
        ..TransferHooks::default()
    }
}

/// A progress bar on stderr when stdout is a terminal.
fn progress_bar(verb: &str) -> (Option<ProgressFn>, Option<indicatif::ProgressBar>) {
    if !std::io::stdout().is_terminal() {
        return (None, None);
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(verb.to_string());
    let b = bar.clone();
    let f: ProgressFn = Arc::new(move |u| {
        b.set_length(u.bytes_total);
        b.set_position(u.bytes_done);
    });
    (Some(f), Some(bar))
}

fn entry_json(e: &Entry) -> serde_json::Value {
    match e {
        Entry::Folder { path } => serde_json::json!({"type": "folder", "path": path.as_str(), "name": path.name()}),
        Entry::File {
            path,
            size,
            last_modified,
            etag,
        } => serde_json::json!({
            "type": "file", "path": path.as_str(), "name": path.name(), "size": size,
            "last_modified": last_modified.map(rfc3339), "etag": etag,
        }),
    }
}

/// One listing line; the key is escaped ([`shown`]): keys are chosen by whoever can write to the
/// bucket and must not drive the terminal or reorder the line.
fn print_entry(e: &Entry, base: &str) {
    let name = shown(e.path().as_str().strip_prefix(base).unwrap_or(e.path().as_str()));
    match e {
        Entry::Folder { .. } => println!("{:19} {:>12} {name}", "", "DIR"),
        Entry::File {
            size, last_modified, ..
        } => println!("{} {size:>12} {name}", short_time(*last_modified)),
    }
}

pub(super) async fn ls(at: &Located, path: Option<&str>, recursive: bool, json: bool) -> anyhow::Result<()> {
    let path = parse(path.unwrap_or(""))?;
    let s = storage(at).await?;
    if let Some(file) = s.stat(&path).await? {
        if json {
            println!("{}", terminal_json(&[entry_json(&file)])?);
        } else {
            print_entry(&file, "");
        }
        return Ok(());
    }
    let base = path.as_folder();
    let mut pages = Box::pin(s.list_pages(&base, recursive));
    let mut all = Vec::new();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        count += page.len();
        if json {
            all.extend(page.iter().map(entry_json));
        } else {
            for e in &page {
                print_entry(e, base.as_str());
            }
        }
    }
    if count == 0 && !base.as_str().is_empty() && !s.folder_exists(&base).await? {
        return Err(kura_core::s3::S3Error::new(
            kura_core::s3::S3ErrorKind::NotFound,
            "ListObjectsV2",
            base.as_str(),
            "no such file or folder",
        )
        .into());
    }
    if json {
        println!("{}", terminal_json(&all)?);
    }
    Ok(())
}

/// Splits `cp`-style arguments: with two or more paths the last one is the destination.
fn split_dest(mut paths: Vec<String>) -> (Vec<String>, Option<String>) {
    if paths.len() >= 2 {
        let dest = paths.pop();
        (paths, dest)
    } else {
        (paths, None)
    }
}

pub(super) async fn put(at: &Located, paths: Vec<String>, tuning: TransferFlags) -> anyhow::Result<()> {
    let (sources, dest) = split_dest(paths);
    let dest = parse(dest.as_deref().unwrap_or("/"))?.as_folder();
    let sources: Vec<PathBuf> = sources.into_iter().map(PathBuf::from).collect();
    let s = tuned(storage(at).await?, tuning);
    let (progress, bar) = progress_bar("upload");
    let result = s.upload_with(&sources, &dest, hooks(progress)).await;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if result.is_err() {
        // A transient failure pauses multipart uploads (journaled) instead of discarding them.
        let kept = s.unfinished_uploads().len();
        if kept > 0 {
            eprintln!(
                "{kept} upload(s) stopped part-way are kept: run the same command again (or `kura uploads --resume`) to send the rest"
            );
        }
    }
    let report = result?;
    for p in &report.uploaded {
        println!("uploaded {}", shown(p.as_str()));
    }
    for p in &report.skipped {
        println!("skipped {} (exists)", shown(p.as_str()));
    }
    eprintln!("{} item(s), {}", report.uploaded.len(), human_bytes(report.bytes));
    if report.resumed_bytes > 0 {
        eprintln!(
            "resumed an interrupted upload: {} had been sent before, {} sent now",
            human_bytes(report.resumed_bytes),
            human_bytes(report.bytes - report.resumed_bytes)
        );
    }
    Ok(())
}

pub(super) async fn get(
    at: &Located,
    paths: Vec<String>,
    recursive: bool,
    tuning: TransferFlags,
) -> anyhow::Result<()> {
    let (remotes, dest) = split_dest(paths);
    let dir = PathBuf::from(dest.unwrap_or_else(|| ".".into()));
    if !dir.is_dir() {
        let reason = if dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        return Err(Error::io(
            format!("download directory {}", dir.display()),
            std::io::Error::new(std::io::ErrorKind::NotFound, format!("{reason}; create it first")),
        )
        .into());
    }
    let remotes = remotes.iter().map(|r| parse(r)).collect::<anyhow::Result<Vec<_>>>()?;
    let s = tuned(storage(at).await?, tuning);
    let (progress, bar) = progress_bar("download");
    let result = s.download_with(&remotes, &dir, recursive, hooks(progress)).await;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = result?;
    for f in &report.files {
        println!("downloaded {}", shown_path(f));
    }
    for f in &report.skipped {
        println!("skipped {} (exists)", shown_path(f));
    }
    for r in &report.renamed {
        let why = match r.reason {
            RenameReason::Exists => "the name was taken",
            RenameReason::SameName => "another file of this download has the same name on case-insensitive disks",
            RenameReason::WindowsName => "Windows cannot create the original name",
        };
        println!("saved {} as {} ({why})", shown(&r.key), shown_path(&r.local));
    }
    eprintln!("{} file(s), {}", report.files.len(), human_bytes(report.bytes));
    Ok(())
}

pub(super) async fn uploads(at: &Located, resume: bool, discard: bool) -> anyhow::Result<()> {
    let s = storage(at).await?;
    let pending = s.unfinished_uploads();
    if pending.is_empty() {
        eprintln!("no unfinished uploads");
        return Ok(());
    }
    let mut failures: Vec<FailedItem> = Vec::new();
    for u in &pending {
        let state = match (u.source_unchanged, u.local.exists()) {
            (true, _) => "unchanged",
            (false, true) => "changed since: starts over",
            (false, false) => "source missing: discard it",
        };
        println!(
            "{} <- {} ({} of {} sent; {state})",
            shown(u.remote.as_str()),
            shown_path(&u.local),
            human_bytes(u.bytes_done),
            human_bytes(u.size)
        );
        let result = if resume {
            let (progress, bar) = progress_bar("resume");
            let r = s.resume_upload(u, hooks(progress)).await;
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            r.map(|r| {
                println!(
                    "uploaded {} ({} resumed)",
                    shown(u.remote.as_str()),
                    human_bytes(r.resumed_bytes)
                )
            })
        } else if discard {
            s.discard_upload(u)
                .await
                .map(|()| println!("discarded {}", shown(u.remote.as_str())))
        } else {
            Ok(())
        };
        if let Err(error) = result {
            // Listed with the others in the final message.
            failures.push(FailedItem {
                item: BatchItem::Upload(UploadItem {
                    local: u.local.clone(),
                    remote: u.remote.clone(),
                    replace: true,
                }),
                error,
            });
        }
    }
    if failures.is_empty() {
        return Ok(());
    }
    Err(Error::Partial {
        failed: failures,
        total: pending.len(),
    }
    .into())
}

pub(super) async fn rm(at: &Located, paths: &[String], recursive: bool) -> anyhow::Result<()> {
    let parsed = paths.iter().map(|p| parse(p)).collect::<anyhow::Result<Vec<_>>>()?;
    let s = storage(at).await?;
    for (p, rel) in paths.iter().zip(&parsed) {
        let n = s.delete(rel, recursive).await?;
        println!("deleted {} ({n} object{})", shown(p), if n == 1 { "" } else { "s" });
    }
    Ok(())
}

pub(super) async fn mkdir(at: &Located, path: &str) -> anyhow::Result<()> {
    let rel = parse(path)?;
    let folder = storage(at).await?.mkdir(&rel).await?;
    println!("created {}", shown(folder.as_str()));
    Ok(())
}

pub(super) async fn mv(at: &Located, src: &str, dst: &str) -> anyhow::Result<()> {
    let (src_p, dst_p) = (parse(src)?, parse(dst)?);
    let to = storage(at).await?.rename(&src_p, &dst_p).await?;
    println!("moved {} -> {}", shown(src), shown(to.as_str()));
    Ok(())
}

pub(super) async fn presign(at: &Located, path: &str, expires: u64) -> anyhow::Result<()> {
    let rel = parse(path)?;
    let p = storage(at).await?.presign(&rel, Duration::from_secs(expires)).await?;
    println!("{}", p.url);
    if p.capped {
        eprintln!(
            "note: the URL expires {} — the most your current credentials allow",
            rfc3339(p.expires_at)
        );
    } else {
        eprintln!("expires {}", rfc3339(p.expires_at));
    }
    Ok(())
}
