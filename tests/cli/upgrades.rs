//! A library made by each earlier schema version (tests/fixtures/schemas/, made by the
//! CLI of that version: scripts/make_schema_fixtures.sh) opens in this build, upgrades
//! to the current schema and keeps what it held: papers, vectors, lists and their
//! entries, alert rules (on the new standing scale) and ratings.

use crate::common::fixture;
use crate::{papersift, succeed};
use serde_json::Value;

#[test]
fn a_library_of_every_earlier_schema_opens_upgrades_and_keeps_its_papers() {
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("schemas/manifest.json")).unwrap())
            .unwrap();
    let versions = manifest.as_object().unwrap();
    assert!(versions.len() >= 9, "{} fixture libraries", versions.len());
    let current = papersift_core::store::MIGRATIONS.len() as i64;
    for (name, had) in versions {
        let was = had["user_version"].as_i64().unwrap();
        assert!(was < current, "{name} is not an earlier schema");
        let data = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixture(&format!("schemas/{name}.sqlite3")),
            data.path().join(papersift_core::config::DB_FILE),
        )
        .unwrap();
        let out = succeed(papersift(data.path()).args(["--json", "stats"]));
        let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(stats["schema_version"], current, "{name}");
        assert_eq!(stats["papers"], had["papers"], "{name}");

        let db =
            rusqlite::Connection::open(data.path().join(papersift_core::config::DB_FILE)).unwrap();
        let n = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        let ok: String = db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "{name}");
        assert_eq!(
            n("SELECT count(*) FROM embeddings"),
            had["embeddings"].as_i64().unwrap(),
            "{name}"
        );
        assert_eq!(
            n("SELECT count(*) FROM reading_lists"),
            had["lists"].as_i64().unwrap(),
            "{name}"
        );
        assert_eq!(
            n("SELECT count(*) FROM reading_list_items"),
            had["list_items"].as_i64().unwrap(),
            "{name}"
        );
        assert_eq!(
            n("SELECT count(*) FROM alert_rules"),
            had["alert_rules"].as_i64().unwrap(),
            "{name}"
        );
        // Old cosine thresholds mean nothing on the standing scale: every rule is at the
        // default top 1%.
        assert_eq!(
            n("SELECT count(*) FROM alert_rules WHERE abs(threshold - 0.99) > 1e-6"),
            0,
            "{name}"
        );
        // Dismissals became thumbs down (schema 11); ratings stay.
        assert_eq!(
            n("SELECT count(*) FROM ratings"),
            had["ratings"].as_i64().unwrap(),
            "{name}"
        );
        drop(db);

        // Keyword search works on what it held (the keyword index is built anew).
        let out = succeed(papersift(data.path()).args([
            "--json",
            "search",
            "--mode",
            "keyword",
            "--k",
            "3",
            "table structure recognition",
        ]));
        let found: Value = serde_json::from_slice(&out.stdout).unwrap();
        let first = &found["results"][0];
        assert_eq!(first["id"], "2503.11932", "{name}: {first}");
    }
}
