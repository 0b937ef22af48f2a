//! Preview of one file without saving it: Rust fetches the first bytes (`Storage::preview`: one
//! ranged GET, size-capped) and answers with one binary frame (`kura_ipc::search::preview_frame`:
//! the facts as JSON, then the raw bytes), which the page receives as an `ArrayBuffer` and shows
//! from a `blob:` URL. Nothing is written to disk and the page loads nothing from S3 itself.

use kura_core::storage::{Preview, PreviewKind};
use kura_ipc::search::preview_frame;
use kura_ipc::{IpcError, PreviewInfo};
use tauri::ipc::Response;
use tauri::State;

use super::rel;
use crate::state::AppState;

/// The most a preview fetches: 20 MiB. Larger images and PDFs are not fetched at all (a cut
/// image cannot be shown); text stops at the core's 1 MiB (`TEXT_PREVIEW_BYTES`).
pub const PREVIEW_MAX_BYTES: u64 = 20 * 1024 * 1024;

/// The frame for `preview` of `path`. PDFs go without their bytes: the webview does not show
/// them (its PDF viewer would need a same-origin, script-running frame; ARCHITECTURE.md,
/// "Decisions"), so the page shows their facts and offers Download.
fn frame(path: &str, preview: &Preview) -> Vec<u8> {
    let bytes: &[u8] = match preview.kind {
        PreviewKind::Pdf => &[],
        _ => &preview.bytes,
    };
    preview_frame(&PreviewInfo::new(path, preview, 0), bytes)
}

/// Previews file `path`: a binary response (see the module docs) with its facts and, for images
/// and text, the bytes to show. Errors: `path.invalid` (a folder or bad path), `s3.not_found`,
/// `s3.object_changed` (replaced while being read), `s3.*`, `auth.*`.
#[tauri::command]
pub async fn preview_file(state: State<'_, AppState>, path: String) -> Result<Response, IpcError> {
    let p = rel(&path)?;
    let preview = state.ready()?.storage().await?.preview(&p, PREVIEW_MAX_BYTES).await?;
    Ok(Response::new(frame(p.as_str(), &preview)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kura_ipc::search::read_preview_frame;
    use kura_ipc::PreviewShow;

    fn preview(kind: PreviewKind, bytes: &[u8]) -> Preview {
        Preview {
            key_name: "x".into(),
            size: bytes.len() as u64,
            content_type: "application/pdf".into(),
            modified: None,
            kind,
            bytes: bytes.to_vec(),
            truncated: false,
        }
    }

    #[test]
    fn images_and_text_carry_their_bytes_pdfs_only_their_facts() {
        let png = b"\x89PNG\r\n\x1a\n....";
        let f = frame("a/x.png", &preview(PreviewKind::Image, png));
        let (info, bytes) = read_preview_frame(&f).unwrap();
        assert_eq!((info.show, bytes), (PreviewShow::Image, &png[..]));
        let pdf = b"%PDF-1.7\n...";
        let f = frame("a/x.pdf", &preview(PreviewKind::Pdf, pdf));
        let (info, bytes) = read_preview_frame(&f).unwrap();
        assert_eq!(info.show, PreviewShow::Pdf);
        assert_eq!(info.size, pdf.len() as u64);
        assert!(bytes.is_empty() && info.bytes == 0);
    }
}
