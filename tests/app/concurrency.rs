//! Sync, search, import, recommendations and list reads all at once on one library,
//! through the same commands the window calls: nothing deadlocks, no call fails, and a
//! list is never seen half-written.

use crate::commands::{app, embedded_starter_library, invoke};
use crate::common::{arxiv_api_feed, fixture, FixtureServer, Route};
use papersift_app_lib::AppState;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One worker's next command and arguments, from its iteration number.
type Job = Box<dyn Fn(usize) -> (String, Value) + Send>;

#[test]
fn everything_at_once_never_deadlocks_or_shows_a_partial_list() {
    let _one = crate::ONE_AT_A_TIME.blocking_lock();
    let (_dir, lib) = embedded_starter_library();
    let server = FixtureServer::start(HashMap::from([
        (
            "/api/daily_papers".to_string(),
            Route {
                delay: Duration::from_millis(30),
                ..Route::ok(
                    std::fs::read(fixture("sources/hf_api_daily_papers_sample.json")).unwrap(),
                )
            },
        ),
        (
            "/atom/cs.LG".to_string(),
            Route::ok(
                std::fs::read(fixture("sources/arxiv_atom_listing_from_official_spec.xml"))
                    .unwrap(),
            ),
        ),
        (
            "/api/query".to_string(),
            Route {
                delay: Duration::from_millis(30),
                ..Route::ok(arxiv_api_feed(&[
                    "1706.03762",
                    "1810.04805",
                    "2006.11239",
                    "hep-th/9711200",
                ]))
            },
        ),
    ]));
    lib.set_setting(
        papersift_core::sync::SyncSettings::KEY,
        &json!({ "days": 3, "categories": ["cs.LG"], "hfUrl": server.url(),
                 "arxivFeedUrl": format!("{}/atom", server.url()),
                 "arxivApiUrl": format!("{}/api/query", server.url()), "arxivDelayMs": 5,
                 "crossrefUrl": server.url() }),
    )
    .unwrap();
    let (_app, w) = app(AppState::new(lib.clone()));
    let w = Arc::new(w);

    // A list to read while it is being re-imported and recommended from.
    let bib = fixture("import_samples/reading_list.bib");
    let list_id = {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let cfg = papersift_core::sync::SyncConfig::from_settings(
            &papersift_core::sync::SyncSettings::load(&lib).unwrap(),
        );
        rt.block_on(papersift_core::import::resolve::import_file(
            lib.clone(),
            &bib,
            &Default::default(),
            &cfg,
            &|_| {},
        ))
        .unwrap()
        .list_id
    };

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut workers = Vec::new();
    let jobs: Vec<(&str, Job)> = vec![
        (
            "search",
            Box::new(|i| {
                (
                    "search".into(),
                    json!({ "query": format!("attention transformers {i}"), "k": 20 }),
                )
            }),
        ),
        (
            "search",
            Box::new(|_| {
                (
                    "search".into(),
                    json!({ "query": "diffusion models for images", "mode": "dense" }),
                )
            }),
        ),
        (
            "keyword",
            Box::new(|_| {
                (
                    "search".into(),
                    json!({ "query": "NEAR(\"latent\" reasoning*", "mode": "keyword" }),
                )
            }),
        ),
        (
            "recommend",
            Box::new(move |_| ("recommend".into(), json!({ "id": list_id, "k": 10 }))),
        ),
        (
            "for-you",
            Box::new(|_| ("recommend".into(), json!({ "k": 10 }))),
        ),
        (
            "list",
            Box::new(move |_| ("list_items".into(), json!({ "id": list_id }))),
        ),
        ("status", Box::new(|_| ("library_status".into(), json!({})))),
        ("sync", Box::new(|_| ("sync_now".into(), json!({})))),
    ];
    for (name, job) in jobs {
        let (w, stop, done, failures) = (w.clone(), stop.clone(), done.clone(), failures.clone());
        workers.push(std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let (cmd, args) = job(i);
                match invoke(&w, &cmd, args) {
                    Ok(v) => {
                        if name == "list" {
                            // All five entries of the file, never some.
                            let n = v.as_array().map(Vec::len).unwrap_or(0);
                            if n != 5 {
                                failures
                                    .lock()
                                    .unwrap()
                                    .push(format!("list had {n} entries"));
                            }
                        }
                    }
                    // Two syncs at once: the second is refused, by design.
                    Err(e) if name == "sync" && e["kind"] == "busy" => {}
                    Err(e) => failures.lock().unwrap().push(format!("{name}: {e}")),
                }
                done.fetch_add(1, Ordering::SeqCst);
                i += 1;
            }
        }));
    }
    // Re-importing the same file meanwhile, again and again (it updates the list).
    {
        let (lib, stop, failures) = (lib.clone(), stop.clone(), failures.clone());
        workers.push(std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            let cfg = papersift_core::sync::SyncConfig::from_settings(
                &papersift_core::sync::SyncSettings::load(&lib).unwrap(),
            );
            while !stop.load(Ordering::SeqCst) {
                if let Err(e) = rt.block_on(papersift_core::import::resolve::import_file(
                    lib.clone(),
                    &bib,
                    &Default::default(),
                    &cfg,
                    &|_| {},
                )) {
                    failures.lock().unwrap().push(format!("import: {e}"));
                }
            }
        }));
    }
    std::thread::sleep(Duration::from_secs(8));
    stop.store(true, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(120);
    for wk in workers {
        while !wk.is_finished() {
            assert!(Instant::now() < deadline, "a worker is stuck: deadlock");
            std::thread::sleep(Duration::from_millis(50));
        }
        wk.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(failures.is_empty(), "{failures:?}");
    assert!(
        done.load(Ordering::SeqCst) > 50,
        "only {} calls finished",
        done.load(Ordering::SeqCst)
    );
    assert!(lib.stats().unwrap().papers >= 64);
    assert_eq!(lib.lists().unwrap().len(), 1);
}
