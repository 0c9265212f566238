//! The `--ocr` EPUB text layer in a real reading system: epub.js (from npm, pinned in
//! `tests/data/epubjs/package-lock.json`) running in Debian's chromium, headless, opens books
//! made through the library with the fake recogniser (`tools::fake_ocr`) and searches them
//! with its own `Section.find`; it also renders a page for a screenshot. The harness page
//! (`tests/data/epubjs/search.html`) and the books are served by a loopback server the test
//! starts, and the page reports back to that server.

use crate::support::{Reply, Server};
use crate::tools;
use crate::tools::fake_ocr::{
    convert_one, deck, epub_backend, meta, ocr_options, slides, FakeRecognizer, KAFKA, TIMESTAMP,
    WIDTH,
};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use image::RgbImage;
use serde_json::Value;

/// What to run when chromium or epub.js is missing.
const SETUP: &str = "run .ci/run: it installs Debian's chromium (apt-get install chromium) and \
    epub.js (npm ci in tests/data/epubjs)";
const TITLE: &str = "0到3000万用户微服务之旅";
/// Words recognised on the slides of `fake_ocr::deck()`, each with its slide (1-based):
/// Chinese and English, in headings and in body lines.
const WORDS: [(&str, usize); 5] = [
    ("服务拆分", 2),
    ("Zipkin", 2),
    ("Kafka", 3),
    ("订单事件", 3),
    ("谢谢", 5),
];
/// A word that is on no slide.
const ABSENT: &str = "Kubernetes";
/// The harness answers "hold" (and so lets the page finish loading) by then at the latest,
/// reported or not: a page that never reports still ends chromium.
const HOLD_LIMIT: Duration = Duration::from_secs(120);
/// A bounded wait for chromium, to detect a hang rather than to time anything.
const CHROMIUM_LIMIT: Duration = Duration::from_secs(240);

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/epubjs")
}

/// The installed epub.js version, after checking that chromium and the harness's npm
/// packages are there (and epub.js is the pinned one): a failure naming the setup otherwise.
fn setup() -> String {
    let chromium = Command::new("chromium").arg("--version").output();
    match chromium {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "chromium --version failed ({}): {SETUP}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("chromium is not installed ({e}): {SETUP}"),
    }
    let dir = harness_dir();
    for file in [
        "node_modules/epubjs/dist/epub.min.js",
        "node_modules/jszip/dist/jszip.min.js",
    ] {
        assert!(
            dir.join(file).is_file(),
            "{} is missing: {SETUP}",
            dir.join(file).display()
        );
    }
    let json = |path: &Path| -> Value {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{}: {e}: {SETUP}", path.display()));
        serde_json::from_str(&text).unwrap()
    };
    let pinned = json(&dir.join("package.json"))["dependencies"]["epubjs"].clone();
    let installed = json(&dir.join("node_modules/epubjs/package.json"))["version"].clone();
    assert_eq!(installed, pinned, "an old epub.js is installed: {SETUP}");
    installed.as_str().unwrap().to_string()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "application/javascript",
        Some("epub") => "application/epub+zip",
        _ => "application/octet-stream",
    }
}

fn serve_file(root: &Path, relative: &str) -> Reply {
    if relative.split('/').any(|part| part == "..") {
        return Reply::status(404);
    }
    match std::fs::read(root.join(relative)) {
        Ok(bytes) => Reply::ok(bytes).header("Content-Type", content_type(relative)),
        Err(_) => Reply::status(404),
    }
}

/// What the harness page reported: `status` "done" with `result` its JSON, or "error".
#[derive(Debug)]
struct Report {
    status: String,
    result: String,
}

