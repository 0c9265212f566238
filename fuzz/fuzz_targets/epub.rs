//! The EPUB writer given arbitrary slide data (fuzz/common/deck.rs), as it is, for a device
//! screen (fitting, grey, e-ink gamma, JPEG re-encoding) and as a Kobo edition. A finished book
//! must be a well-formed EPUB container: `mimetype` first and stored, and every XML file in it
//! (container, package, navigation, NCX, pages) well-formed XML. (EPUBCheck cannot run inside
//! libFuzzer; `tests/epub.rs` runs it on real decks.)
#![no_main]
#[path = "../common/deck.rs"]
mod deck;
#[path = "../common/guard.rs"]
mod guard;

use std::io::{Cursor, Read};

use deckconv::writer::devices::{DeviceOptions, Fit, DEVICES};
use deckconv::writer::epub::{EpubBackend, EpubOptions};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(backend) = backend(&mut u) else { return };
    if let Ok(Some(book)) = deck::write_deck(&mut u, &backend) {
        check_structure(&book);
    }
});

fn backend(u: &mut Unstructured) -> libfuzzer_sys::arbitrary::Result<EpubBackend> {
    let device = if u.arbitrary()? {
        Some(u.choose(DEVICES)?)
    } else {
        None
    };
    Ok(EpubBackend {
        options: EpubOptions {
            kobo: u.arbitrary()?,
            ..EpubOptions::default()
        },
        screen: DeviceOptions {
            device,
            color: u.arbitrary()?,
            jpeg_quality: u.int_in_range(1..=100)?,
            // A fit is only ever asked for with a screen to fill (the CLI refuses it otherwise).
            fit: match device {
                Some(_) => {
                    *u.choose(&[None, Some(Fit::None), Some(Fit::Rotate), Some(Fit::Stack)])?
                }
                None => None,
            },
        },
        limits: deck::LIMITS,
    })
}

fn check_structure(book: &[u8]) {
    let mut zip = zip::ZipArchive::new(Cursor::new(book)).expect("a zip archive");
    {
        let mut first = zip.by_index(0).expect("a first entry");
        assert_eq!(first.name().expect("entry name"), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
        let mut mimetype = String::new();
        first.read_to_string(&mut mimetype).expect("mimetype");
        assert_eq!(mimetype, "application/epub+zip");
    }
    assert!(
        zip.by_name("META-INF/container.xml").is_ok(),
        "no container.xml"
    );
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        if [".xml", ".opf", ".xhtml", ".ncx"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).expect("UTF-8 XML");
            let options = roxmltree::ParsingOptions {
                allow_dtd: true,
                ..roxmltree::ParsingOptions::default()
            };
            if let Err(e) = roxmltree::Document::parse_with_options(&xml, options) {
                panic!("{name} is not well-formed XML: {e}\n{xml}");
            }
        }
    }
}
