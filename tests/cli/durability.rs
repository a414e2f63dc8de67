//! A sync killed with SIGKILL at many moments (fetching, storing, embedding) leaves a
//! library that passes SQLite's integrity check and keeps everything committed before
//! the kill; the next run completes it.

use crate::common::{fixture, hf_daily_items, model_cache, FixtureServer, Route};
use crate::{papersift, succeed};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const DAYS: usize = 8;
const PER_DAY: usize = 5;

/// Daily Papers pages built from 40 real arXiv listings (5 per day, 8 days before
/// 2026-08-12), each answered after a delay so kills land mid-sync.
fn server() -> FixtureServer {
    daily_server(None, 150)
}

/// The Daily Papers pages of [`server`], answered after `delay_ms`; with `mark`, each
/// title and abstract carries that word (two such servers taking turns change every
/// paper's text at every sync).
fn daily_server(mark: Option<&str>, delay_ms: u64) -> FixtureServer {
    let text = std::fs::read_to_string(fixture("arxiv_sample_40.jsonl")).unwrap();
    let papers: Vec<Value> = text
        .lines()
        .map(|l| {
            let mut p: Value = serde_json::from_str(l).unwrap();
            if let Some(m) = mark {
                let title = format!("{} {m}", p["title"].as_str().unwrap());
                let abstract_text = format!("{} Marked {m}.", p["abstract"].as_str().unwrap());
                p["title"] = Value::from(title);
                p["abstract"] = Value::from(abstract_text);
            }
            p
        })
        .collect();
    let mut routes = HashMap::new();
    for d in 0..DAYS {
        let date = format!("2026-08-{:02}", 5 + d);
        let items = hf_daily_items(&papers[d * PER_DAY..(d + 1) * PER_DAY], &date);
        routes.insert(
            format!("/api/daily_papers?date={date}&p=0&limit=100"),
            Route {
                delay: Duration::from_millis(delay_ms),
                ..Route::ok(items)
            },
        );
    }
    FixtureServer::start(routes)
}

fn sync(data: &Path, server: &FixtureServer) -> Command {
    let mut c = papersift(data);
    c.args([
        "--json",
        "sync",
        "--source",
        "hf",
        "--days",
        "8",
        "--today",
        "2026-08-12",
    ])
    .env("PAPERSIFT_MODEL_CACHE", model_cache())
    .env("PAPERSIFT_HF_URL", server.url())
    .env("PAPERSIFT_EMBED_BATCH", "4");
    c
}

/// (integrity_check, papers, vectors, sync cursor) read straight from the database.
fn inspect(data: &Path) -> (String, i64, i64, Option<String>) {
    let db = rusqlite::Connection::open(data.join(papersift_core::config::DB_FILE)).unwrap();
    let ok: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let cursor = db
        .query_row(
            "SELECT cursor FROM sync_state WHERE source = 'hf'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(None);
    (
        ok,
        count("SELECT count(*) FROM papers"),
        count("SELECT count(*) FROM embeddings"),
        cursor,
    )
}

#[test]
fn a_sync_killed_at_any_moment_loses_nothing_and_the_next_run_completes_it() {
    let data = tempfile::tempdir().unwrap();
    let server = server();
    // Create the library first so every kill hits a sync, not the first migration.
    succeed(papersift(data.path()).arg("stats"));
    let mut last = (0, 0);
    let mut kills = 0;
    for i in 0..20u64 {
        let mut child = sync(data.path(), &server)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread over model loading, fetching, storing and embedding.
        std::thread::sleep(Duration::from_millis(150 + i * 210));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        let (ok, papers, vectors, cursor) = inspect(data.path());
        assert_eq!(ok, "ok", "kill {i}");
        // Nothing committed before a kill is lost.
        assert!(
            papers >= last.0 && vectors >= last.1,
            "kill {i}: {papers}/{vectors} after {last:?}"
        );
        assert!(vectors <= papers);
        // The cursor never runs ahead of the stored papers: each finished day has its 5.
        if let Some(c) = cursor {
            let day: usize = c[8..10].parse().unwrap();
            assert!(
                papers as usize >= (day - 4) * PER_DAY,
                "cursor {c}, {papers} papers"
            );
        }
        last = (papers, vectors);
    }
    assert!(kills >= 5, "only {kills} runs were killed mid-sync");
    // The next run completes the work: every paper once, every paper embedded.
    let out = succeed(&mut sync(data.path(), &server));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["sources"][0]["error"].is_null(), "{report}");
    let (ok, papers, vectors, cursor) = inspect(data.path());
    assert_eq!(
        (ok.as_str(), papers, vectors, cursor.as_deref()),
        ("ok", 40, 40, Some("2026-08-11"))
    );
}