/// One run of the harness page in headless chromium, on `books` served under /books/:
/// `query` is the page's query string (`book=...&q=...` or `...&show=HREF`), `output` the
/// chromium flag that makes it exit once the page has loaded (`--dump-dom`,
/// `--screenshot=FILE`). Returns what the page reported.
fn run_harness(books: &Path, query: &str, output: &str) -> Report {
    let reported: Arc<(Mutex<Option<Report>>, Condvar)> = Arc::default();
    let books = books.to_path_buf();
    let harness = harness_dir();
    let state = reported.clone();
    let server = Server::start(move |request, _| {
        let (path, query) = request
            .path
            .split_once('?')
            .unwrap_or((request.path.as_str(), ""));
        if let Some(relative) = path.strip_prefix("/books/") {
            return serve_file(&books, relative);
        }
        let Some(relative) = path.strip_prefix("/epubjs/") else {
            return Reply::status(404);
        };
        let (slot, signal) = &*state;
        match relative {
            "report" => {
                let field = |name: &str| {
                    url::form_urlencoded::parse(query.as_bytes())
                        .find(|(key, _)| key == name)
                        .map(|(_, value)| value.into_owned())
                        .unwrap_or_default()
                };
                *slot.lock().unwrap() = Some(Report {
                    status: field("status"),
                    result: field("result"),
                });
                signal.notify_all();
                Reply::status(204)
            }
            "hold" => {
                let slot = slot.lock().unwrap();
                let _ = signal
                    .wait_timeout_while(slot, HOLD_LIMIT, |report| report.is_none())
                    .unwrap();
                Reply::status(204)
            }
            _ => serve_file(&harness, relative),
        }
    });

    let scratch = tools::tempdir("deckconv-epubjs");
    let stdout = scratch.path().join("stdout");
    let stderr = scratch.path().join("stderr");
    let url = server.url(&format!("/epubjs/search.html?{query}"));
    let mut child = Command::new("chromium")
        .args([
            "--headless=new",
            // CI runs as root, where chromium's sandbox cannot start.
            "--no-sandbox",
            &format!(
                "--user-data-dir={}",
                scratch.path().join("profile").display()
            ),
            "--no-first-run",
            "--disable-dev-shm-usage",
            // Without it the screenshot may be taken before epub.js's frame is drawn.
            "--run-all-compositor-stages-before-draw",
            "--hide-scrollbars",
            // The size of the harness page's epub.js stage.
            "--window-size=1280,720",
            output,
            url.as_str(),
        ])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("chromium not runnable ({e}): {SETUP}"));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > CHROMIUM_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium still running after {CHROMIUM_LIMIT:?} on {url}:\n{}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        }
        thread::sleep(Duration::from_millis(100));
    };
    let report = reported.0.lock().unwrap().take();
    let report = report.unwrap_or_else(|| {
        panic!(
            "the harness page reported nothing ({status}) on {url}; requests: {:#?}\n{}",
            server
                .log()
                .iter()
                .map(|l| format!("{} {}", l.status, l.request.path))
                .collect::<Vec<_>>(),
            std::fs::read_to_string(&stderr).unwrap_or_default()
        )
    });
    assert!(status.success(), "chromium: {status} on {url}");
    assert_eq!(report.status, "done", "epub.js on {url}: {}", report.result);
    report
}

/// One match of epub.js's `Section.find`.
#[derive(Debug)]
struct Found {
    query: String,
    href: String,
    cfi: String,
    excerpt: String,
}

impl Found {
    /// In the page's `<body>` (the CFI's first step in the document is `/4`), not in its
    /// `<head>` (`/2`): `Section.find` walks every text node, the `<title>` too.
    fn in_body(&self) -> bool {
        self.cfi
            .split_once('!')
            .is_some_and(|(_, path)| path.starts_with("/4/"))
    }
}

/// The book's spine (hrefs) and every match of each of `queries` in each of its items, as
/// epub.js finds them.
fn search(books: &Path, book: &str, queries: &[&str]) -> (Vec<String>, Vec<Found>) {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("book", &format!("/books/{book}"));
    for q in queries {
        query.append_pair("q", q);
    }
    let report = run_harness(books, &query.finish(), "--dump-dom");
    let result: Value = serde_json::from_str(&report.result).unwrap();
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let spine = result["spine"]
        .as_array()
        .unwrap()
        .iter()
        .map(text)
        .collect();
    let found = result["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Found {
            query: text(&f["query"]),
            href: text(&f["href"]),
            cfi: text(&f["cfi"]),
            excerpt: text(&f["excerpt"]),
        })
        .collect();
    (spine, found)
}

fn slide_href(n: usize) -> String {
    format!("pages/slide-{n:04}.xhtml")
}

/// The deck of `fake_ocr` as an EPUB in `dir`, recognised (`ocr`) or not, for Kobo or not.
fn book(dir: &Path, name: &str, ocr: bool, kobo: bool) -> String {
    let options = if ocr {
        ocr_options(&FakeRecognizer::new(), None)
    } else {
        tools::convert_options(TIMESTAMP)
    };
    convert_one(
        meta(TITLE, false),
        &slides(&deck(), &[]),
        epub_backend(kobo).as_ref(),
        &dir.join(name),
        &options,
    );
    name.to_string()
}

#[test]
fn epubjs_finds_recognised_words_on_their_slides() {
    let version = setup();
    let dir = tools::tempdir("deckconv-reader-search");
    let ocr = book(dir.path(), "ocr.epub", true, false);
    let plain = book(dir.path(), "plain.epub", false, false);
    let mut queries: Vec<&str> = WORDS.iter().map(|w| w.0).collect();
    queries.push(ABSENT);

    let (spine, found) = search(dir.path(), &ocr, &queries);
    for n in 1..=deck().len() {
        assert!(spine.contains(&slide_href(n)), "{spine:?}");
    }
    for (word, slide) in WORDS {
        let hits: Vec<&Found> = found.iter().filter(|f| f.query == word).collect();
        let pages: BTreeSet<&str> = hits.iter().map(|f| f.href.as_str()).collect();
        assert_eq!(
            pages,
            BTreeSet::from([slide_href(slide).as_str()]),
            "epub.js {version}: {word} found in {hits:#?}"
        );
        // Found in the layer: its excerpt is the recognised line (the page's `<title>`,
        // the slide's heading, may match too).
        let spec = deck()[slide - 1];
        let line = spec.lines.iter().find(|l| l.0.contains(word)).unwrap().0;
        assert!(
            hits.iter().any(|hit| hit.in_body() && hit.excerpt == line),
            "epub.js {version}: {word} not found in the text layer, only in {hits:#?}"
        );
        for hit in hits {
            assert!(hit.excerpt.contains(word), "{hit:?}");
            assert!(hit.cfi.starts_with("epubcfi("), "{hit:?}");
        }
    }
    assert!(
        !found.iter().any(|f| f.query == ABSENT),
        "{ABSENT}, on no slide, found: {found:#?}"
    );

    // Without --ocr the same book has none of those words: what epub.js finds is the layer.
    let (_, found) = search(dir.path(), &plain, &queries);
    assert!(found.is_empty(), "found without a text layer: {found:#?}");
}

