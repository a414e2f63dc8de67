//! Journal feeds: RSS 1.0, RSS 2.0, Atom (and whatever else arrives at a feed address),
//! and the markup-to-text reduction of their descriptions.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = papersift_core::sources::feeds::parse_feed(data);
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = papersift_core::sources::feeds::markup_to_text(s);
    }
});
