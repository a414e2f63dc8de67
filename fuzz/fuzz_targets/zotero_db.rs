//! A `zotero.sqlite` file: copied, opened, checked and read as Papersift reads a
//! user's Zotero library (libraries, collections, every library's entries).
#![no_main]
use papersift_core::import::zotero::Snapshot;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("papersift-fuzz-zotero-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    if std::fs::write(dir.join("zotero.sqlite"), data).is_err() {
        return;
    }
    if let Ok(snap) = Snapshot::take(&dir, &dir.join("scratch")) {
        let _ = snap.collections();
        if let Ok(libs) = snap.libraries() {
            for l in libs {
                let _ = snap.entries(l.id, None);
            }
        }
    }
});