/// `--kobo` books keep one `<img>` per page with the text as its `alt` (README): epub.js's
/// search goes through text nodes, not attributes, so it finds a word there only when it is
/// in the slide's heading, which names the page in its `<title>`.
#[test]
fn epubjs_finds_kobo_pages_only_by_their_headings() {
    setup();
    let dir = tools::tempdir("deckconv-reader-kobo");
    let kobo = book(dir.path(), "ocr.kepub.epub", true, true);
    let queries: Vec<&str> = WORDS.iter().map(|w| w.0).collect();
    let (spine, found) = search(dir.path(), &kobo, &queries);
    assert!(spine.contains(&slide_href(2)), "{spine:?}");
    assert!(!found.iter().any(Found::in_body), "{found:#?}");
    for (word, slide) in WORDS {
        let heading = deck()[slide - 1].lines[0].0;
        let pages: Vec<&str> = found
            .iter()
            .filter(|f| f.query == word)
            .map(|f| f.href.as_str())
            .collect();
        if heading.contains(word) {
            assert_eq!(pages, [slide_href(slide)], "{word}: {found:#?}");
        } else {
            assert!(pages.is_empty(), "{word}: {found:#?}");
        }
    }
}

/// A page of the book as epub.js shows it, screenshot by chromium, and what the page
/// reported of it (the image's box and the layer's lines).
fn screenshot(books: &Path, book: &str, href: &str, name: &str) -> (RgbImage, Value) {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("book", &format!("/books/{book}"));
    query.append_pair("show", href);
    let png = books.join(name);
    let report = run_harness(
        books,
        &query.finish(),
        &format!("--screenshot={}", png.display()),
    );
    let shown: Value = serde_json::from_str(&report.result).unwrap();
    assert_eq!(shown["shown"], href, "{shown}");
    assert_eq!(shown["images"].as_array().map(Vec::len), Some(1), "{shown}");
    let image = image::open(&png)
        .unwrap_or_else(|e| panic!("{}: {e}", png.display()))
        .to_rgb8();
    (image, shown)
}

/// A box `[left, top, width, height]` as the page reported it.
fn reported_box(value: &Value) -> [f64; 4] {
    let numbers: Vec<f64> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_f64().unwrap())
        .collect();
    numbers.try_into().unwrap()
}

/// The layer is invisible in epub.js: the page with it looks exactly as without it, and
/// what shows is the slide image; its lines lie over the image where they were seen.
#[test]
fn epubjs_shows_the_slide_and_not_its_text_layer() {
    setup();
    let dir = tools::tempdir("deckconv-reader-shot");
    let ocr = book(dir.path(), "ocr.epub", true, false);
    let plain = book(dir.path(), "plain.epub", false, false);
    // Slide 3, a PNG: its colours come through exactly.
    let href = slide_href(3);
    let (with_layer, shown) = screenshot(dir.path(), &ocr, &href, "ocr.png");
    let (without, bare) = screenshot(dir.path(), &plain, &href, "plain.png");
    assert_eq!(bare["lines"].as_array().map(Vec::len), Some(0), "{bare}");
    assert_eq!(with_layer.dimensions(), without.dimensions());
    let background = with_layer.pixels().filter(|p| p.0 == KAFKA.colour).count();
    let (width, height) = with_layer.dimensions();
    assert!(
        background > (width * height / 4) as usize,
        "the slide's background covers {background} of {width}x{height} pixels"
    );

    // The lines sit over the image at their boxes, scaled as epub.js scales the page.
    let [image_left, image_top, image_width, _] = reported_box(&shown["images"][0]);
    let scale = image_width / f64::from(WIDTH);
    let lines = shown["lines"].as_array().unwrap();
    assert_eq!(lines.len(), KAFKA.lines.len(), "{shown}");
    for (line, &(text, left, top, _)) in lines.iter().zip(KAFKA.lines) {
        assert_eq!(line["text"], text, "{shown}");
        assert_eq!(line["color"], "rgba(0, 0, 0, 0)", "{shown}");
        let [x, y, _, _] = reported_box(&line["box"]);
        assert!(
            (x - (image_left + f64::from(left) * scale)).abs() < 1.5
                && (y - (image_top + f64::from(top) * scale)).abs() < 1.5,
            "{text} at ({x}, {y}), seen at ({left}, {top}) on an image at \
             ({image_left}, {image_top}) scaled {scale}: {shown}"
        );
    }
    assert!(
        with_layer.as_raw() == without.as_raw(),
        "the text layer changes what epub.js shows (see {})",
        dir.path().display()
    );
}
