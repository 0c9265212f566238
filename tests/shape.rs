//! Decks of hostile size and shape, generated here (nothing large is committed): 100,000
//! links, a 50 MiB line, 10,000 levels of nesting, folders with symlink loops and names that
//! are not UTF-8. Each one is read with bounded memory and time, or refused with a message
//! naming the file (and line) and the limit.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use deckconv::fetch::{FetchOptions, Fetcher};
use deckconv::model::{Deck, DeckOrigin, SlideSource};
use deckconv::reader::ReadError;
use deckconv::reader::{self, Base, Input, MetaOverrides, MAX_LINE_BYTES, MAX_SLIDES};

/// Far beyond what any of these takes (well under a second each in a release build); only
/// there to turn a hang into a failure.
const HANG: Duration = Duration::from_secs(300);

/// Run `work` on a thread of its own with Rust's default stack (2 MiB, smaller than the
/// binary's main thread), failing on a hang or a panic. A stack overflow aborts the test
/// binary, which fails the run too.
fn bounded<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(HANG)
        .expect("finished within the bound, without panicking")
}

fn read_md(text: String) -> Result<Deck, ReadError> {
    bounded(move || {
        reader::read_text(
            &text,
            DeckOrigin::File(PathBuf::from("deck.md")),
            &Base::Dir(PathBuf::from("/decks")),
            &MetaOverrides::default(),
        )
    })
}

fn read_path(path: &Path) -> Result<Deck, ReadError> {
    let path = path.to_path_buf();
    bounded(move || {
        let fetcher = Fetcher::new(FetchOptions::default()).unwrap();
        reader::read(&Input::Path(path), &MetaOverrides::default(), &fetcher)
    })
}

fn written(deck: &Deck) -> Vec<&str> {
    deck.slides.iter().map(|s| s.written.as_str()).collect()
}

