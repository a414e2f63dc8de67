//! A Zotero profile's `profiles.ini` and `prefs.js` (where the data folder is named),
//! given as one input split at the first NUL byte.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (ini, prefs) = text.split_once('\0').unwrap_or((&text, &text));
    let _ = papersift_core::import::zotero::profile_paths(ini);
    let _ = papersift_core::import::zotero::data_dir_pref(prefs);
});
