//! OpenReview API v2 notes (JSON).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = papersift_core::sources::openreview::parse_notes(data);
});
