//! `ui/src/bindings.ts`: the TypeScript types of what crosses IPC, generated from the
//! Rust types (ts-rs) so the window and the core cannot drift apart. Every field is
//! camelCase. The test below fails when the file is stale; to rewrite it:
//! `PAPERSIFT_WRITE_BINDINGS=1 cargo test -p papersift-app --lib bindings`.

use ts_rs::{Config, TS};

/// Every type the window reads or sends, in the order they are written.
fn render() -> String {
    use papersift_core as core;
    // Numbers, not bigint: ids, counts and times are far below 2^53.
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from Papersift's Rust types by src-tauri/src/bindings.rs: do not edit.\n\
         // PAPERSIFT_WRITE_BINDINGS=1 cargo test -p papersift-app --lib bindings\n",
    );
    macro_rules! types {
        ($($t:ty),* $(,)?) => {
            $(
                out.push('\n');
                out.push_str("export ");
                out.push_str(&<$t as TS>::decl(&cfg));
                out.push('\n');
            )*
        };
    }
    types!(
        // Papers and search.
        core::model::Link,
        core::tex::MathSpan,
        core::model::Source,
        core::model::PaperMath,
        core::model::Paper,
        core::rank::SearchMode,
        core::rank::ScoreParts,
        core::rank::SearchHit,
        core::query::Filter,
        core::library::SuggestionKind,
        core::library::Suggestion,
        crate::commands::search::QueryReading,
        // The library's state.
        crate::state::ModelStatus,
        crate::state::KeywordStatus,
        crate::commands::library::LibraryStatus,
        crate::state::StartupProblem,
        crate::error::IpcError,
        // Sync.
        core::sync::SyncProgress,
        core::alerts::RuleAlert,
        core::sync::SourceReport,
        core::sync::SyncReport,
        core::store::SyncState,
        crate::commands::sync::SyncStatus,
        core::sync::SyncSettings,
        core::sync::FeedInfo,
        core::sources::arxiv_taxonomy::Category,
        core::export::Format,
        // Lists, ratings, recommendations, imports.
        core::store::ListSummary,
        core::store::ListLink,
        core::store::LinkSource,
        core::store::ListItem,
        core::library::Because,
        core::library::Recommendation,
        core::store::Rating,
        core::library::PaperMarks,
        core::library::RatedPaper,
        core::library::UnseenCounts,
        core::import::resolve::Unresolved,
        core::import::Format,
        core::import::resolve::ImportReport,
        core::import::resolve::ImportProgress,
        crate::importer::ImportFailure,
        crate::importer::ImportOutcome,
        crate::importer::ImportEvent,
        // Zotero and linked lists.
        core::import::resolve::Tally,
        core::import::links::FollowReport,
        core::import::zotero::ZoteroLibrary,
        core::import::zotero::ZoteroCollection,
        core::import::links::ZoteroOverview,
        core::zotero_connector::Saved,
        // Alerts.
        core::store::AlertRule,
        core::store::AlertMatch,
        crate::commands::alerts::Preview,
        core::alerts::AlertSettings,
        crate::tray::TrayModel,
        // Today, the map, settings.
        crate::commands::papers::Why,
        crate::commands::papers::Feed,
        core::library::MapList,
        core::library::MapLayout,
        core::library::LibraryMap,
        core::embedder::EmbeddingSettings,
        papersift_embed::ModelChoice,
        crate::commands::settings::EmbeddingView,
        core::config::DataDirSource,
        crate::commands::settings::DataFolder,
    );
    out
}

#[test]
fn bindings_ts_is_generated_from_the_rust_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let want = render();
    if std::env::var_os("PAPERSIFT_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/src/bindings.ts is stale: regenerate it with \
         PAPERSIFT_WRITE_BINDINGS=1 cargo test -p papersift-app --lib bindings"
    );
}
