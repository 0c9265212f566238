//! The deck readers on any text: Markdown (front matter, headings, images, HTML `<img>`,
//! notes), list files (one path or URL per line, `#` comments) and the Markdown-or-list
//! detection of `read_text`, each against a local folder and a remote deck URL.
#![no_main]
use deckconv::model::DeckOrigin;
use deckconv::reader::{read_list_text, read_markdown_text, read_text, Base, MetaOverrides};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let overrides = MetaOverrides::default();
    let local = Base::Dir("/nonexistent-deckconv-fuzz".into());
    let url = url::Url::parse("https://example.com/decks/talk.md").unwrap();
    let remote = Base::Url(url.clone());
    let origin = DeckOrigin::File("/nonexistent-deckconv-fuzz/deck.md".into());
    for base in [&local, &remote] {
        if let Ok(deck) = read_markdown_text(&text, origin.clone(), base, &overrides) {
            assert!(!deck.slides.is_empty());
            assert!(!deck.meta.title.is_empty());
            for (i, slide) in deck.slides.iter().enumerate() {
                assert_eq!(slide.position, i + 1);
            }
        }
        if let Ok(deck) = read_list_text(&text, DeckOrigin::Url(url.clone()), base, &overrides) {
            assert!(!deck.slides.is_empty());
        }
    }
    let _ = read_text(&text, DeckOrigin::Stdin, &local, &overrides);
});
