//! The PDF writer on real images, checked with real validators (qpdf, poppler, mupdf):
//! structure, image encodings, byte-identical JPEGs, pixel-identical renders, metadata,
//! outline, page labels, reproducibility.

use crate::tools;
use tools::{run, with_orientation};

use std::fs;
use std::path::{Path, PathBuf};

use deckconv::model::DeckMeta;
use deckconv::normalize::{probe, Limits};
use deckconv::writer::pdf::PdfBackend;
use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};
use tools::TestSlide;

const EXAMPLE: &str = "examples/qcon-shanghai-2018/images/673764946qgTHbi";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example deck's slides in deck order (numbers 4..=15).
fn example_slides() -> Vec<(String, Vec<u8>)> {
    (4..=15)
        .map(|n| {
            let dir = root().join(EXAMPLE);
            let png = dir.join(format!("201905181115_{n}.png"));
            let path = if png.exists() {
                png
            } else {
                dir.join(format!("201905181115_{n}.jpg"))
            };
            (n.to_string(), fs::read(&path).unwrap())
        })
        .collect()
}

fn meta() -> DeckMeta {
    DeckMeta {
        raw_title: Some("可上传_陈思远_0到3000万用户微服务之旅".into()),
        title: "0到3000万用户微服务之旅".into(),
        authors: vec!["陈思远".into()],
        date: Some("2018-10-19".into()),
        event: Some("QCon Shanghai 2018".into()),
        lang: Some("zh".into()),
        source: Some("examples/qcon-shanghai-2018/deck.md".into()),
        title_notes: Vec::new(),
        title_is_fallback: false,
        title_score: None,
    }
}

/// Run the slides through the library's pipeline into a slides-layout PDF.
fn convert(slides: &[(String, Vec<u8>)], out: &Path, timestamp: i64) {
    let work = tools::tempdir("deckconv-pdf-work");
    let slides: Vec<TestSlide> = slides
        .iter()
        .enumerate()
        .map(|(i, (label, bytes))| TestSlide {
            alt: if i == 1 {
                "架构演进".into()
            } else {
                String::new()
            },
            ..TestSlide::new(label.clone(), bytes.clone())
        })
        .collect();
    tools::convert(
        work.path(),
        meta(),
        &slides,
        &PdfBackend::default(),
        out,
        timestamp,
    )
    .unwrap();
}

/// `pdfinfo` output as key → value.
fn pdfinfo(args: &[&str]) -> std::collections::HashMap<String, String> {
    run("pdfinfo", args)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn tempdir() -> tempfile::TempDir {
    tools::tempdir("deckconv-pdf-")
}

/// The source as it should look: upright, alpha composited over white, 8-bit RGB.
/// 16-bit samples are shown by their high byte, as poppler reduces them (rounding instead
/// would be just as right; the point is that every 16-bit sample arrives unchanged).
fn expected_render(bytes: &[u8]) -> RgbImage {
    let info = probe(bytes, &Limits::default()).unwrap();
    let mut image = image::load_from_memory(bytes).unwrap();
    if let Some(o) = image::metadata::Orientation::from_exif(info.orientation) {
        image.apply_orientation(o);
    }
    if info.bit_depth == 16 && !image.color().has_alpha() {
        let wide = image.to_rgb16();
        return RgbImage::from_fn(wide.width(), wide.height(), |x, y| {
            let p = wide.get_pixel(x, y);
            Rgb([(p[0] >> 8) as u8, (p[1] >> 8) as u8, (p[2] >> 8) as u8])
        });
    }
    flatten(&image.to_rgba8())
}

fn flatten(image: &RgbaImage) -> RgbImage {
    RgbImage::from_fn(image.width(), image.height(), |x, y| {
        let Rgba([r, g, b, a]) = *image.get_pixel(x, y);
        let over = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32) + 127) / 255) as u8;
        Rgb([over(r), over(g), over(b)])
    })
}

/// Largest per-channel difference and how many pixels differ at all.
fn difference(a: &RgbImage, b: &RgbImage) -> (u8, usize) {
    assert_eq!(a.dimensions(), b.dimensions());
    let mut max = 0;
    let mut differing = 0;
    for (p, q) in a.pixels().zip(b.pixels()) {
        let d = (0..3).map(|i| p[i].abs_diff(q[i])).max().unwrap_or(0);
        max = max.max(d);
        differing += usize::from(d > 0);
    }
    (max, differing)
}