fn png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 36, |x, y| image::Rgb([x as u8 * 4, y as u8 * 7, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

fn deckconv(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deckconv").expect("binary built");
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1557734400")
        .env("XDG_CACHE_HOME", cwd.join("cache"))
        .timeout(HANG);
    cmd
}

fn zip_names(path: &Path) -> Vec<String> {
    let archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    archive
        .file_names()
        .map(|name| name.expect("a UTF-8 entry name").into_owned())
        .collect()
}

#[test]
fn a_hundred_thousand_links_are_read_with_their_lines() {
    let mut text = String::from("# A big deck\n\n");
    for n in 1..=100_000 {
        text.push_str(&format!("![](images/s_{n}.png)\nnote {n}\n\n"));
    }
    let deck = read_md(text).unwrap();
    assert_eq!(deck.slides.len(), 100_000);
    // Slide n is on line 3n: the line index is a binary search, not a scan per link.
    for n in [1, 2, 50_000, 99_999, 100_000] {
        let slide = &deck.slides[n - 1];
        assert_eq!(slide.line, Some(3 * n), "slide {n}");
        assert_eq!(slide.written, format!("images/s_{n}.png"));
        assert_eq!(slide.notes, format!("note {n}"));
        assert_eq!(slide.label, n.to_string());
    }
}

#[test]
fn one_slide_over_the_limit_is_refused_naming_where() {
    let mut text = String::new();
    for n in 1..=MAX_SLIDES + 1 {
        text.push_str(&format!("s_{n}.png\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("slides.txt");
    fs::write(&list, text).unwrap();
    let message = read_path(&list).unwrap_err().to_string();
    assert!(
        message.contains(&format!("slides.txt:{}", MAX_SLIDES + 1)),
        "{message}"
    );
    assert!(
        message.contains(&format!("more than {MAX_SLIDES} slides")),
        "{message}"
    );

    // The same in Markdown, all on few lines: the reader stops at the limit.
    let markdown = "![](a.png) ".repeat(50_001) + "\n" + &"![](a.png) ".repeat(50_001);
    let message = read_md(markdown).unwrap_err().to_string();
    assert!(message.contains("deck.md:2: more than"), "{message}");
}

#[test]
fn a_50_mib_line_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("long.md");
    let line = "![](a.png)".repeat(50 * 1024 * 1024 / 10);
    fs::write(&deck, format!("# Long\n\n{line}\n![](b.png)\n")).unwrap();
    let message = read_path(&deck).unwrap_err().to_string();
    assert!(
        message.contains("long.md:3: a line of 51200 KiB"),
        "{message}"
    );
    assert!(
        message.contains(&format!("longer than the {} KiB", MAX_LINE_BYTES / 1024)),
        "{message}"
    );
    // A line at the limit is read.
    let at_limit = format!("![](a.png){}\n", " ".repeat(MAX_LINE_BYTES - 10));
    assert_eq!(read_md(at_limit).unwrap().slides.len(), 1);
}

#[test]
fn megabytes_of_notes_are_cut_not_kept() {
    let paragraph = "Speaker notes that go on and on. ".repeat(30) + "\n\n";
    let text = format!(
        "![](a.png)\n\n{}![](b.png)\n\nshort\n",
        paragraph.repeat(5 * 1024 * 1024 / paragraph.len())
    );
    let deck = read_md(text).unwrap();
    let notes = &deck.slides[0].notes;
    assert!(notes.len() <= 64 * 1024 + 4, "{} bytes kept", notes.len());
    assert!(notes.ends_with('…'), "{}", &notes[notes.len() - 40..]);
    assert_eq!(deck.slides[1].notes, "short");
}

#[test]
fn ten_thousand_levels_of_nesting_do_not_overflow_the_stack() {
    let n = 10_000;
    let decks = [
        (
            "blockquotes",
            format!("{} ![](a.png) note\n", ">".repeat(n)),
        ),
        (
            "blockquotes line by line",
            (1..=n).map(|i| ">".repeat(i) + "\n").collect::<String>() + "![](a.png)\n",
        ),
        ("list items", format!("{}![](a.png)\n", "- ".repeat(n))),
        (
            "indented lists",
            (0..2000)
                .map(|i| "  ".repeat(i) + "- x\n")
                .collect::<String>()
                + "\n![](a.png)\n",
        ),
        (
            "brackets",
            format!("![](a.png)\n\n{}x{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "images in alt texts",
            format!("{}](a.png)\n", "![".repeat(n)),
        ),
        (
            "emphasis",
            format!(
                "![](a.png)\n\n{}x{}\n\n{}\n",
                "*".repeat(n),
                "*".repeat(n),
                "*a **b ".repeat(n / 2)
            ),
        ),
        (
            "parentheses",
            format!(
                "![]({}a.png{})\n\n![](a.png)\n",
                "(".repeat(n),
                ")".repeat(n)
            ),
        ),
        ("html", format!("{}<img src=a.png>\n", "<div>".repeat(n))),
    ];
    for (what, text) in decks {
        let deck = read_md(text).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            deck.slides.iter().any(|s| s.written == "a.png"),
            "{what}: {:?}",
            written(&deck)
        );
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_in_a_folder_end_and_real_images_are_found_once() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("talk");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("s_1.png"), png()).unwrap();
    fs::write(dir.join("s_2.png"), png()).unwrap();
    symlink(".", dir.join("loop.png")).unwrap(); // a folder named like an image
    symlink("..", dir.join("up")).unwrap();
    symlink("s_2.png", dir.join("s_3.png")).unwrap(); // a link to an image is an image
    symlink("s_4.png", dir.join("s_4.png")).unwrap(); // a link to itself
    symlink("nowhere.png", dir.join("s_5.png")).unwrap(); // dangling
    let deck = read_path(&dir).unwrap();
    assert_eq!(
        written(&deck),
        ["s_1.png", "s_2.png", "s_3.png", "s_4.png", "s_5.png"]
    );

    // The broken links are slides that fail by name, like any missing image...
    let cbz = root.path().join("talk.cbz");
    let failed = deckconv(root.path())
        .args(["--cbz", "-o"])
        .arg(&cbz)
        .arg(&dir)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).into_owned();
    assert!(stderr.contains("slide 4 (s_4.png)"), "{stderr}");
    assert!(stderr.contains("slide 5 (s_5.png)"), "{stderr}");
    assert!(!stderr.contains("slide 3"), "{stderr}");
    // ...and --skip-broken leaves them out.
    deckconv(root.path())
        .args(["--cbz", "--skip-broken", "-o"])
        .arg(&cbz)
        .arg(&dir)
        .assert()
        .success();
    let pages = zip_names(&cbz)
        .into_iter()
        .filter(|n| n.ends_with(".png"))
        .count();
    assert_eq!(pages, 3);
}

#[cfg(unix)]
#[test]
fn a_folder_whose_only_image_has_a_non_utf8_name_converts() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join(OsStr::from_bytes(b"talk\xfe"));
    fs::create_dir(&dir).unwrap();
    let image = dir.join(OsStr::from_bytes(b"slide\xff.png"));
    fs::write(&image, png()).unwrap();

    let deck = read_path(&dir).unwrap();
    assert_eq!(written(&deck), ["slide\u{FFFD}.png"]);
    assert_eq!(deck.slides[0].source, SlideSource::Local(image.clone()));
    assert_eq!(deck.meta.title, "talk\u{FFFD}");

    let out = root.path().join("out");
    deckconv(root.path())
        .args(["--pdf", "--epub", "--cbz", "-o"])
        .arg(&out)
        .arg(&dir)
        .assert()
        .success();
    let mut outputs: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().expect("a UTF-8 name"))
        .collect();
    outputs.sort();
    assert_eq!(
        outputs,
        ["talk\u{FFFD}.cbz", "talk\u{FFFD}.epub", "talk\u{FFFD}.pdf"]
    );
    assert!(fs::read(out.join("talk\u{FFFD}.pdf"))
        .unwrap()
        .starts_with(b"%PDF-"));
    // Names inside the archives are generated, never copied from the file system.
    for archive in ["talk\u{FFFD}.epub", "talk\u{FFFD}.cbz"] {
        let names = zip_names(&out.join(archive));
        assert!(names.iter().all(|n| n.is_ascii()), "{archive}: {names:?}");
        assert!(names
            .iter()
            .any(|n| n.ends_with(".png") || n.ends_with(".jpg")));
    }
}

#[cfg(unix)]
#[test]
fn a_markdown_deck_names_a_non_utf8_file_percent_encoded() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("deck.md");
    fs::write(&deck, "![](slide%FF.png)\n").unwrap();
    let deck = read_path(&deck).unwrap();
    assert_eq!(
        deck.slides[0].source,
        SlideSource::Local(dir.path().join(OsStr::from_bytes(b"slide\xff.png")))
    );
}

#[cfg(unix)]
#[test]
fn a_folder_without_images_says_no_slides_found_naming_it() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("only-text");
    fs::create_dir_all(dir.join("pictures.png")).unwrap();
    // Subfolders are not read: a folder deck is the images directly in it.
    fs::write(dir.join("pictures.png/s_1.png"), png()).unwrap();
    fs::write(dir.join("notes.txt"), "x").unwrap();
    fs::write(dir.join(OsStr::from_bytes(b"readme\xff.txt")), "x").unwrap();
    fs::write(dir.join(".hidden.png"), png()).unwrap();
    let message = read_path(&dir).unwrap_err().to_string();
    assert!(message.contains(&dir.display().to_string()), "{message}");
    assert!(message.contains("no slides found"), "{message}");
}
