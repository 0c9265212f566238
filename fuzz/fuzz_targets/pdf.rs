//! The PDF writer given arbitrary slide data (fuzz/common/deck.rs): every layout, with and
//! without a title page and frames, hostile text in the title page, outline, labels, notes and
//! text layer. A finished PDF must be well-formed at the file level: header, `%%EOF`, a
//! `startxref` that points at the cross-reference table, and every in-use entry of that table
//! pointing at the object it names. (qpdf cannot run inside libFuzzer; `tests/pdf.rs` runs
//! `qpdf --check` on real decks.)
#![no_main]
#[path = "../common/deck.rs"]
mod deck;
#[path = "../common/guard.rs"]
mod guard;

use deckconv::writer::pdf::handout::{Layout, SHEET_LAYOUTS};
use deckconv::writer::pdf::{Order, Orientation, Paper, PdfBackend, PdfOptions};
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(options) = options(&mut u) else { return };
    let backend = PdfBackend {
        options,
        limits: deck::LIMITS,
    };
    if let Ok(Some(pdf)) = deck::write_deck(&mut u, &backend) {
        check_structure(&pdf);
    }
});

fn options(u: &mut Unstructured) -> libfuzzer_sys::arbitrary::Result<PdfOptions> {
    Ok(PdfOptions {
        // Sheet paper sizes come from the command line (`WxH`), hostile too.
        layout: match u.choose_index(SHEET_LAYOUTS.len() + 1)? {
            0 => Layout::Slides,
            sheet => Layout::Sheets(&SHEET_LAYOUTS[sheet - 1]),
        },
        paper: if u.arbitrary()? {
            *u.choose(&[Paper::A4, Paper::LETTER, Paper::A3, Paper::LEGAL])?
        } else {
            let spec: String = u.arbitrary()?;
            spec.parse().unwrap_or(Paper::A4)
        },
        orientation: *u.choose(&[
            Orientation::Auto,
            Orientation::Landscape,
            Orientation::Portrait,
        ])?,
        order: *u.choose(&[Order::Horizontal, Order::Vertical])?,
        frame: u.arbitrary()?,
        title_page: u.arbitrary()?,
    })
}

fn check_structure(pdf: &[u8]) {
    assert!(pdf.starts_with(b"%PDF-"), "no PDF header");
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let tail = String::from_utf8_lossy(tail);
    assert!(tail.trim_end().ends_with("%%EOF"), "no %%EOF: {tail:?}");
    let at = tail.rfind("startxref").expect("startxref");
    let offset: usize = tail[at + 9..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("startxref offset");
    let xref = &pdf[offset..];
    assert!(
        xref.starts_with(b"xref"),
        "startxref does not point at xref"
    );
    let table = String::from_utf8_lossy(&xref[..xref.len().min(1 << 20)]);
    let mut lines = table.lines().skip(1);
    let header = lines.next().expect("xref subsection");
    let mut nums = header
        .split_whitespace()
        .map(|n| n.parse::<usize>().expect("xref numbers"));
    let (first, count) = (nums.next().expect("first"), nums.next().expect("count"));
    for (i, line) in lines.take(count).enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 3, "xref entry {line:?}");
        if fields[2] != "n" {
            continue;
        }
        let at: usize = fields[0].parse().expect("object offset");
        let want = format!("{} 0 obj", first + i);
        assert!(
            pdf.get(at..)
                .is_some_and(|rest| rest.starts_with(want.as_bytes())),
            "xref entry for object {} does not point at it",
            first + i
        );
    }
}
