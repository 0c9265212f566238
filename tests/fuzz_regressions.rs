//! Inputs the fuzz targets (fuzz/, see fuzz/README.md) found, kept as regression tests.

use deckconv::model::DeckOrigin;
use deckconv::reader::{read_markdown_text, Base, MetaOverrides};

/// `title` target, crash-a7d382b6…: an H1 holding invalid UTF-8 and an image (`# 2-\xe5\xe4
/// \xff\xff\xff\xff\x8b+![](,1)`). The image inside the heading is a slide of its own (the
/// harness had assumed one slide); the title is cleaned to something non-empty.
#[test]
fn an_image_inside_the_h1_is_a_slide_and_the_title_stays_non_empty() {
    let raw = b"2-\xe5\xe4\xff\xff\xff\xff\x8b+![](,1)";
    let line = String::from_utf8_lossy(raw);
    let text = format!("# {line}\n\n![](slide_1.png)\n");
    let deck = read_markdown_text(
        &text,
        DeckOrigin::File("/nonexistent/deck.md".into()),
        &Base::Dir("/nonexistent".into()),
        &MetaOverrides::default(),
    )
    .expect("a deck");
    assert_eq!(deck.slides.len(), 2);
    assert_eq!(deck.slides[0].written, ",1");
    assert!(!deck.meta.title.trim().is_empty(), "{:?}", deck.meta);
}
