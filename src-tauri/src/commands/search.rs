//! Search by name below a folder, streamed: `start_search` returns an id at once and a task
//! sends [`SearchEvent`]s over the caller's channel as `Storage::search` lists pages. One search
//! runs per window: a new one stops the window's previous search, and so does `stop_search`.
//! Stopping drops the core's stream, so no further listing request is sent, and the channel gets
//! `stopped` as its last message (after it, nothing more is sent for that search).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use kura_core::paths::RelPath;
use kura_core::storage::{NamePattern, Storage};
use kura_ipc::{IpcError, SearchEvent, SearchHit};
use tauri::async_runtime::JoinHandle;
use tauri::ipc::Channel;
use tauri::{State, Webview};

use super::rel;
use crate::state::AppState;

/// The running search of each window (by window label), shared with the search tasks.
#[derive(Clone, Default)]
pub struct Searches(Arc<Inner>);

#[derive(Default)]
struct Inner {
    running: Mutex<HashMap<String, Running>>,
    next: AtomicU32,
}

struct Running {
    id: u32,
    task: JoinHandle<()>,
    channel: Channel<SearchEvent>,
}

impl Searches {
    /// Starts search `id` of `window` with the task `make` builds (called with this registry);
    /// the window's previous search, if any, is aborted and its channel gets `stopped`.
    fn begin<F>(&self, window: &str, id: u32, channel: Channel<SearchEvent>, make: F)
    where
        F: FnOnce(Searches) -> JoinHandle<()>,
    {
        // Held while the task is spawned, so a task that ends at once finds itself registered.
        let mut running = self.0.running.lock().unwrap();
        let task = make(self.clone());
        let old = running.insert(window.to_string(), Running { id, task, channel });
        if let Some(old) = old {
            stop(old);
        }
    }

    /// A fresh search id (never 0).
    fn next_id(&self) -> u32 {
        self.0.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Stops `window`'s search `id`; false when that is not its running search.
    pub fn stop(&self, window: &str, id: u32) -> bool {
        let mut running = self.0.running.lock().unwrap();
        match running.get(window) {
            Some(r) if r.id == id => {
                stop(running.remove(window).unwrap());
                true
            }
            _ => false,
        }
    }

    /// Sends `event` for `window`'s search `id` while it is still the running one; `last` ends
    /// it. False when it is not running any more (stopped, replaced) or the page is gone.
    fn send(&self, window: &str, id: u32, event: SearchEvent, last: bool) -> bool {
        let mut running = self.0.running.lock().unwrap();
        let Some(r) = running.get(window).filter(|r| r.id == id) else {
            return false;
        };
        let sent = r.channel.send(event).is_ok();
        if last || !sent {
            running.remove(window);
        }
        sent
    }
}

/// Aborts a search's task (dropping its stream: no further request) and says `stopped`.
fn stop(r: Running) {
    r.task.abort();
    let _ = r.channel.send(SearchEvent::Stopped { id: r.id });
}

/// Runs search `id`: one `page` event per listing page, then `done` or `failed`.
async fn run(searches: Searches, window: String, id: u32, storage: Storage, dir: RelPath, pattern: String) {
    let mut pages = match storage.search(&dir, &pattern) {
        Ok(s) => Box::pin(s),
        Err(e) => {
            let error = IpcError::from(e);
            searches.send(&window, id, SearchEvent::Failed { id, error }, true);
            return;
        }
    };
    let (mut found, mut listed, mut skipped) = (0u32, 0u32, 0u32);
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                let error = IpcError::from(e);
                searches.send(&window, id, SearchEvent::Failed { id, error }, true);
                return;
            }
        };
        found += page.matches.len() as u32;
        listed += page.listed as u32;
        skipped += page.unsafe_keys.len() as u32;
        let hits = page.matches.iter().map(SearchHit::from).collect();
        let event = SearchEvent::Page {
            id,
            hits,
            found,
            listed,
            skipped,
        };
        if !searches.send(&window, id, event, false) {
            return; // stopped, replaced, or the page went away
        }
    }
    let done = SearchEvent::Done {
        id,
        found,
        listed,
        skipped,
    };
    searches.send(&window, id, done, true);
}

/// Searches folder `path` ("" = everything) and below for names containing `pattern`
/// (case-insensitive, see `kura_core::storage::NamePattern`); returns the search's id at once
/// and streams [`SearchEvent`]s over `on_event`. Stops this window's previous search.
/// Errors: `path.invalid` (an empty pattern, one with `/`, a bad path), `auth.*`.
#[tauri::command]
pub async fn start_search(
    webview: Webview,
    state: State<'_, AppState>,
    searches: State<'_, Searches>,
    path: String,
    pattern: String,
    on_event: Channel<SearchEvent>,
) -> Result<u32, IpcError> {
    let dir = rel(&path)?.as_folder();
    NamePattern::new(&pattern)?;
    let storage = state.ready()?.storage().await?;
    let id = searches.next_id();
    let window = webview.label().to_string();
    searches.begin(&window.clone(), id, on_event, move |searches| {
        tauri::async_runtime::spawn(run(searches, window, id, storage, dir, pattern))
    });
    Ok(id)
}

