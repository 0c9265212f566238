//! The title cleaner, reached through its smallest stable surface: a Markdown deck whose
//! first line is `# <input>` (and, separately, a deck file named after the input), and the
//! input's lines as a name among its folder's sibling names.
#![no_main]
use deckconv::model::DeckOrigin;
use deckconv::reader::{read_markdown_text, title, Base, MetaOverrides};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let line = raw.replace(['\n', '\r'], " ");
    let text = format!("# {line}\n\n![](slide_1.png)\n");
    let base = Base::Dir("/nonexistent-deckconv-fuzz".into());
    let origin = DeckOrigin::File("/nonexistent-deckconv-fuzz/deck.md".into());
    if let Ok(deck) = read_markdown_text(&text, origin, &base, &MetaOverrides::default()) {
        assert!(!deck.meta.title.is_empty(), "empty title for {line:?}");
        // An image written inside the heading is a slide too (found by this target).
        assert!(!deck.slides.is_empty());
    }
    // The file-name path (no H1): the name is cleaned too.
    let name = line.replace(['/', '\0'], "_");
    let origin = DeckOrigin::File(format!("/nonexistent-deckconv-fuzz/{name}.md").into());
    let _ = read_markdown_text("![](a.png)\n", origin, &base, &MetaOverrides::default());
    // A name beside siblings (the first line and the others): what they share is read as the
    // collection's.
    let mut lines = raw.lines();
    if let Some(first) = lines.next() {
        let siblings: Vec<String> = lines.map(str::to_string).collect();
        let _ = title::analyze_among(first, &siblings, true);
        let _ = title::analyze_among(first, &siblings, false);
    }
});
