//! Anthologies: many decks, one book (`--anthology`), through the command line as users run
//! it. Three talks in two languages from a folder of decks, one of them published twice (the
//! `X.md` / `X_0.md` twins), sorted by session code; each book is checked by the readers
//! that check single decks (strict PDF readers, PDF/A-2u and PDF/UA-1, EPUBCheck, comicapi)
//! and for what an anthology adds: the collection's title and contents pages, a nested
//! outline and navigation, page labels naming talk and slide, each talk's language.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Cmd;
use image::{Rgb, RgbImage};

use crate::tools;

/// The session-sorted talks: (file, title, speaker, lang, slides).
const TALKS: &[(&str, &str, &str, &str, usize)] = &[
    (
        "18日下2-王五-TiDB.md",
        "TiDB 架构与开源之路",
        "王五",
        "zh",
        2,
    ),
    ("19日上1-Jun-Kafka.md", "Kafka at Scale", "Jun Rao", "en", 2),
    (
        "19日下1-张三-服务网格.md",
        "服务网格的落地实践",
        "张三",
        "zh",
        3,
    ),
];

/// A folder `decks/` of Markdown decks, given in an order the session sort must change, and
/// the English talk's twin (`…_0.md`: the same images in another folder).
fn fixture(root: &Path) -> PathBuf {
    let decks = root.join("decks");
    fs::create_dir_all(&decks).unwrap();
    let write_deck = |file: &str,
                      title: &str,
                      speaker: &str,
                      lang: &str,
                      n: usize,
                      folder: &str| {
        let images = decks.join("images").join(folder);
        fs::create_dir_all(&images).unwrap();
        let mut text = format!(
            "---\ntitle: {title}\nauthor: {speaker}\nevent: QCon上海2018\nlang: {lang}\n---\n\n# {title}\n\n"
        );
        for i in 1..=n {
            let name = format!(
                "{}_{i}.png",
                file.trim_end_matches(".md").trim_end_matches("_0")
            );
            // Each talk its own images (a twin the same as its talk's).
            let shade = (40 * i) as u8;
            let tint = (title.len() * 5) as u8;
            let img = RgbImage::from_fn(320, 180, |x, _| {
                if x < 160 {
                    Rgb([shade, tint, 160])
                } else {
                    Rgb([200, shade, 60])
                }
            });
            let bytes = tools::encode(img, image::ImageFormat::Png);
            let path = images.join(&name);
            if !path.exists() {
                fs::write(&path, bytes).unwrap();
            }
            text.push_str(&format!("![](images\\{folder}\\{name})\n\n"));
        }
        fs::write(decks.join(file), text).unwrap();
    };
    // Given out of session order: the sort puts 18日 first and 上 before 下.
    for &(file, title, speaker, lang, n) in [TALKS[2], TALKS[1], TALKS[0]].iter() {
        write_deck(file, title, speaker, lang, n, &format!("f{}", file.len()));
    }
    let (file, title, speaker, lang, n) = TALKS[1];
    write_deck(
        &file.replace(".md", "_0.md"),
        title,
        speaker,
        lang,
        n,
        "twin",
    );
    decks
}

fn deckconv(cwd: &Path) -> Cmd {
    let mut cmd = Cmd::cargo_bin("deckconv").expect("binary built");
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1557734400")
        .arg("--font")
        .arg(tools::bundled_font())
        .arg("--cache-dir")
        .arg(cwd.join("cache"));
    cmd
}

/// Run an anthology of the fixture into `name`; returns the file and what `-v` said.
fn anthology(root: &Path, name: &str, args: &[&str]) -> (PathBuf, String) {
    let decks = fixture(root);
    let out = root.join(name);
    let assert = deckconv(root)
        .arg(&decks)
        .args(["--anthology", "--sort", "session", "-v", "-o"])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(out.is_file(), "{} not written: {stderr}", out.display());
    (out, stderr)
}

