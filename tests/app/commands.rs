//! The IPC commands, invoked as the web view would, on the starter corpus with the
//! real embedding model.

use crate::common::model_cache;
use papersift_app_lib::{build, AppState};
use papersift_core::library::Library;
use papersift_embed::{EmbedConfig, ExecutionProvider, FastEmbedder};
use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow};

/// A library in a new folder, holding the starter corpus embedded by the real model
/// (all of it added "today").
pub(crate) fn embedded_starter_library() -> (tempfile::TempDir, Arc<Library>) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = EmbedConfig {
        cache_dir: model_cache(),
        provider: ExecutionProvider::Cpu,
        ..Default::default()
    };
    let lib = Library::open(
        dir.path(),
        Some(Arc::new(FastEmbedder::load(&cfg).unwrap())),
    )
    .unwrap();
    assert!(lib.seed_if_empty().unwrap());
    assert_eq!(lib.embed_pending(32, &mut |_, _| {}).unwrap(), 61);
    (dir, Arc::new(lib))
}

/// The seeded, embedded library, built once for the tests that only read it
/// (embedding 61 abstracts takes a few seconds).
fn seeded() -> Arc<Library> {
    static LIB: OnceLock<(tempfile::TempDir, Arc<Library>)> = OnceLock::new();
    LIB.get_or_init(embedded_starter_library).1.clone()
}

/// The app's commands on the mock runtime, with a window to invoke them from.
pub(crate) fn app(state: AppState) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = build(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

/// Invokes a command as the web view would: its JSON result, or its `{ kind, message }`.
pub(crate) fn invoke(
    window: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

fn titles(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| h["paper"]["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn paraphrased_abstracts_find_their_paper_first() {
    let (_app, w) = app(AppState::new(seeded()));
    // Queries that paraphrase a seed abstract without reusing its title.
    let cases = [
        ("telling how a speaker feels from Arabic voice recordings", "Hybrid CNN-Transformer Architecture for Arabic Speech Emotion Recognition"),
        ("one model that converts between pictures of sheet music, MIDI files and recordings", "Unified Cross-modal Translation of Score Images, Symbolic Music, and Performance Audio"),
        ("forecasting many variables over time with a state space model and linear attention side by side", "DC-Mamber: A Dual Channel Prediction Model based on Mamba and Linear Transformer for Multivariate Time Series Forecasting"),
        ("shrinking the key value cache by keeping only the important tokens while generating", "Coverage-Driven KV Cache Eviction for Efficient and Improved Inference of LLM"),
    ];
    for (query, want) in cases {
        for mode in ["dense", "hybrid"] {
            let hits = invoke(
                &w,
                "search",
                json!({ "query": query, "mode": mode, "k": 5 }),
            )
            .unwrap();
            assert_eq!(titles(&hits)[0], want, "mode {mode}, query {query:?}");
            let parts = &hits[0]["parts"];
            assert!(parts["dense"].as_f64().unwrap() > 0.3, "{parts}");
            assert_eq!(parts["denseRank"], 1);
        }
    }
}

#[test]
fn search_returns_papers_with_score_parts_and_filters() {
    let (_app, w) = app(AppState::new(seeded()));
    let hits = invoke(
        &w,
        "search",
        json!({ "query": "retrieval augmented generation", "k": 10 }),
    )
    .unwrap();
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 10);
    let top = &hits[0];
    assert!(top["paper"]["abstract"].as_str().unwrap().len() > 100);
    assert!(top["paper"]["authorCount"].as_u64().unwrap() > 0);
    assert_eq!(top["paper"]["sources"], json!(["seed"]));
    assert!(top["parts"]["keywordRank"].is_u64() || top["parts"]["denseRank"].is_u64());
    // Hybrid scores weigh normalized meaning and keyword scores: descending, within [0, 1].
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores[0] <= 1.0 + 1e-12 && scores[9] >= 0.0, "{scores:?}");

    // Date filter: only 2025 papers.
    let filtered = invoke(
        &w,
        "search",
        json!({ "query": "transformer", "mode": "keyword", "k": 50, "filter": { "from": "2025-01-01", "to": "2025-12-31" } }),
    )
    .unwrap();
    let dates: Vec<&str> = filtered
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["paper"]["published"].as_str().unwrap())
        .collect();
    assert!(!dates.is_empty());
    assert!(dates.iter().all(|d| d.starts_with("2025-")), "{dates:?}");

    // FTS syntax typed by a user is not an error.
    let odd = invoke(
        &w,
        "search",
        json!({ "query": "NEAR(\"attention* -", "mode": "keyword" }),
    )
    .unwrap();
    assert!(!odd.as_array().unwrap().is_empty());
}

