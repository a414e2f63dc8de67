//! Hugging Face Daily Papers pages and single-paper responses.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = papersift_core::sources::hf::parse_daily_papers(data);
    let _ = papersift_core::sources::hf::parse_paper(data);
});
