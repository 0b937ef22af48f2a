//! `find [PATH] PATTERN [--json]`: streams the core's name search to stdout as matches arrive.

use futures::StreamExt;
use kura_core::paths::RelPath;
use kura_core::storage::{Entry, Storage};

use super::files::Located;
use crate::output::{rfc3339, short_time, shown, shown_message, terminal_json_line};

/// One match as a JSON object: `type` (`file`/`folder`), `path` (relative to the prefix),
/// `name`, `folder` (the path of the folder it is in, `""` for the root), and for files `size`
/// (bytes), `last_modified` (RFC 3339) and `etag`.
fn match_json(e: &Entry) -> serde_json::Value {
    let path = e.path().as_str();
    let name = e.path().name();
    let folder = &path[..path.trim_end_matches('/').len() - name.len()];
    match e {
        Entry::Folder { .. } => serde_json::json!({
            "type": "folder", "path": path, "name": name, "folder": folder,
        }),
        Entry::File {
            size,
            last_modified,
            etag,
            ..
        } => serde_json::json!({
            "type": "file", "path": path, "name": name, "folder": folder, "size": size,
            "last_modified": last_modified.map(rfc3339), "etag": etag,
        }),
    }
}

/// One match line: modified time, size (`DIR` for folders) and the path relative to the prefix,
/// escaped ([`shown`]) — keys are chosen by whoever can write to the bucket.
fn match_line(e: &Entry) -> String {
    let path = shown(e.path().as_str());
    match e {
        Entry::Folder { .. } => format!("{:19} {:>12} {path}", "", "DIR"),
        Entry::File {
            size, last_modified, ..
        } => format!("{} {size:>12} {path}", short_time(*last_modified)),
    }
}

/// `kura find`: `args` is `[PATTERN]` or `[PATH, PATTERN]` (clap ensures one or two). Matches
/// print as each listing page arrives; unusable keys are named on stderr, then the count.
pub(super) async fn find(at: &Located, args: &[String], json: bool) -> anyhow::Result<()> {
    let (path, pattern) = match args {
        [pattern] => ("", pattern.as_str()),
        [path, pattern] => (path.as_str(), pattern.as_str()),
        _ => anyhow::bail!("give PATTERN or PATH PATTERN"),
    };
    let dir = RelPath::parse(path)?;
    let storage = connect(at).await?;
    let mut pages = std::pin::pin!(storage.search(&dir, pattern)?);
    let mut count = 0usize;
    let mut unsafe_count = 0usize;
    while let Some(page) = pages.next().await {
        let page = page?;
        for e in &page.matches {
            if json {
                println!("{}", terminal_json_line(&match_json(e))?);
            } else {
                println!("{}", match_line(e));
            }
        }
        for e in &page.unsafe_keys {
            eprintln!("kura: skipped: {}", shown_message(&e.to_string()));
        }
        count += page.matches.len();
        unsafe_count += page.unsafe_keys.len();
    }
    let noun = if count == 1 { "match" } else { "matches" };
    if unsafe_count > 0 {
        eprintln!("{count} {noun} ({unsafe_count} with unusable names skipped)");
    } else {
        eprintln!("{count} {noun}");
    }
    Ok(())
}

async fn connect(at: &Located) -> anyhow::Result<Storage> {
    Ok(Storage::connect_location(at.session.clone(), at.location.as_deref()).await?)
}
