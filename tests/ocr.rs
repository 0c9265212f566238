//! Recognition of slides drawn at test time with the bundled CJK font (feature `ocr`).
//!
//! Needs the models (`scripts/fetch-ocr-models.sh`), found in `$DECKCONV_OCR_MODELS` or the
//! default data folder. Without them the tests skip with a message, except under `CI=true`,
//! where they fail: CI must never pass without having recognised anything.

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

/// The engine, or `None` (test skipped) when the models are not installed outside CI.
fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| match Engine::load(&models_dir(), Lang::ChiSimEng) {
            Ok(e) => Some(e),
            Err(e @ OcrError::ModelsMissing { .. }) => {
                if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                    panic!("CI=true and the OCR models are missing: {e}");
                }
                eprintln!("SKIPPED: {e}");
                None
            }
            Err(e) => panic!("{e}"),
        })
        .as_ref()
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
    // The heading is drawn from x=60 at 50 px: Han glyphs are 50 px wide.
    let fen = &h.words[3].bbox;
    assert!(
        (fen.left - 210.0).abs() < 25.0 && (fen.right - 260.0).abs() < 25.0,
        "分 at {fen:?}"
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
