//! The cache's JSON sidecar as a lookup reads it: whatever a damaged or foreign file holds,
//! the body it names must stay inside the cache folder.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let url = url::Url::parse("https://example.com/slides/a_1.png").unwrap();
    if let Some(body) = deckconv::fetch::parse_cache_sidecar(data, &url) {
        assert!(!body.contains('/') && !body.contains('\\') && !body.contains(".."));
    }
});
