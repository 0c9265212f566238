//! Slide source resolution (URLs, Windows paths, `%` escapes, `//host`, schemes) against a
//! local folder and a remote deck URL, and the file stem that labels a slide.
#![no_main]
use deckconv::model::SlideSource;
use deckconv::reader::{resolve_source, Base};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let written = String::from_utf8_lossy(data);
    let local = Base::Dir("/nonexistent-deckconv-fuzz".into());
    let remote = Base::Url(url::Url::parse("https://example.com/decks/talk.md").unwrap());
    let _ = resolve_source(&written, &local);
    // A remote deck may only ever reach http(s) URLs; an image embedded in it (`data:`) reaches
    // nothing, and is no larger than its own text.
    match resolve_source(&written, &remote).0 {
        Ok(SlideSource::Remote(u)) => assert!(matches!(u.scheme(), "http" | "https")),
        Ok(SlideSource::Data(bytes)) => assert!(bytes.len() <= written.len()),
        Ok(other) => panic!("remote deck resolved {written:?} to {other:?}"),
        Err(_) => {}
    }
});