#[test]
fn library_status_reports_counts_and_model_state() {
    let state = AppState::new(seeded());
    state.set_model_status(papersift_app_lib::ModelStatus {
        state: "ready".into(),
        ..Default::default()
    });
    let (_app, w) = app(state);
    let s = invoke(&w, "library_status", json!({})).unwrap();
    assert_eq!(s["papers"], 61);
    assert_eq!(s["embedded"], 61);
    assert_eq!(s["model"]["state"], "ready");
}

#[test]
fn errors_cross_ipc_as_kind_and_message() {
    // A library without a model: meaning search explains itself.
    let dir = tempfile::tempdir().unwrap();
    let lib = Arc::new(Library::open(dir.path(), None).unwrap());
    let (_app, w) = app(AppState::new(lib));
    let err = invoke(&w, "search", json!({ "query": "x", "mode": "dense" })).unwrap_err();
    assert_eq!(err["kind"], "embedding");
    assert!(err["message"].as_str().unwrap().contains("embedding model"));
    // A database from a newer Papersift is reported, not overwritten.
    let newer = tempfile::tempdir().unwrap();
    drop(Library::open(newer.path(), None).unwrap());
    rusqlite::Connection::open(newer.path().join(papersift_core::config::DB_FILE))
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let (_app, w) = app(AppState::open(newer.path()));
    let err = invoke(&w, "library_status", json!({})).unwrap_err();
    assert_eq!(err["kind"], "startup");
    assert!(
        err["message"].as_str().unwrap().contains("newer Papersift"),
        "{err}"
    );
}