fn pdftotext_page(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tools::run(
        "pdftotext",
        &["-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    )
}

/// qpdf's JSON of the PDF.
fn qpdf_json(pdf: &Path, key: &str) -> serde_json::Value {
    let out = Command::new("qpdf")
        .args(["--json", &format!("--json-key={key}")])
        .arg(pdf)
        .output()
        .expect("qpdf");
    serde_json::from_slice(&out.stdout).expect("qpdf JSON")
}

#[test]
fn pdf_anthology_has_its_title_contents_nested_outline_and_talks() {
    let dir = tools::tempdir("deckconv-anthology-pdf");
    let (pdf, said) = anthology(dir.path(), "qcon.pdf", &["--pdf"]);

    // Each talk once: the twin is left out, and -v says which and why.
    assert!(
        said.contains("19日上1-Jun-Kafka_0.md") && said.contains("the same"),
        "{said}"
    );
    // Collection title + contents + per talk a title page and its slides.
    let slides: usize = TALKS.iter().map(|t| t.4).sum();
    assert_eq!(tools::pdf_pages(&pdf), 2 + TALKS.len() + slides);

    // The collection's title page: the shared event, the number of talks and slides.
    let title = pdftotext_page(&pdf, 1);
    assert!(title.contains("QCon上海2018"), "{title}");
    assert!(
        title.contains("3 场演讲") && title.contains("7 张幻灯片"),
        "{title}"
    );

    // The contents: every talk in session order, its speaker, its first page.
    let contents = pdftotext_page(&pdf, 2);
    let mut at = 0;
    let mut page = 3;
    for &(_, title, speaker, _, n) in TALKS {
        let found = contents[at..]
            .find(title)
            .unwrap_or_else(|| panic!("{title} missing or out of order in:\n{contents}"));
        at += found;
        assert!(contents.contains(speaker), "{speaker}: {contents}");
        assert!(
            contents.contains(&page.to_string()),
            "page {page}: {contents}"
        );
        page += 1 + n;
    }
    // Each talk's title page where the contents says.
    assert!(pdftotext_page(&pdf, 3).contains("TiDB 架构与开源之路"));
    assert!(pdftotext_page(&pdf, 6).contains("Kafka at Scale"));
    assert!(pdftotext_page(&pdf, 9).contains("服务网格的落地实践"));

    // Outline: collection → (contents, talks) → slides.
    let outline = qpdf_json(&pdf, "outlines");
    let top = outline["outlines"].as_array().expect("outline");
    assert_eq!(top.len(), 1, "{outline}");
    assert_eq!(top[0]["title"], "QCon上海2018");
    let kids = top[0]["kids"].as_array().expect("collection's entries");
    assert_eq!(kids.len(), 1 + TALKS.len(), "{outline}");
    assert_eq!(kids[0]["title"], "目录");
    for (kid, &(_, title, _, _, n)) in kids[1..].iter().zip(TALKS) {
        assert!(
            kid["title"].as_str().unwrap_or("").ends_with(title),
            "{kid}"
        );
        assert_eq!(kid["kids"].as_array().map(Vec::len), Some(n), "{kid}");
    }

    // Page labels name the talk and the slide: `2:1` is talk 2's first slide.
    let labels = qpdf_json(&pdf, "pagelabels");
    let text = labels.to_string();
    for expected in ["标题", "目录", "1:标题", "2:", "3:"] {
        assert!(text.contains(expected), "{expected}: {text}");
    }

    // The English talk's elements carry its language; the book's is Chinese.
    let qdf = dir.path().join("qdf.pdf");
    tools::run(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            qdf.to_str().unwrap(),
        ],
    );
    let raw = String::from_utf8_lossy(&fs::read(&qdf).unwrap()).into_owned();
    assert!(raw.contains("/Lang (en)"), "no element in English");
    assert!(raw.contains("/Lang (zh"), "the document is not Chinese");

    // Strict readers silent; PDF/A-2u and PDF/UA-1 hold for the anthology too.
    let findings = crate::strictness::strict_pdf_findings(&pdf);
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    let failures = crate::conformance::page_validation_failures(std::slice::from_ref(&pdf));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let findings = crate::conformance::pdfua_findings(std::slice::from_ref(&pdf));
    assert!(findings.is_empty(), "{}", findings.join("\n"));

    // The title and contents pages show: rendered, they carry ink where the text is.
    let render = dir.path().join("page");
    tools::run(
        "pdftoppm",
        &[
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "2",
            "-png",
            pdf.to_str().unwrap(),
            render.to_str().unwrap(),
        ],
    );
    for n in 1..=2 {
        let png = dir.path().join(format!("page-{n:02}.png"));
        let png = if png.exists() {
            png
        } else {
            dir.path().join(format!("page-{n}.png"))
        };
        let img = image::open(&png).expect("rendered page").to_luma8();
        let dark = img.pixels().filter(|p| p.0[0] < 160).count();
        let share = dark as f64 / (img.width() * img.height()) as f64;
        assert!(
            (0.001..0.2).contains(&share),
            "page {n}: {share:.4} of the page is ink"
        );
        if let Ok(keep) = std::env::var("DECKCONV_KEEP_SHOTS") {
            let _ = fs::create_dir_all(&keep);
            let _ = fs::copy(&png, Path::new(&keep).join(format!("anthology-{n}.png")));
        }
    }
}

#[test]
fn handout_anthology_starts_each_talk_on_a_sheet_of_its_own() {
    let dir = tools::tempdir("deckconv-anthology-handout");
    let (pdf, _) = anthology(
        dir.path(),
        "qcon-handout.pdf",
        &["--pdf", "--layout", "handout-6", "--paper", "a4"],
    );
    // Title, contents, then per talk its title page and one sheet (each talk fits on one).
    assert_eq!(tools::pdf_pages(&pdf), 2 + 2 * TALKS.len());
    for (i, &(_, title, _, _, _)) in TALKS.iter().enumerate() {
        let sheet = pdftotext_page(&pdf, 4 + 2 * i);
        assert!(sheet.contains(title), "sheet of talk {}: {sheet}", i + 1);
        for (j, other) in TALKS.iter().enumerate() {
            if j != i {
                assert!(!sheet.contains(other.1), "{} on {title}'s sheet", other.1);
            }
        }
    }
    let findings = crate::strictness::strict_pdf_findings(&pdf);
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    let failures = crate::conformance::page_validation_failures(std::slice::from_ref(&pdf));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if let Ok(keep) = std::env::var("DECKCONV_KEEP_SHOTS") {
        let prefix = Path::new(&keep).join("anthology-handout");
        tools::run(
            "pdftoppm",
            &[
                "-r",
                "50",
                "-f",
                "4",
                "-l",
                "4",
                "-png",
                pdf.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
    }
}

/// The text of one file inside a zip.
fn unzip(book: &Path, name: &str) -> String {
    let file = fs::File::open(book).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut entry = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the book"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    text
}

#[test]
fn epub_anthology_nests_its_navigation_and_passes_epubcheck() {
    let dir = tools::tempdir("deckconv-anthology-epub");
    let (book, _) = anthology(dir.path(), "qcon.epub", &["--epub"]);
    tools::assert_epubcheck_clean(&book);

    let nav = unzip(&book, "OEBPS/nav.xhtml");
    // Title page, contents, then one entry per talk holding a list of its slides.
    let toc = &nav[..nav.find("page-list").expect("page list")];
    assert_eq!(toc.matches("<ol>").count(), 1 + TALKS.len(), "{toc}");
    let mut at = 0;
    for (i, &(_, title, _, lang, n)) in TALKS.iter().enumerate() {
        let entry = format!(
            "<li lang=\"{lang}\" xml:lang=\"{lang}\"><a href=\"pages/talk-{:04}.xhtml\">{}. {title}</a>",
            i + 1,
            i + 1
        );
        let found = toc[at..]
            .find(&entry)
            .unwrap_or_else(|| panic!("{entry} missing or out of order:\n{toc}"));
        at += found;
        let nested = &toc[at..];
        let list = &nested[..nested.find("</ol>").unwrap()];
        assert_eq!(list.matches("<li>").count(), n, "{list}");
    }
    assert!(
        nav.contains("epub:type=\"toc\" href=\"pages/contents-01.xhtml\""),
        "{nav}"
    );
    assert!(
        nav.contains(">2:1</a>"),
        "page list names talk and slide: {nav}"
    );

    // Every page of a talk is in its language; the contents page lists the talks.
    let spine = unzip(&book, "OEBPS/package.opf");
    assert!(
        spine.contains("<itemref idref=\"contents-01\"/>"),
        "{spine}"
    );
    let kafka_title = unzip(&book, "OEBPS/pages/talk-0002.xhtml");
    assert!(kafka_title.contains("xml:lang=\"en\"") && kafka_title.contains("Kafka at Scale"));
    assert!(kafka_title.contains("Jun Rao"));
    // An event without a date is the event alone.
    assert!(
        kafka_title.contains("<p class=\"event\">QCon上海2018</p>"),
        "{kafka_title}"
    );
    let kafka_slide = unzip(&book, "OEBPS/pages/slide-0003.xhtml");
    assert!(kafka_slide.contains("xml:lang=\"en\""), "{kafka_slide}");
    let tidb_slide = unzip(&book, "OEBPS/pages/slide-0001.xhtml");
    assert!(tidb_slide.contains("xml:lang=\"zh\""), "{tidb_slide}");
    let contents = unzip(&book, "OEBPS/pages/contents-01.xhtml");
    for &(_, title, speaker, _, _) in TALKS {
        assert!(
            contents.contains(title) && contents.contains(speaker),
            "{contents}"
        );
    }
    let ncx = unzip(&book, "OEBPS/toc.ncx");
    assert!(ncx.contains("playOrder=\"3\"") && ncx.contains("dtb:depth\" content=\"2\""));
}

#[test]
fn cbz_anthology_bookmarks_each_talk() {
    let dir = tools::tempdir("deckconv-anthology-cbz");
    let (cbz, _) = anthology(dir.path(), "qcon.cbz", &["--cbz"]);
    let read = crate::cbz::comicapi_read(&cbz);
    assert!(read.contains("comic=True"), "{read}");
    assert!(read.contains("pages=7"), "{read}");
    assert!(read.contains("title=QCon上海2018"), "{read}");
    let info = unzip(&cbz, "ComicInfo.xml");
    let mut first = 0;
    for (i, &(_, title, _, _, n)) in TALKS.iter().enumerate() {
        let bookmark = format!("<Page Image=\"{first}\"");
        let line = info
            .lines()
            .find(|l| l.contains(&bookmark))
            .unwrap_or_else(|| panic!("{bookmark}: {info}"));
        assert!(
            line.contains(&format!("Bookmark=\"{}. {title}\"", i + 1)),
            "{line}"
        );
        first += n;
    }
}

#[test]
fn anthology_flags_are_checked() {
    let dir = tools::tempdir("deckconv-anthology-usage");
    let decks = fixture(dir.path());
    deckconv(dir.path())
        .arg(&decks)
        .args(["--pdf", "--sort", "title"])
        .assert()
        .code(2);
    deckconv(dir.path())
        .arg(&decks)
        .args(["--pdf", "--anthology", "--sort", "colour"])
        .assert()
        .code(2);
    // --title names the collection; the file is named after it.
    deckconv(dir.path())
        .arg(&decks)
        .args(["--cbz", "--anthology", "--title", "My binder", "-o", "out/"])
        .assert()
        .success();
    assert!(dir.path().join("out/My binder.cbz").is_file());
}

#[test]
fn a_whole_archive_writes_every_deck_it_can_and_reports_each() {
    let dir = tools::tempdir("deckconv-archive");
    let decks = fixture(dir.path());
    fs::write(
        decks.join("broken.md"),
        "# 坏的演讲\n\n![](images/nothere.png)\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let report = dir.path().join("report.jsonl");
    let assert = deckconv(dir.path())
        .arg(&decks)
        .args(["--pdf", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    // The failure is named with its file and line; every other deck is written.
    assert!(stderr.contains("broken.md:3"), "{stderr}");
    let written = fs::read_dir(&out).unwrap().count();
    assert_eq!(
        written,
        TALKS.len() + 1,
        "the twin is its own deck without --anthology"
    );
    let lines: Vec<serde_json::Value> = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), TALKS.len() + 2);
    let broken = lines
        .iter()
        .find(|l| l["input"].as_str().unwrap().ends_with("broken.md"))
        .unwrap();
    assert!(broken["error"].as_str().unwrap().contains("nothere.png"));
    assert_eq!(broken["output"].as_array().map(Vec::len), Some(0));
    let kafka = lines
        .iter()
        .find(|l| l["title"] == "Kafka at Scale")
        .unwrap();
    assert_eq!(kafka["speakers"][0], "Jun Rao");
    assert_eq!(kafka["slides"], 2);
    assert!(kafka["error"].is_null());
    assert!(kafka["output"][0]
        .as_str()
        .unwrap()
        .ends_with("Kafka at Scale.pdf"));
}

/// Standard base64 of `bytes` (the test's own encoder, independent of the reader's decoder).
#[test]
fn a_renamed_copy_of_a_talk_is_left_out_by_its_images_content() {
    let dir = tools::tempdir("deckconv-anthology-content");
    let decks = fixture(dir.path());
    // The TiDB talk again under another title and speaker, its images copied under other
    // names into another folder: nothing but the bytes says it is the same talk.
    let copies = decks.join("images").join("copy");
    fs::create_dir_all(&copies).unwrap();
    let mut text = String::from("# 另一个标题-赵六\n\n");
    for i in 1..=TALKS[0].4 {
        let original = decks
            .join("images")
            .join(format!("f{}", TALKS[0].0.len()))
            .join(format!("{}_{i}.png", TALKS[0].0.trim_end_matches(".md")));
        fs::copy(&original, copies.join(format!("page{i}.png"))).unwrap();
        text.push_str(&format!("![](images/copy/page{i}.png)\n\n"));
    }
    fs::write(decks.join("zz-copy.md"), text).unwrap();
    let out = dir.path().join("book.cbz");
    let assert = deckconv(dir.path())
        .arg(&decks)
        .args(["--anthology", "--cbz", "-v", "-o"])
        .arg(&out)
        .assert()
        .success();
    let said = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        said.contains("left out")
            && said.contains("zz-copy.md")
            && said.contains("the same slide images by content"),
        "{said}"
    );
    let read = crate::cbz::comicapi_read(&out);
    let slides: usize = TALKS.iter().map(|t| t.4).sum();
    assert!(read.contains(&format!("pages={slides}")), "{read}");
}

#[test]
fn an_archive_fetches_the_next_deck_while_this_one_finishes_within_its_jobs() {
    use crate::support::{Reply, Server};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    // Every image answers after 150 ms; each request's deck and time span are kept.
    let spans: Arc<Mutex<Vec<(String, Instant, Instant)>>> = Arc::default();
    let seen = spans.clone();
    let png = tools::encode(
        RgbImage::from_pixel(64, 36, Rgb([30, 90, 160])),
        image::ImageFormat::Png,
    );
    let server = Server::start(move |request, _| {
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(150));
        let deck = request.path.split('/').nth(1).unwrap_or("").to_string();
        seen.lock().unwrap().push((deck, start, Instant::now()));
        Reply::ok(png.clone()).header("Content-Type", "image/png")
    });
    let dir = tools::tempdir("deckconv-archive-ahead");
    let decks = dir.path().join("decks");
    fs::create_dir_all(&decks).unwrap();
    for d in 1..=3 {
        let mut text = format!("# Talk {d} - Speaker {d}\n\n");
        for s in 1..=4 {
            text.push_str(&format!(
                "![]({})\n\n",
                server.url(&format!("/d{d}/{s}.png"))
            ));
        }
        fs::write(decks.join(format!("talk{d}.md")), text).unwrap();
    }
    let out = dir.path().join("out");
    deckconv(dir.path())
        .arg(&decks)
        .args(["--pdf", "--jobs", "3", "-o"])
        .arg(format!("{}/", out.display()))
        .assert()
        .success();
    assert_eq!(fs::read_dir(&out).unwrap().count(), 3);
    // --jobs holds for the whole run, however many decks fetch at once.
    assert!(server.peak_in_flight() <= 3, "{}", server.peak_in_flight());
    let spans = spans.lock().unwrap();
    assert_eq!(spans.len(), 12);
    let of = |deck: &'static str| spans.iter().filter(move |s| s.0 == deck);
    // Deck 2's downloads begin while deck 1's last ones are still under way.
    let first_ends = of("d1").map(|s| s.2).max().unwrap();
    let second_starts = of("d2").map(|s| s.1).min().unwrap();
    assert!(
        second_starts < first_ends,
        "deck 2 began {:?} after deck 1's last download ended",
        second_starts - first_ends
    );
    // And deck 1 never waited a round behind deck 2: its last download began with deck 2's
    // first (the slot freed went to it), not 150 ms later.
    let first_last_start = of("d1").map(|s| s.1).max().unwrap();
    assert!(first_last_start <= second_starts + Duration::from_millis(100));
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn embedded_data_images_are_read_like_files_and_messages_stay_short() {
    let dir = tools::tempdir("deckconv-data-images");
    // Noise, so that the PNG (and its base64) is tens of kilobytes.
    let img = RgbImage::from_fn(320, 180, |x, y| {
        let n =
            (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)).wrapping_mul(2_246_822_519);
        Rgb([(n >> 24) as u8, (n >> 16) as u8, (n >> 8) as u8])
    });
    let png = tools::encode(img, image::ImageFormat::Png);
    let data = base64(&png);
    assert!(data.len() > 10_000);
    // Wrapped as editors wrap it.
    let wrapped: String = data
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let deck = dir.path().join("embedded.md");
    fs::write(
        &deck,
        format!("# 嵌入的图片\n\n<img src=\"data:image/png;base64,{wrapped}\">\n\n![](data:image/png;base64,{data})\n"),
    )
    .unwrap();
    let pdf = dir.path().join("embedded.pdf");
    deckconv(dir.path())
        .arg(&deck)
        .args(["--pdf", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    assert_eq!(tools::pdf_pages(&pdf), 3);

    // A broken one fails its slide by number and line; the message holds a short prefix of
    // the source, not the 10 kB of it.
    let broken = format!(
        "# 坏的\n\n![](data:image/png;base64,{}!{})\n",
        &data[..5000],
        &data[5000..]
    );
    fs::write(&deck, broken).unwrap();
    let assert = deckconv(dir.path())
        .arg(&deck)
        .args(["--pdf", "-o"])
        .arg(&pdf)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("slide 1") && stderr.contains("embedded.md:3"),
        "{stderr}"
    );
    assert!(stderr.contains("base64"), "{stderr}");
    assert!(
        stderr.len() < 600,
        "{} bytes of message: {stderr}",
        stderr.len()
    );
}

/// Two decks of the strictness matrix's slides (notes on each, text recognised by the fake
/// recogniser) written to `work`, the second in Chinese.
fn recognised_decks(work: &Path) -> Vec<deckconv::model::Deck> {
    use deckconv::model::{Deck, DeckOrigin, Slide, SlideSource};
    let slides = crate::strictness::noted_slides();
    (0..2)
        .map(|d| {
            let dir = work.join(format!("deck{d}"));
            fs::create_dir_all(&dir).unwrap();
            let mut meta = crate::tools::fake_ocr::meta(["Service mesh", "服务拆分之路"][d], false);
            meta.lang = Some(["en", "zh"][d].into());
            Deck {
                origin: DeckOrigin::File(dir.join("deck.md")),
                meta,
                slides: slides
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let path = dir.join(format!("slide-{i}.img"));
                        fs::write(&path, &s.bytes).unwrap();
                        Slide {
                            position: i + 1,
                            label: s.label.clone(),
                            written: format!("slide-{i}.img"),
                            source: SlideSource::Local(path),
                            line: Some(i + 3),
                            alt: s.alt.clone(),
                            notes: s.notes.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

#[test]
fn recognised_anthologies_stay_conformant_in_every_layout() {
    use deckconv::writer::pdf::{Layout, PdfOptions};
    use deckconv::writer::OutputOptions;
    let dir = tools::tempdir("deckconv-anthology-ocr");
    let decks = recognised_decks(dir.path());
    let collection = deckconv::pipeline::anthology::collection_meta(
        &decks,
        &deckconv::pipeline::AnthologyOptions {
            title: Some("QCon 精选".into()),
            sort: None,
        },
        None,
    );
    let fetcher = deckconv::fetch::Fetcher::new(deckconv::fetch::FetchOptions {
        cache_dir: Some(dir.path().join("cache")),
        ..Default::default()
    })
    .unwrap();
    let options = crate::strictness::run_options(true);
    let layouts: Vec<Layout> = ["slides", "handout-3", "notes"]
        .iter()
        .map(|l| l.parse().unwrap())
        .collect();
    let backends: Vec<_> = layouts
        .iter()
        .map(|&layout| {
            crate::tools::fake_ocr::backend(
                "pdf",
                &OutputOptions {
                    pdf: PdfOptions {
                        layout,
                        ..PdfOptions::default()
                    },
                    ..OutputOptions::default()
                },
            )
        })
        .chain(std::iter::once(crate::tools::fake_ocr::backend(
            "epub",
            &OutputOptions::default(),
        )))
        .collect();
    let outputs: Vec<_> = backends
        .iter()
        .enumerate()
        .map(|(i, backend)| deckconv::pipeline::Output {
            backend: backend.as_ref(),
            target: dir.path().join(format!("book-{i}.{}", backend.extension())),
        })
        .collect();
    let written = deckconv::pipeline::convert_book(
        &decks,
        Some(&collection),
        &outputs,
        &options,
        &fetcher,
        &deckconv::report::Silent,
    )
    .expect("anthology written");
    let pdfs: Vec<PathBuf> = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .cloned()
        .collect();
    assert_eq!(pdfs.len(), 3);
    if let Ok(keep) = std::env::var("DECKCONV_KEEP_SHOTS") {
        let _ = fs::create_dir_all(&keep);
        for file in &written {
            let _ = fs::copy(file, Path::new(&keep).join(file.file_name().unwrap()));
        }
    }
    for pdf in &pdfs {
        let findings = crate::strictness::strict_pdf_findings(pdf);
        assert!(
            findings.is_empty(),
            "{}: {}",
            pdf.display(),
            findings.join("\n")
        );
        // The recognised text of both talks is searchable.
        let text = tools::run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        assert!(text.contains("QCon 精选"), "{text}");
    }
    let failures = crate::conformance::page_validation_failures(&pdfs);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let findings = crate::conformance::pdfua_findings(&pdfs);
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    let epub = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "epub"));
    tools::assert_epubcheck_clean(epub.expect("the EPUB"));
}

#[test]
fn epubjs_follows_the_nested_navigation_to_the_third_talk() {
    let dir = tools::tempdir("deckconv-anthology-epubjs");
    let (book, _) = anthology(dir.path(), "qcon.epub", &["--epub"]);
    let books = book.parent().unwrap();
    let report = crate::reader_search::run_harness(
        books,
        "book=/books/qcon.epub&nav=3",
        "--dump-dom",
        (1280, 720),
    );
    let result: serde_json::Value = serde_json::from_str(&report.result).unwrap();
    // epub.js reads the nesting: title page, contents, then each talk holding its slides.
    let toc = result["toc"].as_array().expect("toc");
    assert_eq!(toc.len(), 2 + TALKS.len(), "{result}");
    for (entry, &(_, title, _, _, n)) in toc[2..].iter().zip(TALKS) {
        assert!(entry["label"].as_str().unwrap().ends_with(title), "{entry}");
        assert_eq!(
            entry["subitems"].as_array().map(Vec::len),
            Some(n),
            "{entry}"
        );
    }
    // Following the third talk's first entry shows that talk's first slide, in its language.
    let first_slide = 1 + TALKS[0].4 + TALKS[1].4;
    assert_eq!(
        result["target"],
        format!("pages/slide-{first_slide:04}.xhtml")
    );
    assert_eq!(result["shown"], result["target"]);
    assert_eq!(result["lang"], TALKS[2].3);
    let images = result["images"].as_array().unwrap();
    assert_eq!(images.len(), 1, "{result}");
    let alt = images[0].as_str().unwrap();
    assert!(alt.contains(TALKS[2].1) && alt.contains('1'), "{result}");
}
