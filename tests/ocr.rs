//! Recognition of slides drawn at test time with the bundled CJK font (feature `ocr`).
//!
//! Needs the models (`scripts/fetch-ocr-models.sh`, which `.ci/run` calls), found in
//! `$DECKCONV_OCR_MODELS` or the default data folder. Without them every test here fails,
//! naming the script: `--features ocr` asks for recognition to be tested, and a test that
//! skips would pass without having recognised anything.

use std::path::PathBuf;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use deckconv::ocr::{cache, Engine, Lang, OcrError, PageText};
use image::{Rgb, RgbImage};

const FONT: &[u8] = include_bytes!("../assets/fonts/NotoSansCJKsc-GB2312.otf");

fn models_dir() -> PathBuf {
    std::env::var_os("DECKCONV_OCR_MODELS")
        .map(PathBuf::from)
        .or_else(deckconv::ocr::default_models_dir)
        .expect("a models folder")
}

/// The engine, loaded once for every test (`Option` so that the tests read as before).
fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    Some(ENGINE.get_or_init(|| {
        Engine::load(&models_dir(), Lang::ChiSimEng)
            .unwrap_or_else(|e| panic!("the OCR tests need the models: {e}"))
    }))
}

/// Draw `text` with its top-left corner at (x, y), `size` pixels high, in `colour`.
fn draw(img: &mut RgbImage, text: &str, x: f32, y: f32, size: f32, colour: [u8; 3]) {
    let font = FontRef::try_from_slice(FONT).unwrap();
    let scaled = font.as_scaled(PxScale::from(size));
    let mut pen = x;
    for c in text.chars() {
        let g = scaled.scaled_glyph(c);
        let id = g.id;
        let mut g = g;
        g.position = ab_glyph::point(pen, y + scaled.ascent());
        if let Some(o) = font.outline_glyph(g) {
            let b = o.px_bounds();
            o.draw(|gx, gy, cov| {
                let (px, py) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                if px >= 0 && py >= 0 && (px as u32) < img.width() && (py as u32) < img.height() {
                    let p = img.get_pixel_mut(px as u32, py as u32);
                    for k in 0..3 {
                        p[k] = (p[k] as f32 * (1.0 - cov) + colour[k] as f32 * cov).round() as u8;
                    }
                }
            });
        }
        pen += scaled.h_advance(id);
    }
}

/// A 1280×720 slide: a header bar with the heading, bullets, a footer.
fn slide(heading: &str, bullets: &[&str], footer: &str) -> RgbImage {
    let mut img = RgbImage::from_pixel(1280, 720, Rgb([255, 255, 255]));
    for y in 0..110 {
        for x in 0..1280 {
            img.put_pixel(x, y, Rgb([24, 64, 140]));
        }
    }
    draw(&mut img, heading, 60.0, 30.0, 50.0, [255, 255, 255]);
    for (i, b) in bullets.iter().enumerate() {
        draw(
            &mut img,
            b,
            80.0,
            160.0 + i as f32 * 70.0,
            34.0,
            [30, 30, 30],
        );
    }
    draw(&mut img, footer, 60.0, 670.0, 20.0, [110, 110, 110]);
    img
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn lev(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i];
        for j in 1..=b.len() {
            cur.push(
                (prev[j] + 1)
                    .min(cur[j - 1] + 1)
                    .min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1])),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

const HEADING: &str = "服务拆分 Service Decomposition";
const BULLETS: [&str; 4] = [
    "配置中心 Apollo：配置变更秒级生效",
    "监控告警 Prometheus + Grafana，告警收敛",
    "容器化部署 Kubernetes，发布时间从 2 小时降到 10 分钟",
    "Keep it simple and measure everything",
];