/// Stops this window's search `id` (its channel gets `stopped`); false when it is not running.
#[tauri::command]
pub fn stop_search(webview: Webview, searches: State<'_, Searches>, id: u32) -> bool {
    searches.stop(webview.label(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri::ipc::InvokeResponseBody;

    /// A channel whose messages land in the returned list (as JSON).
    fn channel() -> (Channel<SearchEvent>, Arc<Mutex<Vec<serde_json::Value>>>) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let sink = got.clone();
        let ch = Channel::new(move |body| {
            let InvokeResponseBody::Json(json) = body else {
                panic!("search events are JSON")
            };
            sink.lock().unwrap().push(serde_json::from_str(&json).unwrap());
            Ok(())
        });
        (ch, got)
    }

    fn events(got: &Arc<Mutex<Vec<serde_json::Value>>>) -> Vec<String> {
        got.lock()
            .unwrap()
            .iter()
            .map(|e| format!("{}:{}", e["event"].as_str().unwrap(), e["id"]))
            .collect()
    }

    /// A task that never ends by itself; `dropped` turns true when it is aborted.
    fn forever(dropped: Arc<Mutex<bool>>) -> impl FnOnce(Searches) -> JoinHandle<()> {
        struct Flag(Arc<Mutex<bool>>);
        impl Drop for Flag {
            fn drop(&mut self) {
                *self.0.lock().unwrap() = true;
            }
        }
        move |_| {
            // Owned by the future from the start, so dropping it unpolled counts too.
            let flag = Flag(dropped);
            tauri::async_runtime::spawn(async move {
                let _flag = flag;
                std::future::pending::<()>().await;
            })
        }
    }

    async fn settle() {
        for _ in 0..50 {
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    }

    #[tokio::test]
    async fn a_new_search_stops_the_windows_previous_one_only() {
        let s = Searches::default();
        let (a, got_a) = channel();
        let (b, got_b) = channel();
        let (other, got_other) = channel();
        let flags: Vec<_> = (0..3).map(|_| Arc::new(Mutex::new(false))).collect();
        s.begin("main", 1, a, forever(flags[0].clone()));
        s.begin("second", 2, other, forever(flags[1].clone()));
        s.begin("main", 3, b, forever(flags[2].clone()));
        settle().await;
        assert_eq!(events(&got_a), ["stopped:1"]);
        assert!(
            *flags[0].lock().unwrap(),
            "the replaced search's task (and stream) is dropped"
        );
        assert!(events(&got_b).is_empty() && events(&got_other).is_empty());
        assert!(!*flags[1].lock().unwrap() && !*flags[2].lock().unwrap());
        // Stop takes the window's current id only.
        assert!(!s.stop("main", 1));
        assert!(!s.stop("main", 2), "another window's search");
        assert!(s.stop("main", 3));
        assert!(!s.stop("main", 3), "already stopped");
        settle().await;
        assert_eq!(events(&got_b), ["stopped:3"]);
        assert!(*flags[2].lock().unwrap());
        assert!(events(&got_other).is_empty() && !*flags[1].lock().unwrap());
    }

    #[tokio::test]
    async fn nothing_is_sent_for_a_search_after_it_ended() {
        let s = Searches::default();
        let (ch, got) = channel();
        s.begin("main", 7, ch, forever(Arc::new(Mutex::new(false))));
        let page = SearchEvent::Page {
            id: 7,
            hits: vec![],
            found: 0,
            listed: 1000,
            skipped: 0,
        };
        assert!(s.send("main", 7, page.clone(), false));
        assert!(s.send(
            "main",
            7,
            SearchEvent::Done {
                id: 7,
                found: 0,
                listed: 1000,
                skipped: 0
            },
            true
        ));
        // Ended: a late page, a stop or a second end say nothing.
        assert!(!s.send("main", 7, page.clone(), false));
        assert!(!s.stop("main", 7));
        assert_eq!(events(&got), ["page:7", "done:7"]);
        // And after a stop, the task's own messages are dropped.
        let (ch, got) = channel();
        s.begin("main", 8, ch, forever(Arc::new(Mutex::new(false))));
        assert!(s.stop("main", 8));
        assert!(!s.send(
            "main",
            8,
            SearchEvent::Done {
                id: 8,
                found: 0,
                listed: 0,
                skipped: 0
            },
            true
        ));
        assert_eq!(events(&got), ["stopped:8"]);
    }
}
