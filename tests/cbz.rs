//! The CBZ writer on the bundled example deck, read back by the zip crate and by a real comic
//! reader library (comicapi, the library of ComicTagger, from PyPI).

use crate::tools;

use deckconv::normalize::{self, ColorModel, Limits, SourceFormat};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qcon-shanghai-2018")
}

/// The example deck's image files in deck order.
fn example_images() -> Vec<PathBuf> {
    let deck = fs::read_to_string(example_dir().join("deck.md")).unwrap();
    deck.lines()
        .filter_map(|l| l.strip_prefix("![](")?.strip_suffix(')'))
        .map(|src| example_dir().join(src.replace('\\', "/")))
        .collect()
}

fn deckconv_cbz(out: &Path, extra: &[&str]) {
    let status = assert_cmd::Command::cargo_bin("deckconv")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", "1557734400")
        .arg(example_dir().join("deck.md"))
        .arg("--cbz")
        .args(extra)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// (name, stored?, bytes) of every entry, in archive order.
fn entries(path: &Path) -> Vec<(String, bool, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            let stored = entry.compression() == zip::CompressionMethod::Stored;
            (entry.name().unwrap_or_default().to_string(), stored, bytes)
        })
        .collect()
}

/// What comicapi makes of the archive, as `key=value` lines.
pub(crate) fn comicapi_read(path: &Path) -> String {
    let script = r#"
import sys
from comicapi.comicarchive import ComicArchive
ca = ComicArchive(sys.argv[1])
print("comic=%s" % ca.seems_to_be_a_comic_archive())
print("pages=%d" % ca.get_number_of_pages())
print("names=%s" % ",".join(ca.get_page_name_list()))
print("cix=%s" % ca.has_cix())
md = ca.read_cix()
print("title=%s" % md.title)
print("series=%s" % md.series)
print("page_count=%s" % md.page_count)
print("language=%s" % md.language)
print("writers=%s" % ",".join(c["person"] for c in md.credits if c["role"].lower() == "writer"))
print("cover=%s" % md.get_cover_page_index_list())
print("first_page_bytes=%d" % len(ca.get_page(0)))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "comicapi could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn example_deck_as_a_comic_archive() {
    let dir = tools::tempdir("deckconv-cbz");
    let out = dir.path().join("talk.cbz");
    deckconv_cbz(&out, &[]);
    let sources = example_images();
    let entries = entries(&out);
    let pages: Vec<_> = entries
        .iter()
        .filter(|(n, _, _)| n != "ComicInfo.xml")
        .collect();
    assert_eq!(pages.len(), sources.len());
    // Zero-padded names in deck order, so every reader sorts them right.
    let names: Vec<&str> = pages.iter().map(|(n, _, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names[0].starts_with("001."), "{names:?}");
    let mut converted = 0;
    for ((name, stored, bytes), source) in pages.iter().zip(&sources) {
        assert!(*stored, "{name} is stored, not deflated");
        let original = fs::read(source).unwrap();
        let info = normalize::probe(&original, &Limits::default()).unwrap();
        let readers_take_it = info.orientation == 1
            && (info.format == SourceFormat::Png
                || matches!(info.color, ColorModel::Rgb | ColorModel::Gray));
        if readers_take_it {
            assert!(bytes == &original, "{name} is the slide's own file");
            assert_eq!(Path::new(name).extension(), source.extension(), "{name}");
        } else {
            // Turned (EXIF) or CMYK: decoded, upright, re-encoded.
            converted += 1;
            let image = image::load_from_memory(bytes).unwrap();
            assert_eq!(
                (image.width(), image.height()),
                info.display_size(),
                "{name}"
            );
        }
    }
    assert!(converted < pages.len(), "most slides go in as they are");
    let info = String::from_utf8(
        entries
            .iter()
            .find(|(n, _, _)| n == "ComicInfo.xml")
            .expect("ComicInfo.xml")
            .2
            .clone(),
    )
    .unwrap();
    assert!(info.contains("<PageCount>12</PageCount>"), "{info}");
    assert!(info.contains("Type=\"FrontCover\""), "{info}");
    // A local deck's path is not published.
    assert!(!info.contains(env!("CARGO_MANIFEST_DIR")), "{info}");

    let read = comicapi_read(&out);
    for expected in [
        "comic=True",
        "pages=12",
        "cix=True",
        "page_count=12",
        "cover=[0]",
    ] {
        assert!(
            read.lines().any(|l| l == expected),
            "{expected} in:\n{read}"
        );
    }
    let title = read
        .lines()
        .find_map(|l| l.strip_prefix("title="))
        .unwrap_or("");
    assert!(!title.is_empty() && title != "None", "{read}");
    assert!(read.contains("language=zh"), "{read}");
    let first = fs::read(&sources[0]).unwrap().len();
    assert!(
        read.contains(&format!("first_page_bytes={first}")),
        "{read}"
    );
}

#[test]
fn device_fits_and_greys_the_pages() {
    let dir = tools::tempdir("deckconv-cbz-device");
    let out = dir.path().join("talk.cbz");
    deckconv_cbz(&out, &["--device", "kobo-clara"]);
    let read = comicapi_read(&out);
    assert!(read.lines().any(|l| l == "pages=12"), "{read}");
    for (name, stored, bytes) in entries(&out) {
        if name == "ComicInfo.xml" {
            assert!(String::from_utf8(bytes)
                .unwrap()
                .contains("<BlackAndWhite>Yes</BlackAndWhite>"));
            continue;
        }
        assert!(stored, "{name}");
        let image = image::load_from_memory(&bytes).unwrap();
        // Fitted into the screen, never upscaled, and landscape slides turned for the
        // portrait screen (the Clara's default fit).
        assert!(image.width() <= 1072 && image.height() <= 1448, "{name}");
        assert!(!image.color().has_color(), "{name} is grey");
    }
}

#[test]
fn reruns_are_byte_identical() {
    let dir = tools::tempdir("deckconv-cbz-rerun");
    let (a, b) = (dir.path().join("a.cbz"), dir.path().join("b.cbz"));
    deckconv_cbz(&a, &[]);
    deckconv_cbz(&b, &[]);
    assert_eq!(fs::read(a).unwrap(), fs::read(b).unwrap());
}