fn check_page(page: &PageText) {
    assert_eq!((page.width, page.height), (1280, 720));
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    // Heading: exact, with the space between the Han and the Latin words.
    assert_eq!(
        page.heading().map(|l| l.text.as_str()),
        Some(HEADING),
        "lines: {texts:?}"
    );
    assert_eq!(
        texts.first().copied(),
        Some(HEADING),
        "reading order: {texts:?}"
    );
    // Each bullet in order, at most 3% character error, spaces between Latin words.
    let mut from = 1;
    for b in BULLETS {
        let (k, l) = page.lines[from..]
            .iter()
            .enumerate()
            .min_by_key(|(_, l)| lev(&squash(&l.text), &squash(b)))
            .expect("a line");
        let err = lev(&squash(&l.text), &squash(b)) as f32 / squash(b).chars().count() as f32;
        assert!(err <= 0.03, "{b:?} read as {:?} ({err:.3})", l.text);
        from += k + 1;
    }
    assert!(
        texts.contains(&"Keep it simple and measure everything"),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| squash(t).contains("QCon全球软件开发大会")),
        "footer: {texts:?}"
    );
    for t in &texts {
        let c: Vec<char> = t.chars().collect();
        for w in c.windows(3) {
            let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
            assert!(
                !(han(w[0]) && w[1] == ' ' && han(w[2])),
                "space between Han characters: {t:?}"
            );
        }
    }
    // Words: each Han character its own box, Latin words split on spaces, boxes inside the
    // line and left to right.
    let h = page.heading().unwrap();
    let words: Vec<&str> = h.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words, ["服", "务", "拆", "分", "Service", "Decomposition"]);
    for w in h.words.windows(2) {
        assert!(w[0].bbox.right <= w[1].bbox.left + 0.5, "{w:?}");
    }
    // The heading is drawn from x=60 at 50 px: each Han glyph one advance of the font.
    let advance = {
        let font = FontRef::try_from_slice(FONT).unwrap();
        let scaled = font.as_scaled(PxScale::from(50.0));
        scaled.h_advance(scaled.glyph_id('分'))
    };
    let fen = &h.words[3].bbox;
    let (left, right) = (60.0 + 3.0 * advance, 60.0 + 4.0 * advance);
    assert!(
        (fen.left - left).abs() < advance / 2.0 && (fen.right - right).abs() < advance / 2.0,
        "分 at {fen:?}, drawn at {left}..{right}"
    );
    assert!(
        h.bbox.top >= 10.0 && h.bbox.bottom <= 110.0,
        "heading box {:?}",
        h.bbox
    );
    assert!(h.confidence > 0.8);
}

#[test]
fn recognises_a_drawn_slide() {
    let Some(engine) = engine() else { return };
    let img = slide(HEADING, &BULLETS, "QCon 全球软件开发大会 · 上海站 2018");
    let page = engine.recognize(&img).unwrap();
    check_page(&page);
}

#[test]
fn threads_share_one_engine_and_agree() {
    let Some(engine) = engine() else { return };
    let a = slide(HEADING, &BULLETS, "QCon 全球软件开发大会 · 上海站 2018");
    let b = slide(
        "背景 Background",
        &["数据库分库分表 Sharding，单表控制在 500 万行以内"],
        "第 2 页",
    );
    let (pa, pb) = std::thread::scope(|s| {
        let ta = s.spawn(|| engine.recognize(&a).unwrap());
        let tb = s.spawn(|| engine.recognize(&b).unwrap());
        (ta.join().unwrap(), tb.join().unwrap())
    });
    assert_eq!(pa, engine.recognize(&a).unwrap());
    assert_eq!(
        pb.heading().map(|l| l.text.as_str()),
        Some("背景 Background")
    );
    assert!(
        pb.lines
            .iter()
            .any(|l| squash(&l.text) == squash("数据库分库分表 Sharding，单表控制在 500 万行以内")),
        "{:?}",
        pb.text()
    );
}

#[test]
fn lone_closing_braces_in_code_are_read_in_their_place() {
    // The detector sees no line in a lone `}`; the evenly spaced lines of the code around
    // it say where one stands.
    let Some(engine) = engine() else { return };
    const CODE: [&str; 6] = [
        "public Order getOrder(long id) {",
        "    return orders.find(id);",
        "}",
        "public void save(Order order) {",
        "    orders.put(order);",
        "}",
    ];
    let mut img = slide("代码示例 Code", &[], "第 3 页");
    for y in 150..450 {
        for x in 60..1220 {
            img.put_pixel(x, y, Rgb([40, 44, 52]));
        }
    }
    for (i, line) in CODE.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let x = 90.0 + indent as f32 * 13.0;
        draw(
            &mut img,
            line.trim_start(),
            x,
            170.0 + i as f32 * 42.0,
            26.0,
            [200, 205, 215],
        );
    }
    let page = engine.recognize(&img).unwrap();
    let texts: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    let code: Vec<&str> = texts
        .iter()
        .copied()
        .filter(|t| *t != "代码示例 Code" && squash(t) != "第3页")
        .collect();
    assert_eq!(code.len(), CODE.len(), "{texts:?}");
    for (read, drawn) in code.iter().zip(CODE) {
        let err = lev(&squash(read), &squash(drawn)) as f32 / squash(drawn).chars().count() as f32;
        assert!(err <= 0.1, "{drawn:?} read as {read:?} in {texts:?}");
    }
    assert_eq!((code[2], code[5]), ("}", "}"), "{texts:?}");
}