/// Runs `cmd` and SIGKILLs it after `after` unless it ended; true when it was killed.
fn kill_after(cmd: &mut Command, after: Duration) -> bool {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let killed = child.try_wait().unwrap().is_none();
    if killed {
        child.kill().unwrap();
    }
    child.wait().unwrap();
    killed
}

fn count(data: &Path, sql: &str) -> i64 {
    let db = rusqlite::Connection::open(data.join(papersift_core::config::DB_FILE)).unwrap();
    let ok: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    db.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_embedding_pass_killed_20_times_keeps_every_finished_chunk() {
    let data = tempfile::tempdir().unwrap();
    let corpus = fixture("arxiv_sample_40.jsonl");
    succeed(
        papersift(data.path())
            .args(["import-corpus", "--no-embed"])
            .arg(&corpus),
    );
    let embed = || {
        let mut c = papersift(data.path());
        c.args(["embed", "--chunk", "2"])
            .env("PAPERSIFT_MODEL_CACHE", model_cache())
            .env("PAPERSIFT_EMBED_BATCH", "2");
        c
    };
    let (mut last, mut kills) = (0, 0);
    for i in 0..20u64 {
        // Small steps: a fast machine must still be stopped mid-pass several times.
        if kill_after(&mut embed(), Duration::from_millis(300 + i * 50)) {
            kills += 1;
        }
        let n = count(data.path(), "SELECT count(*) FROM embeddings");
        assert!(n >= last, "kill {i}: {n} vectors after {last}");
        // Every stored vector belongs to its paper's current text.
        let stale = count(
            data.path(),
            "SELECT count(*) FROM embeddings e JOIN papers p ON p.id = e.paper_id \
             WHERE e.content_hash != p.content_hash",
        );
        assert_eq!(stale, 0);
        last = n;
        if n == 40 {
            break;
        }
    }
    assert!(kills >= 5, "only {kills} passes were killed");
    succeed(&mut embed());
    assert_eq!(count(data.path(), "SELECT count(*) FROM embeddings"), 40);
}

#[test]
fn an_import_killed_20_times_leaves_no_partial_list() {
    let data = tempfile::tempdir().unwrap();
    // 1,000 arXiv ids: ten id_list requests to a slow arXiv.
    let file = data.path().join("big list.md");
    let ids: String = (1..=1000)
        .map(|i| format!("- arXiv:2401.{i:05}\n"))
        .collect();
    std::fs::write(&file, ids).unwrap();
    let server = FixtureServer::start(HashMap::from([(
        "/api/query".to_string(),
        Route {
            delay: Duration::from_millis(120),
            ..Route::ok(crate::common::arxiv_api_feed(&["1706.03762"]))
        },
    )]));
    let import = || {
        let mut c = papersift(data.path());
        c.arg("import")
            .arg(&file)
            .env("PAPERSIFT_MODEL_CACHE", model_cache())
            .env(
                "PAPERSIFT_ARXIV_API_URL",
                format!("{}/api/query", server.url()),
            )
            .env("PAPERSIFT_ARXIV_DELAY_MS", "10");
        c
    };
    succeed(papersift(data.path()).arg("stats"));
    let mut kills = 0;
    for i in 0..20u64 {
        if kill_after(&mut import(), Duration::from_millis(100 + i * 200)) {
            kills += 1;
        }
        // A list exists whole or not at all.
        let lists = count(data.path(), "SELECT count(*) FROM reading_lists");
        let items = count(data.path(), "SELECT count(*) FROM reading_list_items");
        assert!(lists <= 1, "kill {i}: {lists} lists");
        assert_eq!(items, lists * 1000, "kill {i}: a partial list");
    }
    assert!(kills >= 10, "only {kills} imports were killed");
    succeed(&mut import());
    assert_eq!(count(data.path(), "SELECT count(*) FROM reading_lists"), 1);
    assert_eq!(
        count(data.path(), "SELECT count(*) FROM reading_list_items"),
        1000
    );
}

/// `papersift keywords --json`: the keyword index against the database, after the
/// restart has applied what the killed run left in the log.
fn keyword_check(data: &Path) -> Value {
    let out = succeed(papersift(data).args(["--json", "keywords"]));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Keys of the papers a keyword search finds.
fn keyword_hits(data: &Path, query: &str) -> Vec<String> {
    let out = succeed(
        papersift(data).args(["--json", "search", "--mode", "keyword", "--k", "100", query]),
    );
    crate::result_ids(&serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn the_keyword_index_agrees_with_the_database_after_20_kills_mid_update() {
    let data = tempfile::tempdir().unwrap();
    let servers = [
        daily_server(Some("alpha"), 60),
        daily_server(Some("omega"), 60),
    ];
    succeed(papersift(data.path()).arg("stats"));
    let db =
        || rusqlite::Connection::open(data.path().join(papersift_core::config::DB_FILE)).unwrap();
    let mut kills = 0;
    for i in 0..24u64 {
        let server = &servers[(i % 2) as usize];
        // Each run fetches all 8 days again, so it rewrites papers stored before.
        db().execute("DELETE FROM sync_state", []).unwrap();
        let mut cmd = sync(data.path(), server);
        cmd.env("PAPERSIFT_EMBED_BATCH", "64");
        if kill_after(&mut cmd, Duration::from_millis(250 + (i % 8) * 90)) {
            kills += 1;
        }
        if i == 11 {
            // Papers removed from the database behind the index's back.
            db().execute(
                "DELETE FROM papers WHERE id IN (SELECT id FROM papers LIMIT 3)",
                [],
            )
            .unwrap();
        }
        let check = keyword_check(data.path());
        assert_eq!(check["agrees"], Value::Bool(true), "kill {i}: {check}");
        assert_eq!(
            check["check"]["applied"], check["check"]["log_head"],
            "kill {i}"
        );
        // No stale hit: a paper found by a variant's word holds that word now.
        let conn = db();
        for word in ["alpha", "omega"] {
            for key in keyword_hits(data.path(), word) {
                let (title, abstract_text): (String, String) = conn
                    .query_row(
                        "SELECT title, abstract FROM papers WHERE key = ?",
                        [&key],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                assert!(
                    title.to_lowercase().contains(word)
                        || abstract_text.to_lowercase().contains(word),
                    "kill {i}: {key} found by {word}: {title}"
                );
            }
        }
    }
    assert!(kills >= 20, "only {kills} runs were killed mid-sync");
    // A last, whole run leaves every paper with the last variant, found by its word.
    db().execute("DELETE FROM sync_state", []).unwrap();
    succeed(&mut sync(data.path(), &servers[0]));
    let check = keyword_check(data.path());
    assert_eq!(check["check"]["papers"], Value::from(40), "{check}");
    assert_eq!(keyword_hits(data.path(), "alpha").len(), 40);
    assert!(keyword_hits(data.path(), "omega").is_empty());
}

/// A tmpfs of a few megabytes mounted on a fresh folder, unmounted when dropped: a
/// real file system that really fills. Mounting needs root, or sudo without a password
/// (as scripts/setup.sh uses to install packages).
struct SmallDisk {
    dir: tempfile::TempDir,
}

/// `mount`/`umount` as root, else through `sudo -n`.
fn privileged(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut c = if root {
        Command::new(args[0])
    } else {
        let mut c = Command::new("sudo");
        c.arg("-n").arg(args[0]);
        c
    };
    c.args(&args[1..]).output().unwrap()
}

impl SmallDisk {
    fn mount(mb: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let opts = format!("size={mb}m,mode=1777");
        let out = privileged(&[
            "mount".as_ref(),
            "-t".as_ref(),
            "tmpfs".as_ref(),
            "-o".as_ref(),
            opts.as_ref(),
            "tmpfs".as_ref(),
            dir.path().as_os_str(),
        ]);
        assert!(
            out.status.success(),
            "a {mb} MB tmpfs could not be mounted (this test needs root or sudo): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk until `leave` bytes are left (a failed command's SQLite
    /// write-ahead log is gone when it exits, so each fills anew).
    fn fill(&self, leave: u64) {
        let free = papersift_core::error::free_bytes(self.path()).unwrap();
        let filler = self.path().join("filler");
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&filler)
            .unwrap();
        let block = vec![0u8; 64 << 10];
        let mut left = free.saturating_sub(leave);
        while left > 0 {
            let n = left.min(block.len() as u64) as usize;
            std::io::Write::write_all(&mut f, &block[..n]).unwrap();
            left -= n as u64;
        }
        f.sync_all().unwrap();
    }

    fn free(&self) {
        std::fs::remove_file(self.path().join("filler")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Runs a command that must stop on the full disk: exit status 1 and the one message.
fn stops_on_full_disk(cmd: &mut Command, then: &str) {
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{cmd:?}: {err}");
    let want = format!("is full: free 50 MB and {then}");
    assert!(
        err.contains("the disk holding your library") && err.contains(&want),
        "{cmd:?}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_full_disk_stops_embedding_sync_and_import_clearly_and_loses_nothing() {
    let disk = SmallDisk::mount(48);
    let data = disk.path().join("library");
    let server = daily_server(None, 0);
    let bib = fixture("import_samples/reading_list.bib");
    // The library holds 160 papers; the sync brings 40 others.
    let id = |l: &str| serde_json::from_str::<Value>(l).unwrap()["id"].clone();
    let synced: Vec<Value> = std::fs::read_to_string(fixture("arxiv_sample_40.jsonl"))
        .unwrap()
        .lines()
        .map(id)
        .collect();
    let all = std::fs::read_to_string(fixture("arxiv_query_200.jsonl")).unwrap();
    let seed: Vec<&str> = all.lines().filter(|l| !synced.contains(&id(l))).collect();
    assert_eq!(seed.len(), 160);
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("seed.jsonl");
    std::fs::write(&corpus, seed.join("\n")).unwrap();
    succeed(
        papersift(&data)
            .args(["import-corpus", "--no-embed"])
            .arg(&corpus),
    );
    let embed = || {
        let mut c = papersift(&data);
        c.args(["embed", "--chunk", "16"])
            .env("PAPERSIFT_MODEL_CACHE", model_cache());
        c
    };
    let import = || {
        let mut c = papersift(&data);
        c.args(["import", "--offline"])
            .arg(&bib)
            .env("PAPERSIFT_MODEL_CACHE", model_cache());
        c
    };

    // A quarter of a megabyte left: the embedding pass stores a few chunks and stops,
    // and so does the sync.
    disk.fill(256 << 10);
    stops_on_full_disk(&mut embed(), "run papersift embed again");
    let (ok, papers, vectors, _) = inspect(&data);
    assert_eq!((ok.as_str(), papers), ("ok", 160));
    assert!(vectors < 160, "{vectors} vectors on a full disk");
    disk.fill(256 << 10);
    stops_on_full_disk(&mut sync(&data, &server), "sync again");
    // Nothing left at all: the library cannot even open its shared memory.
    disk.fill(0);
    stops_on_full_disk(&mut import(), "import the file again");
    let (ok, after, after_vectors, _) = inspect(&data);
    assert_eq!(ok, "ok");
    assert!(after >= papers && after_vectors >= vectors);
    // The list is one transaction: absent, or whole (SQLite may reuse the room its
    // write-ahead log already held).
    let list_rows = || {
        let db = rusqlite::Connection::open(data.join(papersift_core::config::DB_FILE)).unwrap();
        let n = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        (
            n("SELECT count(*) FROM reading_lists"),
            n("SELECT count(*) FROM reading_list_items"),
        )
    };
    let on_full_disk = list_rows();

    // Space freed: each completes where it stopped.
    disk.free();
    let out = succeed(&mut sync(&data, &server));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["sources"][0]["error"].is_null(), "{report}");
    assert!(report["embedError"].is_null(), "{report}");
    succeed(&mut embed());
    succeed(&mut import());
    let (lists, items) = list_rows();
    assert_eq!(lists, 1);
    assert!(items >= 5, "{items} entries");
    assert!(
        on_full_disk == (0, 0) || on_full_disk == (1, items),
        "a list half stored on a full disk: {on_full_disk:?}"
    );
    let (ok, papers, vectors, cursor) = inspect(&data);
    assert_eq!(ok, "ok");
    assert_eq!((papers, vectors), (200, 200));
    assert_eq!(cursor.as_deref(), Some("2026-08-11"));
    // The keyword index holds every paper once, with its current text.
    let check = succeed(papersift(&data).arg("keywords"));
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("agrees with the library: 200 entries"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