/// Render every page at 96 dpi (1 slide pixel = 1 device pixel).
fn render(pdf: &Path, dir: &Path) -> Vec<RgbImage> {
    let prefix = dir.join("page");
    run(
        "pdftocairo",
        &[
            "-png",
            "-r",
            "96",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("page") && n.ends_with(".png"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| image::open(p).unwrap().to_rgb8())
        .collect()
}

#[test]
fn example_deck_is_valid_lossless_and_pixel_identical() {
    let dir = tempdir();
    let pdf = dir.path().join("deck.pdf");
    let slides = example_slides();
    convert(&slides, &pdf, 1_539_907_200);
    let path = pdf.to_str().unwrap();

    let check = tools::qpdf_check(path);
    assert!(!check.to_lowercase().contains("warning"), "{check}");

    let info = pdfinfo(&[path]);
    assert_eq!(info["Pages"], "13");
    assert_eq!(info["Page size"], "720 x 405 pts");
    assert_eq!(info["Title"], "0到3000万用户微服务之旅");
    assert_eq!(info["Author"], "陈思远");
    assert_eq!(info["Subject"], "QCon Shanghai 2018");
    assert!(info["Creator"].starts_with("deckconv "), "{info:?}");
    assert!(info["Producer"].starts_with("deckconv "), "{info:?}");
    assert_eq!(info["Metadata Stream"], "yes");

    // Encodings: JPEG slides stay JPEG — the CMYK one, which has no ICC profile, under the
    // uncalibrated-CMYK profile (PDF/A has no place for DeviceCMYK under an sRGB intent);
    // alpha slides carry a soft mask; nothing else is lossy.
    let list = run("pdfimages", &["-list", path]);
    let rows: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let on_page = |page: usize| -> Vec<(&str, &str, &str)> {
        rows.iter()
            .filter(|r| r[0] == page.to_string())
            .map(|r| (r[2], r[5], r[8]))
            .collect()
    };
    for (i, (label, bytes)) in slides.iter().enumerate() {
        let page = i + 2;
        let found = on_page(page);
        let is_jpeg = bytes.starts_with(&[0xFF, 0xD8]);
        let source = image::load_from_memory(bytes).unwrap();
        let has_alpha =
            source.color().has_alpha() && source.to_rgba8().pixels().any(|p| p[3] != 255);
        assert_eq!(found[0].0, "image", "slide {label}: {list}");
        assert_eq!(found[0].2 == "jpeg", is_jpeg, "slide {label}: {list}");
        if !is_jpeg {
            assert_eq!(found[0].2, "image", "slide {label}: {list}");
        }
        assert_eq!(
            found.len() == 2 && found[1].0 == "smask",
            has_alpha,
            "slide {label}: {list}"
        );
        let expected_colour = match label.as_str() {
            "7" => "gray",
            "8" => "icc",
            _ => "rgb",
        };
        assert_eq!(found[0].1, expected_colour, "slide {label}: {list}");
    }

    // JPEGs come back out byte for byte.
    let extracted = dir.path().join("x");
    run("pdfimages", &["-all", path, extracted.to_str().unwrap()]);
    let mut jpegs: Vec<PathBuf> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    jpegs.sort();
    let source_jpegs: Vec<&Vec<u8>> = slides
        .iter()
        .map(|(_, b)| b)
        .filter(|b| b.starts_with(&[0xFF, 0xD8]))
        .collect();
    assert_eq!(jpegs.len(), source_jpegs.len());
    for (file, source) in jpegs.iter().zip(source_jpegs) {
        assert!(
            fs::read(file).unwrap() == *source,
            "{} differs",
            file.display()
        );
    }

    // Every page renders like its source, pixel for pixel (the CMYK slide like its decode,
    // within a level of rounding).
    let renders = render(&pdf, dir.path());
    assert_eq!(renders.len(), 13);
    assert_eq!(renders[0].dimensions(), (960, 540));
    for (i, (label, bytes)) in slides.iter().enumerate() {
        let got = &renders[i + 1];
        let want = expected_render(bytes);
        let (max, differing) = difference(got, &want);
        let is_jpeg = bytes.starts_with(&[0xFF, 0xD8]);
        if label == "8" {
            // Through the profile: its interpolation and the JPEG decoders' rounding.
            assert!(
                max <= 2,
                "slide 8 (CMYK): max difference {max} ({differing} px)"
            );
        } else if is_jpeg {
            // JPEG decoders may round apart (libjpeg in poppler, zune-jpeg here): close to the
            // source, and exactly the pixels poppler itself decodes from the embedded JPEG.
            assert!(
                max <= 6,
                "slide {label}: max difference {max} ({differing} px)"
            );
            let decoded = poppler_decoded(&pdf, i + 2, dir.path(), bytes);
            assert_eq!(difference(got, &decoded), (0, 0), "slide {label} placement");
        } else {
            assert_eq!((max, differing), (0, 0), "slide {label} differs");
        }
    }
}

/// The page's image as poppler decodes it (`pdfimages -png`), turned upright like the source.
fn poppler_decoded(pdf: &Path, page: usize, dir: &Path, source: &[u8]) -> RgbImage {
    let prefix = dir.join(format!("decoded-{page}"));
    let page = page.to_string();
    run(
        "pdfimages",
        &[
            "-png",
            "-f",
            &page,
            "-l",
            &page,
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let file = dir.join(format!("decoded-{page}-000.png"));
    let mut image = image::open(file).unwrap();
    let orientation = probe(source, &Limits::default()).unwrap().orientation;
    if let Some(o) = image::metadata::Orientation::from_exif(orientation) {
        image.apply_orientation(o);
    }
    image.to_rgb8()
}

#[test]
fn outline_labels_and_xmp() {
    let dir = tempdir();
    let pdf = dir.path().join("deck.pdf");
    convert(&example_slides(), &pdf, 1_539_907_200);
    let path = pdf.to_str().unwrap();

    let json = run(
        "qpdf",
        &[
            "--json=2",
            "--json-key=pagelabels",
            "--json-key=outlines",
            path,
        ],
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let outlines = value["outlines"].as_array().unwrap();
    let titles: Vec<&str> = outlines
        .iter()
        .map(|o| o["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 13);
    assert_eq!(titles[0], "0到3000万用户微服务之旅");
    assert_eq!(titles[1], "幻灯片 4");
    assert_eq!(titles[2], "架构演进");
    assert_eq!(titles[12], "幻灯片 15");
    let pages: Vec<i64> = outlines
        .iter()
        .map(|o| o["destpageposfrom1"].as_i64().unwrap())
        .collect();
    assert_eq!(pages, (1..=13).collect::<Vec<_>>());

    // Page labels: "Title", then the slides' own numbers from 4.
    let label_json = &value["pagelabels"];
    let ranges = label_json.as_array().unwrap();
    assert_eq!(ranges[0]["index"], 0);
    assert_eq!(ranges[0]["label"]["/P"], "u:标题");
    assert_eq!(ranges[1]["index"], 1);
    assert_eq!(ranges[1]["label"]["/S"], "/D");
    assert_eq!(ranges[1]["label"]["/St"], 4);

    let xmp = run("pdfinfo", &["-meta", path]);
    for needle in [
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">0到3000万用户微服务之旅",
        "<rdf:li>陈思远</rdf:li>",
        "<xmp:CreatorTool>deckconv",
        "<pdf:Producer>deckconv",
        "<xmp:CreateDate>2018-10-19T00:00:00Z</xmp:CreateDate>",
    ] {
        assert!(xmp.contains(needle), "missing {needle} in {xmp}");
    }
    let info = pdfinfo(&["-isodates", path]);
    assert_eq!(info["CreationDate"], "2018-10-19T00:00:00Z");
    assert_eq!(info["ModDate"], "2018-10-19T00:00:00Z");
}

#[test]
fn same_input_and_timestamp_give_identical_bytes() {
    let dir = tempdir();
    let (a, b, c) = (
        dir.path().join("a.pdf"),
        dir.path().join("b.pdf"),
        dir.path().join("c.pdf"),
    );
    let slides = example_slides();
    convert(&slides, &a, 1_700_000_000);
    convert(&slides, &b, 1_700_000_000);
    convert(&slides, &c, 1_700_000_001);
    let (a, b, c) = (
        fs::read(a).unwrap(),
        fs::read(b).unwrap(),
        fs::read(c).unwrap(),
    );
    assert!(a == b, "two runs differ");
    assert!(a != c, "the timestamp is not recorded");
}

fn png(image: &DynamicImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A picture whose every quadrant differs, so any wrong turn or flip shows.
fn quadrants(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let colour = match (x < width / 2, y < height / 2) {
            (true, true) => [220, 30, 30],
            (false, true) => [30, 200, 30],
            (true, false) => [30, 30, 220],
            (false, false) => [240, 240, 40],
        };
        Rgb(colour)
    })
}

#[test]
fn exif_orientations_are_shown_upright_without_reencoding() {
    let stored = DynamicImage::ImageRgb8(quadrants(64, 48));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 100)
        .encode_image(&stored)
        .unwrap();
    let jpeg = jpeg.into_inner();
    let slides: Vec<(String, Vec<u8>)> = (1..=8u16)
        .map(|o| (o.to_string(), with_orientation(&jpeg, o)))
        .collect();
    let dir = tempdir();
    let pdf = dir.path().join("o.pdf");
    convert(&slides, &pdf, 0);
    run("qpdf", &["--check", pdf.to_str().unwrap()]);
    let renders = render(&pdf, dir.path());
    for (i, (o, bytes)) in slides.iter().enumerate() {
        assert_eq!(
            probe(bytes, &Limits::default())
                .unwrap()
                .orientation
                .to_string(),
            *o
        );
        let want = expected_render(bytes);
        let got = &renders[i + 1];
        // Pages take the dominant (landscape) size; turned slides are fitted and centred,
        // so compare the region where the slide sits, at its scale.
        let (pw, ph) = got.dimensions();
        let scale = (pw as f32 / want.width() as f32).min(ph as f32 / want.height() as f32);
        let (dw, dh) = (
            (want.width() as f32 * scale).round() as u32,
            (want.height() as f32 * scale).round() as u32,
        );
        let (x0, y0) = ((pw - dw) / 2, (ph - dh) / 2);
        // Compare each quadrant's centre colour.
        for (fx, fy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
            let w = want.get_pixel(
                (want.width() as f32 * fx) as u32,
                (want.height() as f32 * fy) as u32,
            );
            let g = got.get_pixel(x0 + (dw as f32 * fx) as u32, y0 + (dh as f32 * fy) as u32);
            let d = (0..3).map(|c| w[c].abs_diff(g[c])).max().unwrap();
            assert!(
                d <= 6,
                "orientation {o} at ({fx},{fy}): want {w:?}, got {g:?}"
            );
        }
        if !(5..=8).contains(&o.parse::<u8>().unwrap()) {
            let (max, _) = difference(got, &want);
            assert!(max <= 3, "orientation {o}: max difference {max}");
        }
    }
    // The JPEGs are embedded unchanged, orientation and all.
    let list = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
    assert_eq!(
        list.lines().filter(|l| l.contains(" jpeg ")).count(),
        8,
        "{list}"
    );
}

#[test]
fn other_formats_are_stored_losslessly() {
    // Palette, 1-bit grey, 16-bit grey, interlaced RGB, GIF, BMP, RGBA with alpha, odd size.
    let base = quadrants(40, 30);
    let mut slides: Vec<(String, Vec<u8>)> = Vec::new();

    let mut palette = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut palette, 40, 30);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Four);
        enc.set_palette(vec![220, 30, 30, 30, 200, 30, 30, 30, 220, 240, 240, 40]);
        let mut w = enc.write_header().unwrap();
        let data: Vec<u8> = (0..30u32)
            .flat_map(|y| {
                (0..20u32).map(move |px| {
                    let index = |x: u32| u8::from(x >= 20) + 2 * u8::from(y >= 15);
                    (index(px * 2) << 4) | index(px * 2 + 1)
                })
            })
            .collect();
        w.write_image_data(&data).unwrap();
    }
    slides.push(("palette".into(), palette));

    let mut bilevel = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bilevel, 40, 30);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        let mut w = enc.write_header().unwrap();
        let data: Vec<u8> = (0..30u32)
            .flat_map(|y| (0..5u32).map(move |b| if (y + b) % 2 == 0 { 0xA5 } else { 0x3C }))
            .collect();
        w.write_image_data(&data).unwrap();
    }
    slides.push(("bilevel".into(), bilevel));

    let gray16 = DynamicImage::ImageLuma16(image::ImageBuffer::from_fn(40, 30, |x, y| {
        image::Luma([(x * 1600 + y * 37) as u16])
    }));
    slides.push(("gray16".into(), png(&gray16)));

    slides.push(("interlaced".into(), adam7_png(&base)));

    let mut gif = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(base.clone())
        .write_to(&mut gif, image::ImageFormat::Gif)
        .unwrap();
    slides.push(("gif".into(), gif.into_inner()));

    let mut bmp = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(base.clone())
        .write_to(&mut bmp, image::ImageFormat::Bmp)
        .unwrap();
    slides.push(("bmp".into(), bmp.into_inner()));

    let rgba = RgbaImage::from_fn(40, 30, |x, y| {
        let Rgb([r, g, b]) = *base.get_pixel(x, y);
        Rgba([r, g, b, (x * 6 + y) as u8])
    });
    slides.push(("rgba".into(), png(&DynamicImage::ImageRgba8(rgba))));

    // A slide of another shape: fitted and centred on the dominant page size.
    slides.push((
        "tall".into(),
        png(&DynamicImage::ImageRgb8(quadrants(20, 30))),
    ));

    let dir = tempdir();
    let pdf = dir.path().join("formats.pdf");
    convert(&slides, &pdf, 0);
    let path = pdf.to_str().unwrap();
    tools::qpdf_check(path);
    assert_eq!(pdfinfo(&[path])["Page size"], "30 x 22.5 pts");

    let list = run("pdfimages", &["-list", path]);
    let rows: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let row = |page: usize| rows.iter().find(|r| r[0] == page.to_string()).unwrap();
    assert_eq!(row(2)[5], "index", "{list}");
    assert_eq!(row(2)[7], "4", "{list}");
    assert_eq!(row(3)[7], "1", "{list}");
    assert_eq!(row(4)[7], "16", "{list}");
    assert!(
        rows.iter().any(|r| r[0] == "8" && r[2] == "smask"),
        "{list}"
    );
    assert!(rows.iter().all(|r| r[8] == "image"), "{list}");

    // Each page at 96 dpi is the slide itself (the tall one fitted and centred).
    let renders = render(&pdf, dir.path());
    for (i, (name, bytes)) in slides.iter().enumerate() {
        let got = &renders[i + 1];
        let want = expected_render(bytes);
        if name == "tall" {
            assert_eq!(got.dimensions(), (40, 30));
            // 20x30 on a 40x30 page: scale 1, centred with 10 px each side.
            let inner = image::imageops::crop_imm(got, 10, 0, 20, 30).to_image();
            assert_eq!(difference(&inner, &want), (0, 0), "tall slide");
            assert_eq!(*got.get_pixel(2, 15), Rgb([255, 255, 255]));
            continue;
        }
        let (max, differing) = difference(got, &want);
        assert_eq!((max, differing), (0, 0), "{name} differs");
    }
}

/// An Adam7-interlaced RGB PNG (no encoder at hand writes one), unfiltered rows.
fn adam7_png(image: &RgbImage) -> Vec<u8> {
    use std::io::Write;
    let (w, h) = image.dimensions();
    let mut raw = Vec::new();
    for (x0, y0, dx, dy) in [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ] {
        if x0 >= w || y0 >= h {
            continue;
        }
        for y in (y0..h).step_by(dy) {
            raw.push(0);
            for x in (x0..w).step_by(dx) {
                raw.extend_from_slice(&image.get_pixel(x, y).0);
            }
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let idat = z.finish().unwrap();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 1]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", &ihdr), (b"IDAT", &idat), (b"IEND", &Vec::new())] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    out
}