#[test]
fn blank_slide_has_no_text_and_no_heading() {
    let Some(engine) = engine() else { return };
    let page = engine
        .recognize(&RgbImage::from_pixel(800, 600, Rgb([250, 250, 250])))
        .unwrap();
    assert!(page.is_empty(), "{:?}", page.text());
    assert!(page.heading().is_none());
}

#[test]
fn cached_pages_are_not_recognised_again() {
    let Some(engine) = engine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let img = slide(HEADING, &BULLETS[..1], "x");
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let key = cache::Key::new(&png, &engine.model_version(), engine.lang());
    assert!(cache::load(dir.path(), &key).is_none());
    let page = engine.recognize(&img).unwrap();
    cache::store(dir.path(), &key, &page).unwrap();
    assert_eq!(cache::load(dir.path(), &key).as_ref(), Some(&page));
    // A corrupted entry is a miss, not a crash.
    std::fs::write(cache::entry_path(dir.path(), &key), "{not json").unwrap();
    assert!(cache::load(dir.path(), &key).is_none());
}

#[test]
fn model_version_names_the_models() {
    let Some(engine) = engine() else { return };
    let v = engine.model_version();
    assert!(
        v.starts_with("ppocrv4-") && v.len() == "ppocrv4-".len() + 16,
        "{v}"
    );
}

