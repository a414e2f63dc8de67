//! Linked lists in the running app: following them (at start, before each sync, on
//! demand) and watching their sources, so a list follows a Zotero collection or a
//! Better BibTeX export within seconds of the change. The following itself is
//! `papersift_core::import::links`; this module decides when.

use crate::state::AppState;
use crate::IpcError;
use notify::{RecursiveMode, Watcher};
use papersift_core::import::links::{self, FollowReport};
use papersift_core::import::zotero;
use papersift_core::locks::LockAny;
use papersift_core::store::LinkSource;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// How long the watcher waits for a burst of writes (Zotero's journal, an editor's
/// save) to settle before following.
const SETTLE: Duration = Duration::from_millis(700);

/// The file watcher over every linked list's source.
#[derive(Default)]
pub struct Watch(Mutex<Option<notify::RecommendedWatcher>>);

/// Follows linked lists (all, or `only`; `force` reads unchanged sources too), embeds
/// what they brought and tells the window. One follow at a time.
pub async fn follow_now<R: Runtime>(
    app: &AppHandle<R>,
    only: Option<i64>,
    force: bool,
) -> Result<Vec<FollowReport>, IpcError> {
    static ONE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _one = ONE.lock().await;
    let library = app.state::<AppState>().library()?;
    let cfg = crate::state::sync_config(&library).await?;
    let reports = links::follow(library, only, force, &cfg, &|_| {}).await?;
    if reports.iter().any(|r| r.changed || r.error.is_some()) {
        settle(app, reports.iter().any(|r| r.added > 0)).await;
    }
    Ok(reports)
}

/// After lists changed: the window redraws them, and papers they brought (`added`)
/// are embedded so recommendations include them.
pub async fn settle<R: Runtime>(app: &AppHandle<R>, added: bool) {
    let _ = app.emit(crate::importer::LISTS_CHANGED, ());
    let Ok(library) = app.state::<AppState>().library() else {
        return;
    };
    if added && library.embedder().is_some() {
        let _ =
            tauri::async_runtime::spawn_blocking(move || library.embed_pending(64, &mut |_, _| {}))
                .await;
        let _ = app.emit(crate::worker::LIBRARY_CHANGED, ());
        let _ = app.emit(crate::importer::LISTS_CHANGED, ());
    }
}

/// The files a source's changes show up in, and the folders to watch for them (an
/// editor or Better BibTeX may replace the file rather than write it).
fn watched(source: &LinkSource) -> (PathBuf, Vec<PathBuf>) {
    match source {
        LinkSource::Zotero { data_dir, .. } => {
            let dir = PathBuf::from(data_dir);
            let db = dir.join(zotero::DB_FILE);
            (dir, zotero::companion_files(&db).to_vec())
        }
        LinkSource::File { path } => {
            let p = PathBuf::from(path);
            let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
            (dir, vec![p])
        }
    }
}

/// Watches the sources of every linked list (again: call it after a link or unlink).
/// A change to one of their files follows the lists after [`SETTLE`].
pub fn rewatch<R: Runtime>(app: &AppHandle<R>) {
    let Ok(library) = app.state::<AppState>().library() else {
        return;
    };
    let linked = match library.linked_lists(None) {
        Ok(l) => l,
        Err(e) => {
            log::warn!("linked lists: {e}");
            return;
        }
    };
    let mut dirs = HashSet::new();
    let mut files = HashSet::new();
    for l in &linked {
        let (dir, f) = watched(&l.source);
        dirs.insert(dir);
        files.extend(f);
    }
    let slot = app.state::<Watch>();
    let mut slot = slot.0.lock_any();
    *slot = None;
    if dirs.is_empty() {
        return;
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            let ours = ev.paths.iter().any(|p| files.contains(p));
            let reads = matches!(ev.kind, notify::EventKind::Access(_));
            if ours && !reads {
                let _ = tx.send(());
            }
        }
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            log::warn!("cannot watch linked lists' sources: {e}");
            return;
        }
    };
    for dir in &dirs {
        if let Err(e) = watcher.watch(dir, RecursiveMode::NonRecursive) {
            log::warn!("cannot watch {}: {e}", dir.display());
        }
    }
    *slot = Some(watcher);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        // Ends when the watcher (and with it the sender) is replaced or dropped.
        while rx.recv().await.is_some() {
            tokio::time::sleep(SETTLE).await;
            while rx.try_recv().is_ok() {}
            if let Err(e) = follow_now(&app, None, false).await {
                log::warn!("following linked lists: {}", e.message);
            }
        }
    });
}