#[test]
fn sync_now_uses_the_settings_reports_progress_and_runs_once_at_a_time() {
    use crate::common::{fixture, FixtureServer, Route};
    use std::collections::HashMap;
    use tauri::Listener;
    let server = FixtureServer::start(HashMap::from([
        (
            "/api/daily_papers".to_string(),
            Route::ok(std::fs::read(fixture("sources/hf_api_daily_papers_sample.json")).unwrap()),
        ),
        (
            "/atom/cs.LG".to_string(),
            Route::ok(
                std::fs::read(fixture("sources/arxiv_atom_listing_from_official_spec.xml"))
                    .unwrap(),
            ),
        ),
    ]));
    let dir = tempfile::tempdir().unwrap();
    let lib = Arc::new(Library::open(dir.path(), None).unwrap());
    let (app, w) = app(AppState::new(lib.clone()));
    let events = Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let seen = events.clone();
    app.listen_any("sync-progress", move |e| {
        seen.lock()
            .unwrap()
            .push(serde_json::from_str(e.payload()).unwrap());
    });

    // Settings round-trip; a bad value is refused with a clear message.
    let defaults = invoke(&w, "sync_settings", json!({})).unwrap();
    assert_eq!(defaults["days"], 7);
    assert_eq!(
        defaults["categories"],
        json!(["cs.LG", "cs.CL", "cs.AI", "cs.CV"])
    );
    let err = invoke(
        &w,
        "set_sync_settings",
        json!({ "settings": { "days": 0 } }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("between 1 and 90"));
    let stored = invoke(
        &w,
        "set_sync_settings",
        json!({ "settings": {
            "days": 2, "categories": ["cs.LG"], "backfillDays": 0,
            "hfUrl": server.url(),
            "arxivFeedUrl": format!("{}/atom", server.url()),
            "arxivApiUrl": format!("{}/api/query", server.url()),
            "arxivDelayMs": 5,
        } }),
    )
    .unwrap();
    assert_eq!(stored["hf"], true);

    let report = invoke(&w, "sync_now", json!({})).unwrap();
    let by_source = |name: &str| {
        report["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["source"] == name)
            .cloned()
            .unwrap()
    };
    // Two days of Daily Papers (the same recorded page), one listing feed.
    assert_eq!(by_source("hf")["new"], 2, "{report}");
    assert_eq!(by_source("hf")["requests"], 2);
    assert_eq!(by_source("arxiv")["new"], 1, "{report}");
    assert_eq!(lib.stats().unwrap().papers, 3);
    let stages: Vec<String> = events
        .lock()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["stage"].as_str().unwrap(),
                e["source"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(stages.contains(&"fetching:hf".to_string()), "{stages:?}");
    assert!(stages.contains(&"fetching:arxiv".to_string()), "{stages:?}");

    let status = invoke(&w, "sync_status", json!({})).unwrap();
    assert_eq!(status["running"], false);
    assert!(status["sources"][0]["lastSuccess"].is_string(), "{status}");

    // While another process syncs this library, the button gets a clear "busy".
    let held = lib.begin_sync().unwrap();
    let err = invoke(&w, "sync_now", json!({})).unwrap_err();
    assert_eq!(err["kind"], "busy");
    assert!(err["message"].as_str().unwrap().contains("already running"));
    drop(held);
}

#[test]
fn alert_commands_rules_preview_settings_and_matches() {
    // A library of its own: the test changes its rules and settings.
    let (_dir, lib) = embedded_starter_library();
    let (_app, w) = app(AppState::new(lib.clone()));

    // A saved search; the preview counts what the last 7 days would have matched, and
    // a higher threshold (a smaller top share of the library) never matches more.
    let id = invoke(
        &w,
        "add_search_alert",
        json!({ "name": "KV cache", "query": "evicting tokens from the key value cache to cut the memory of long-context inference" }),
    )
    .unwrap();
    let rules = invoke(&w, "alert_rules", json!({})).unwrap();
    assert_eq!(rules[0]["id"], id);
    assert_eq!(rules[0]["kind"], "search");
    assert!((rules[0]["threshold"].as_f64().unwrap() - 0.99).abs() < 1e-6);
    let preview = |t: f64| {
        invoke(
            &w,
            "preview_alert",
            json!({ "query": "evicting tokens from the key value cache to cut the memory of long-context inference", "threshold": t }),
        )
        .unwrap()
    };
    let (low, high) = (preview(0.9), preview(0.99));
    assert!(low["count"].as_u64().unwrap() >= high["count"].as_u64().unwrap());
    assert!(low["count"].as_u64().unwrap() >= 1, "{low}");
    assert!(
        low["papers"][0][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Coverage-Driven KV Cache Eviction"),
        "{low}"
    );
    let err = invoke(&w, "preview_alert", json!({ "threshold": 0.5 })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
    let err = invoke(
        &w,
        "update_alert_rule",
        json!({ "id": id, "threshold": 1.5, "enabled": true }),
    )
    .unwrap_err();
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("from the top 10% to the top 0.01%"));

    // Settings: validated, stored, applied.
    let err = invoke(
        &w,
        "set_alert_settings",
        json!({ "settings": { "syncIntervalMinutes": 5 } }),
    )
    .unwrap_err();
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("at most every 15 minutes"));
    let s = invoke(
        &w,
        "set_alert_settings",
        json!({ "settings": { "paused": true, "syncIntervalMinutes": 120, "quietHours": [1320, 420] } }),
    )
    .unwrap();
    assert_eq!(s["quietHours"], json!([1320, 420]));
    assert_eq!(
        invoke(&w, "alert_settings", json!({})).unwrap()["paused"],
        true
    );
    assert_eq!(
        lib.setting::<papersift_core::alerts::AlertSettings>("alerts")
            .unwrap()
            .unwrap()
            .sync_interval_minutes,
        120
    );

    // No matches yet: the tray model says so; deleting the rule works once.
    let tray = invoke(&w, "tray_status", json!({})).unwrap();
    assert_eq!(tray["unseen"], 0);
    assert_eq!(invoke(&w, "alert_matches", json!({})).unwrap(), json!([]));
    assert_eq!(
        invoke(&w, "delete_alert_rule", json!({ "id": id })).unwrap(),
        true
    );
    assert_eq!(
        invoke(&w, "delete_alert_rule", json!({ "id": id })).unwrap(),
        false
    );
}

#[test]
fn a_damaged_library_is_explained_and_moved_aside_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join(papersift_core::config::DB_FILE);
    std::fs::write(&db, b"not a database\n".repeat(300)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let (_app, w) = app(AppState::open(dir.path()));
    let p = invoke(&w, "startup_problem", json!({})).unwrap();
    assert_eq!(p["kind"], "damaged", "{p}");
    assert!(p["message"]
        .as_str()
        .unwrap()
        .contains("has not changed it"));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "opening must not touch the file"
    );
    // Every command says why instead of failing obscurely.
    let err = invoke(&w, "lists", json!({})).unwrap_err();
    assert_eq!(err["kind"], "startup");
    // The user chooses to move it aside: the file is kept under a new name.
    let aside = invoke(&w, "move_library_aside", json!({})).unwrap();
    let aside = std::path::PathBuf::from(aside.as_str().unwrap());
    assert!(aside
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("library.sqlite3.damaged-"));
    assert_eq!(std::fs::read(&aside).unwrap(), before);
    assert!(!db.exists());
    // The next start gets a fresh library.
    let (_app2, w2) = app(AppState::open(dir.path()));
    assert_eq!(
        invoke(&w2, "startup_problem", json!({})).unwrap(),
        Value::Null
    );
    assert_eq!(
        invoke(&w2, "library_status", json!({})).unwrap()["papers"],
        61
    );
    let err = invoke(&w2, "move_library_aside", json!({})).unwrap_err();
    assert_eq!(err["kind"], "invalid");
}

#[test]
fn feed_paper_and_similar_papers() {
    let (_app, w) = app(AppState::new(seeded()));
    // The starter papers span 2025..2026; a whole year by upvotes, then by date.
    let year = invoke(
        &w,
        "feed",
        json!({ "from": "2025-01-01", "to": "2025-12-31" }),
    )
    .unwrap();
    let papers = year["papers"].as_array().unwrap();
    assert!(papers.len() >= 3, "{year}");
    let ups: Vec<i64> = papers
        .iter()
        .map(|p| p["upvotes"].as_i64().unwrap_or(-1))
        .collect();
    assert!(ups.windows(2).all(|w| w[0] >= w[1]), "{ups:?}");
    let by_date = invoke(
        &w,
        "feed",
        json!({ "from": "2025-01-01", "to": "2025-12-31", "sort": "date" }),
    )
    .unwrap();
    let dates: Vec<&str> = by_date["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["published"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(dates.iter().all(|d| d.starts_with("2025")));
    // One day without papers falls back to the newest earlier day that has some.
    let day = invoke(&w, "feed", json!({ "from": "2030-01-01" })).unwrap();
    assert_eq!(day["from"], day["to"]);
    assert!(day["from"].as_str().unwrap() < "2030-01-01");
    assert!(!day["papers"].as_array().unwrap().is_empty());
    let err = invoke(&w, "feed", json!({ "from": "2024-13-01", "to": "x" })).unwrap_err();
    assert_eq!(err["kind"], "invalid");

    // A paper and its nearest neighbours (never itself).
    let key = papers[0]["key"].as_str().unwrap().to_string();
    let p = invoke(&w, "paper", json!({ "key": key })).unwrap();
    assert_eq!(p["key"], key.as_str());
    let sim = invoke(&w, "similar", json!({ "key": key, "k": 5 })).unwrap();
    let sim = sim.as_array().unwrap();
    assert_eq!(sim.len(), 5);
    assert!(sim.iter().all(|s| s[0]["key"] != key.as_str()));
    let scores: Vec<f64> = sim.iter().map(|s| s[1].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]) && scores[0] < 1.0,
        "{scores:?}"
    );
}

#[test]
fn the_map_of_the_starter_library_places_every_paper_once() {
    let lib = seeded();
    let (_app, w) = app(AppState::new(lib.clone()));
    let map = invoke(&w, "library_map", json!({})).unwrap();
    let keys = map["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 61);
    assert_eq!(map["unplaced"], 0);
    for col in ["titles", "xs", "ys", "groups"] {
        assert_eq!(map[col].as_array().unwrap().len(), 61, "{col}");
    }
    let mut distinct: Vec<&str> = keys.iter().map(|k| k.as_str().unwrap()).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 61);
    // Papers about the same thing sit closer than papers picked at random: the mean
    // map distance to each paper's 3 embedding neighbours is well below the overall mean.
    let xy = |i: usize| {
        (
            map["xs"][i].as_f64().unwrap(),
            map["ys"][i].as_f64().unwrap(),
        )
    };
    let at = |key: &str| keys.iter().position(|k| k == key).unwrap();
    let dist = |a: usize, b: usize| {
        let ((ax, ay), (bx, by)) = (xy(a), xy(b));
        ((ax - bx).powi(2) + (ay - by).powi(2)).sqrt()
    };
    let (mut near, mut all) = (Vec::new(), Vec::new());
    for (i, k) in keys.iter().enumerate() {
        for (p, _) in lib.similar(k.as_str().unwrap(), 3).unwrap() {
            near.push(dist(i, at(&p.key)));
        }
        for j in 0..61 {
            if j != i {
                all.push(dist(i, j));
            }
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!(
        mean(&near) < 0.6 * mean(&all),
        "neighbours {:.3} vs all {:.3}",
        mean(&near),
        mean(&all)
    );
    // A second call reads the cached layout: the same positions.
    let again = invoke(&w, "library_map", json!({})).unwrap();
    assert_eq!(again["xs"], map["xs"]);
}

#[test]
fn model_settings_refuse_what_cannot_run_and_change_nothing() {
    let lib = seeded();
    let (_app, w) = app(AppState::new(lib.clone()));
    let view = invoke(&w, "embedding_settings", json!({})).unwrap();
    let names: Vec<&str> = view["catalogue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "all-MiniLM-L6-v2-int8");
    assert!(names.contains(&"bge-small-en-v1.5"));
    assert_eq!(view["configured"]["model"], Value::Null);
    assert_eq!(view["cudaAvailable"], false);

    // This machine's ONNX Runtime has no CUDA: asking for it is refused with the reason.
    let err = invoke(
        &w,
        "set_embedding_settings",
        json!({ "settings": { "provider": "cuda" } }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "embedding");
    assert!(err["message"].as_str().unwrap().contains("CUDA"), "{err}");
    let err = invoke(
        &w,
        "set_embedding_settings",
        json!({ "settings": { "model": "no-such-model" } }),
    )
    .unwrap_err();
    assert_eq!(err["kind"], "invalid");
    // Nothing was stored, and search still runs on the old model.
    let view = invoke(&w, "embedding_settings", json!({})).unwrap();
    assert_eq!(
        view["configured"],
        json!({ "model": null, "provider": null })
    );
    assert_eq!(
        lib.embedder().unwrap().model_id(),
        "Xenova/all-MiniLM-L6-v2@256"
    );
}

#[test]
fn alert_defaults_apply_to_new_rules() {
    // No model needed: rules are stored, not evaluated, here.
    let lib = Arc::new(Library::open_in_memory(None).unwrap());
    let (_app, w) = app(AppState::new(lib));
    let mut s = invoke(&w, "alert_settings", json!({})).unwrap();
    assert_eq!(s["searchThreshold"].as_f64().unwrap() as f32, 0.99);
    s["searchThreshold"] = json!(0.995);
    invoke(&w, "set_alert_settings", json!({ "settings": s })).unwrap();
    invoke(
        &w,
        "add_search_alert",
        json!({ "name": "diffusion", "query": "diffusion models" }),
    )
    .unwrap();
    let rules = invoke(&w, "alert_rules", json!({})).unwrap();
    let t = rules[0]["threshold"].as_f64().unwrap() as f32;
    assert!((t - 0.995).abs() < 1e-6, "{rules}");
    s["searchThreshold"] = json!(1.5);
    let err = invoke(&w, "set_alert_settings", json!({ "settings": s })).unwrap_err();
    assert_eq!(err["kind"], "invalid");
}

#[test]
fn every_command_the_ui_calls_is_granted_to_the_window() {
    let root = crate::common::repo_root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let (api, build_rs, caps) = (
        read("ui/src/api.ts"),
        read("src-tauri/build.rs"),
        read("src-tauri/capabilities/default.json"),
    );
    let mut called: Vec<&str> = api
        .split("invoke")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start_matches(|c: char| c != '(' && c != '"');
            let rest = rest.strip_prefix("(\"")?;
            rest.split('"').next()
        })
        .collect();
    called.sort_unstable();
    called.dedup();
    assert!(called.len() > 40, "{called:?}");
    for c in &called {
        assert!(
            build_rs.contains(&format!("\"{c}\"")),
            "{c} is not in build.rs's COMMANDS"
        );
        let allow = format!("\"allow-{}\"", c.replace('_', "-"));
        assert!(caps.contains(&allow), "the window is not granted {c}");
    }
}

#[test]
fn rating_commands_rate_mark_rank_and_reset() {
    let (_dir, lib) = embedded_starter_library();
    let (_app, w) = app(AppState::new(lib.clone()));
    let feed = |sort: &str| {
        invoke(
            &w,
            "feed",
            json!({ "from": "2020-01-01", "to": "2030-12-31", "sort": sort, "limit": 100 }),
        )
        .unwrap()
    };
    let all = feed("date");
    assert!(all["why"].is_null());
    let keys: Vec<String> = all["papers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 61);
    // Nothing to learn from: For you is empty and offers papers to rate instead.
    assert_eq!(feed("foryou")["papers"], json!([]));
    let start = invoke(&w, "cold_start", json!({})).unwrap();
    let start = start.as_array().unwrap();
    assert_eq!(start.len(), 10);
    let rate =
        |key: &str, rating: Value| invoke(&w, "rate", json!({ "paper": key, "rating": rating }));
    rate(&keys[0], json!("up")).unwrap();
    rate(&keys[1], json!("up")).unwrap();
    rate(&keys[2], json!("down")).unwrap();
    let err = rate(&keys[3], json!("sideways")).unwrap_err();
    assert_eq!(err["kind"], "invalid");
    let err = rate("no-such-paper", json!("up")).unwrap_err();
    assert_eq!(err["kind"], "invalid");

    let ranked = feed("foryou");
    let papers = ranked["papers"].as_array().unwrap();
    let why = ranked["why"].as_array().unwrap();
    assert_eq!(papers.len(), 60, "every paper but the 👎 one");
    assert_eq!(why.len(), papers.len());
    assert!(papers.iter().all(|p| p["key"] != keys[2].as_str()));
    let lead: Vec<&str> = papers[..2]
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert!(lead.contains(&keys[0].as_str()) && lead.contains(&keys[1].as_str()));
    assert_eq!(why[0]["yours"], true);
    assert_eq!(why[2]["yours"], false);
    let because = why[2]["because"][0]["key"].as_str().unwrap();
    assert!(because == keys[0] || because == keys[1], "{}", why[2]);

    // Seen marks and ratings, as each card shows them.
    let seen = invoke(
        &w,
        "mark_papers_seen",
        json!({ "keys": [keys[0], keys[3]] }),
    )
    .unwrap();
    assert_eq!(seen, 2);
    let marks = invoke(
        &w,
        "marks",
        json!({ "keys": [keys[0], keys[2], keys[3], keys[4]] }),
    )
    .unwrap();
    let marks: Vec<(String, Value, bool)> = marks
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["key"].as_str().unwrap().to_string(),
                m["rating"].clone(),
                m["seen"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        vec![
            (keys[0].clone(), json!("up"), true),
            (keys[2].clone(), json!("down"), false),
            (keys[3].clone(), Value::Null, true),
            (keys[4].clone(), Value::Null, false),
        ]
    );
    let counts = invoke(&w, "unseen_recommendations", json!({})).unwrap();
    let unseen = counts["forYou"].as_u64().unwrap();
    assert!((1..=30).contains(&unseen), "{counts}");

    // The ratings page: three, newest first; clearing one and resetting the rest.
    let rated = invoke(&w, "ratings", json!({})).unwrap();
    assert_eq!(rated.as_array().unwrap().len(), 3, "{rated}");
    rate(&keys[2], Value::Null).unwrap();
    assert!(feed("foryou")["papers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["key"] == keys[2].as_str()));
    assert_eq!(invoke(&w, "reset_ratings", json!({})).unwrap(), 2);
    assert_eq!(invoke(&w, "ratings", json!({})).unwrap(), json!([]));
    assert_eq!(feed("foryou")["papers"], json!([]));
}