#[test]
fn a_folder_without_models_names_the_fetch_script() {
    let dir = tempfile::tempdir().unwrap();
    let err = Engine::load(dir.path(), Lang::ChiSimEng).unwrap_err();
    assert!(matches!(err, OcrError::ModelsMissing { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("scripts/fetch-ocr-models.sh")
            && msg.contains(&dir.path().display().to_string()),
        "{msg}"
    );
    assert_eq!("ch".parse::<Lang>().unwrap(), Lang::ChiSimEng);
    assert!("fra".parse::<Lang>().is_err());
}

fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn deckconv() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("deckconv").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", "1540000000");
    cmd
}

/// The whole tool on slides with known text: the PDF's text layer gives the text back, the
/// outline and the EPUB's table of contents name each slide by its heading, the cover slide
/// supplies the title the deck's heading lacks, and a second run recognises nothing again.
#[test]
fn deckconv_ocr_makes_searchable_pdf_and_epub() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let cover = {
        let mut img = RgbImage::from_pixel(1280, 720, Rgb([255, 255, 255]));
        draw(
            &mut img,
            "事务消息的设计与实现",
            200.0,
            260.0,
            80.0,
            [20, 20, 20],
        );
        draw(&mut img, "王强 · 2018", 200.0, 420.0, 36.0, [90, 90, 90]);
        img
    };
    std::fs::write(dir.join("cover.png"), png(&cover)).unwrap();
    let content = slide(HEADING, &BULLETS, "QCon 全球软件开发大会 · 上海站 2018");
    std::fs::write(dir.join("s2.png"), png(&content)).unwrap();
    let blank = RgbImage::from_pixel(1280, 720, Rgb([250, 250, 250]));
    std::fs::write(dir.join("s3.png"), png(&blank)).unwrap();
    // The heading names only the speaker: no talk title, so the cover slide's words are.
    std::fs::write(
        dir.join("deck.md"),
        "# 王强\n\n![](cover.png)\n![](s2.png)\n![](s3.png)\n",
    )
    .unwrap();
    let models = models_dir();
    let run = |extra: &[&str]| {
        let out = deckconv()
            .current_dir(dir)
            .args([
                "deck.md",
                "--pdf",
                "--epub",
                "--ocr",
                "-o",
                "out",
                "--cache-dir",
                "cache",
            ])
            .arg("--ocr-models")
            .arg(&models)
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{stderr}");
        stderr
    };
    let first = run(&["-v"]);
    assert!(
        first.contains("title from the cover slide: 事务消息的设计与实现"),
        "{first}"
    );
    let out = dir.join("out");
    let pdf = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let pdf_s = pdf.to_str().unwrap();
    let info = std::process::Command::new("pdfinfo")
        .arg(pdf_s)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("事务消息的设计与实现"), "{info}");
    // Page 1 is the title page, page 3 the content slide.
    let text = std::process::Command::new("pdftotext")
        .args(["-f", "3", "-l", "3", pdf_s, "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.contains(HEADING), "{text}");
    for b in BULLETS {
        let best = text
            .lines()
            .map(|l| lev(&squash(l), &squash(b)))
            .min()
            .unwrap();
        assert!(
            best as f32 / squash(b).chars().count() as f32 <= 0.03,
            "{b:?} not in {text}"
        );
    }
    let outline = std::process::Command::new("mutool")
        .args(["show", pdf_s, "outline"])
        .output()
        .unwrap();
    let outline = String::from_utf8_lossy(&outline.stdout).to_string();
    assert!(outline.contains(&format!("2 · {HEADING}")), "{outline}");
    assert!(outline.contains("幻灯片 3"), "{outline}");
    // The EPUB: the page's text layer and its place in the table of contents.
    let epub = pdf.with_extension("epub");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let page = read("OEBPS/pages/slide-0002.xhtml");
    assert!(page.contains("class=\"ocr\""), "{page}");
    assert!(
        page.contains("Keep it simple and measure everything"),
        "{page}"
    );
    let nav = read("OEBPS/nav.xhtml");
    assert!(nav.contains(&format!("2 · {HEADING}")), "{nav}");
    let opf = read("OEBPS/package.opf");
    // Slide 3 has no text: images stay necessary.
    assert!(!opf.contains("accessModeSufficient\">textual"), "{opf}");
    // A second run reads every page's text from the cache.
    let second = run(&["-vv"]);
    assert_eq!(
        second.matches("text recognised (cached)").count(),
        3,
        "{second}"
    );
    assert!(!second.contains("text recognised\n"), "{second}");
}

/// How the cover check does on real cover slides kept outside the repository (a measurement,
/// not a pass/fail check): `COVER_SLIDES=DIR cargo test --features ocr --test integration
/// ocr::cover_check_scores -- --ignored --nocapture`, where `DIR/manifest.json` lists slides
/// as `{"file", "heading", "source": {"path", "page"}}` and page 1 is a cover. For each, the
/// deck's file name is read as a title and compared with the cover's largest recognised text.
#[test]
#[ignore]
fn cover_check_scores() {
    use deckconv::reader::title::{self, cover};
    let Some(engine) = engine() else { return };
    let dir = PathBuf::from(std::env::var("COVER_SLIDES").expect("COVER_SLIDES=DIR"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let mut heading_seen = 0;
    let mut covers = 0;
    for slide in manifest["slides"].as_array().unwrap() {
        if slide["source"]["page"].as_u64() != Some(1) {
            continue;
        }
        covers += 1;
        let path = slide["source"]["path"].as_str().unwrap();
        let stem = path.rsplit('/').next().unwrap().trim_end_matches(".pdf");
        let reading = title::analyze_file_name(stem);
        let score = title::reading_score(&reading);
        let img = image::open(dir.join(slide["file"].as_str().unwrap()))
            .unwrap()
            .to_rgb8();
        let page = engine.recognize(&img).unwrap();
        let Some(cover_text) = page.cover_title() else {
            eprintln!("{stem}: no cover text");
            *counts.entry("no cover text".to_string()).or_insert(0) += 1;
            continue;
        };
        // Whether the recognised cover line holds the manifest's own first line.
        let squash = |s: &str| {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        };
        let heading = squash(slide["heading"].as_str().unwrap_or(""));
        if !heading.is_empty() && squash(&cover_text).contains(&heading) {
            heading_seen += 1;
        }
        let reading_title = reading.title.clone().unwrap_or_default();
        let check = cover::check_cover(&reading_title, score, &cover_text);
        *counts.entry(format!("{:?}", check.verdict)).or_insert(0) += 1;
        eprintln!("{stem}\n    {}", check.why());
    }
    eprintln!(
        "{covers} covers: {counts:?}; the manifest's first cover line found in the recognised \
         title on {heading_seen}"
    );
}
