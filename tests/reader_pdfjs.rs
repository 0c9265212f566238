//! CMYK JPEGs, without and with a profile of their own, in pdf.js (from npm, pinned in
//! `tests/data/pdfjs/package-lock.json`), running in Debian's chromium, headless, with its
//! WebAssembly colour engine on as Firefox's viewer has it (`tests/data/pdfjs/render.html`).
//! pdf.js converts ICC colour with qcms, which reads a CMYK profile only from a lut16Type or
//! lut8Type `A2B0`: with the lutAtoBType profile deckconv wrote before, qcms refused it and
//! pdf.js fell back to its bundled CGATS profile, 100 % cyan (0,173,239) instead of the
//! (0,255,255) that browsers, Poppler, Ghostscript and MuPDF show. The harness page and the PDF
//! are served by a loopback server the test starts, and the page reports back to it.

use crate::strictness::run_options;
use crate::tools::fake_ocr::{backend, meta};
use crate::tools::{self, browser, TestSlide};

use deckconv::writer::OutputOptions;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// What to run when chromium or pdf.js is missing.
const SETUP: &str = "run .ci/run: it installs Debian's chromium (apt-get install chromium) and \
    pdf.js (npm ci in tests/data/pdfjs)";
/// Side of a patch of the strip, in pixels: a whole number of the JPEG's 16-pixel MCUs, so
/// that each patch is flat where it is sampled.
const PATCH: u32 = 64;
/// The strip's inks (C, M, Y, K; 255 is full ink): each ink alone, 50 % cyan, C+M, mixes
/// with K, 50 % K, and two colours where one channel is near 0 and the others bright, where a
/// profile's table is least exact (`icc::uncalibrated_cmyk_profile`).
const INKS: [[u8; 4]; 12] = [
    [255, 0, 0, 0],
    [0, 255, 0, 0],
    [0, 0, 255, 0],
    [0, 0, 0, 255],
    [128, 0, 0, 0],
    [255, 255, 0, 0],
    [100, 50, 0, 60],
    [0, 0, 0, 128],
    [239, 48, 32, 0],
    [255, 112, 16, 0],
    [48, 175, 239, 32],
    [200, 100, 50, 100],
];

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdfjs")
}

/// Chromium and the pinned pdf.js are there, or a failure naming the setup.
fn setup() {
    tools::browser_harness(
        &harness_dir(),
        "pdfjs-dist",
        &[
            "node_modules/pdfjs-dist/build/pdf.mjs",
            "node_modules/pdfjs-dist/wasm/qcms_bg.wasm",
        ],
        SETUP,
    );
}

/// Page `page` of `pdf` rendered by pdf.js on a canvas `width` pixels wide: the canvas size
/// and the colours of the pixels `points`.
fn render(pdf: &Path, page: usize, width: u32, points: &[(u32, u32)]) -> Value {
    let points: Vec<[u32; 2]> = points.iter().map(|&(x, y)| [x, y]).collect();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair(
        "pdf",
        &format!("/files/{}", pdf.file_name().unwrap().to_str().unwrap()),
    );
    query.append_pair("page", &page.to_string());
    query.append_pair("width", &width.to_string());
    query.append_pair("pts", &serde_json::to_string(&points).unwrap());
    let report = browser::run(&browser::Page {
        harness: &harness_dir(),
        name: "pdfjs",
        files: pdf.parent().unwrap(),
        files_at: "files",
        page: "render.html",
        query: &query.finish(),
        flags: &["--dump-dom".to_string()],
        setup: SETUP,
    });
    serde_json::from_str(&report.result).unwrap()
}

/// A strip of flat CMYK patches, `INKS` left to right, as a JPEG without a profile (Adobe
/// CMYK, as jpeg-encoder writes it: inverted, transform 0).
fn cmyk_strip() -> Vec<u8> {
    let (width, height) = (PATCH * INKS.len() as u32, PATCH);
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for _ in 0..height {
        for x in 0..width {
            pixels.extend_from_slice(&INKS[(x / PATCH) as usize]);
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 100)
        .encode(
            &pixels,
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Cmyk,
        )
        .unwrap();
    jpeg
}

/// Page 2 of `pdf` (the title page, then `jpeg`, drawn over the whole page) rendered as wide
/// as the JPEG, a pixel an image pixel, by pdf.js, Poppler (`pdftocairo`) and Ghostscript;
/// each patch's centre against `want`, one colour a patch: (reader, largest difference, rows).
fn strip_in_readers(pdf: &Path, want: &[[u8; 3]]) -> Vec<(String, u8, Vec<String>)> {
    let (width, height) = (PATCH * INKS.len() as u32, PATCH);
    let centres: Vec<(u32, u32)> = (0..INKS.len() as u32)
        .map(|i| (i * PATCH + PATCH / 2, PATCH / 2))
        .collect();
    let result = render(pdf, 2, width, &centres);
    assert_eq!(
        result["size"],
        serde_json::json!([width, height]),
        "{result}"
    );
    let pdfjs: Vec<[u8; 3]> = result["pixels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|got| std::array::from_fn(|k| got[k].as_u64().unwrap() as u8))
        .collect();
    let dir = pdf.parent().unwrap();
    tools::run(
        "pdftocairo",
        &[
            "-f",
            "2",
            "-l",
            "2",
            "-scale-to-x",
            &width.to_string(),
            "-scale-to-y",
            &height.to_string(),
            "-singlefile",
            "-png",
            pdf.to_str().unwrap(),
            dir.join("poppler").to_str().unwrap(),
        ],
    );
    tools::run(
        "gs",
        &[
            "-q",
            "-dNOPAUSE",
            "-dBATCH",
            "-dSAFER",
            "-sDEVICE=png16m",
            &format!("-g{width}x{height}"),
            "-dPDFFitPage",
            "-dFirstPage=2",
            "-dLastPage=2",
            &format!("-sOutputFile={}", dir.join("gs.png").display()),
            pdf.to_str().unwrap(),
        ],
    );
    // MuPDF with its colour management on: PyMuPDF's build carries Little CMS (Debian's
    // `mutool` is built without, and converts CMYK by formula whatever the profile).
    let mupdf_script = format!(
        "import pymupdf, sys\n\
         pymupdf.TOOLS.set_icc(True)\n\
         page = pymupdf.open(sys.argv[1])[1]\n\
         zoom = {width} / page.rect.width\n\
         page.get_pixmap(matrix=pymupdf.Matrix(zoom, {height} / page.rect.height), \
         colorspace=pymupdf.csRGB).save(sys.argv[2])\n"
    );
    tools::run(
        "python3",
        &[
            "-c",
            &mupdf_script,
            pdf.to_str().unwrap(),
            dir.join("mupdf.png").to_str().unwrap(),
        ],
    );
    let sample = |file: &str| -> Vec<[u8; 3]> {
        let image = image::open(dir.join(file)).unwrap().to_rgb8();
        centres
            .iter()
            .map(|&(x, y)| image.get_pixel(x, y).0)
            .collect()
    };
    [
        (format!("pdf.js {}", result["version"]), pdfjs),
        ("Poppler".to_string(), sample("poppler.png")),
        ("Ghostscript".to_string(), sample("gs.png")),
        ("MuPDF (PyMuPDF, ICC on)".to_string(), sample("mupdf.png")),
    ]
    .into_iter()
    .map(|(reader, got)| {
        let mut worst = 0;
        let rows = INKS
            .iter()
            .zip(got.iter().zip(want))
            .map(|(inks, (got, want))| {
                worst = worst.max((0..3).map(|k| got[k].abs_diff(want[k])).max().unwrap());
                format!("{inks:?}: {got:?}, expected {want:?}")
            })
            .collect();
        (reader, worst, rows)
    })
    .collect()
}

/// `jpeg` as the one slide of a PDF in `dir`.
fn strip_pdf(dir: &Path, jpeg: Vec<u8>) -> PathBuf {
    let work = tools::tempdir("deckconv-pdfjs-work");
    let pdf = dir.join("cmyk.pdf");
    let pdf_backend = backend("pdf", &OutputOptions::default());
    tools::convert_with(
        work.path(),
        meta("CMYK in pdf.js", false),
        &[TestSlide::new("1", jpeg)],
        &[(pdf_backend.as_ref(), &pdf)],
        &run_options(false),
    )
    .unwrap();
    pdf
}

/// pdf.js shows a CMYK JPEG without a profile as browsers do and as its decode is (the
/// image crate's, zune-jpeg's: R = (1 − C)(1 − K), ...), within 3 levels: qcms is within 2 of
/// the formula on these patches through the profile's lut16 table (5 at worst on 20,000
/// random colours), and the JPEG decoders' rounding may add one. With the profile of before,
/// which qcms refused, cyan came out (0,173,239). Poppler and Ghostscript too.
#[test]
fn pdfjs_shows_a_cmyk_jpeg_without_a_profile_as_browsers_do() {
    setup();
    let dir = tools::tempdir("deckconv-pdfjs-cmyk");
    let jpeg = cmyk_strip();
    let decoded = image::load_from_memory(&jpeg).unwrap().to_rgb8();
    let want: Vec<[u8; 3]> = (0..INKS.len() as u32)
        .map(|i| decoded.get_pixel(i * PATCH + PATCH / 2, PATCH / 2).0)
        .collect();
    let pdf = strip_pdf(dir.path(), jpeg);
    for (reader, worst, rows) in strip_in_readers(&pdf, &want) {
        assert!(
            worst <= 3,
            "{reader} differs from the JPEG's decode by up to {worst} levels:\n{}",
            rows.join("\n")
        );
    }
}

/// A CMYK JPEG with its own profile (Ghostscript's `default_cmyk.icc`, ICC v2, lut16 into PCS
/// Lab) shows the same colours in pdf.js, Poppler and Ghostscript: its decode with the
/// profile by Little CMS, relative colorimetric with black-point compensation, as Poppler and
/// Ghostscript convert it, within 3 levels. deckconv embeds the profile baked into sRGB
/// (`icc::baked_cmyk_profile`); with the profile as it was, pdf.js (qcms: no black-point
/// compensation, a lut16's Lab read with ICC v4's scale) showed magenta (235,41,144) for
/// (236,0,140) and 100 % K (54,53,54) for (35,31,32). The JPEG's bytes stay as they are.
#[test]
fn pdfjs_shows_a_cmyk_jpeg_with_its_own_profile_as_poppler_and_ghostscript_do() {
    use lcms2::{Flags, Intent, PixelFormat, Profile, Transform};
    setup();
    let dir = tools::tempdir("deckconv-pdfjs-cmyk-icc");
    let icc = crate::conformance::gs_profile("default_cmyk.icc");
    let jpeg = crate::conformance::with_icc(&cmyk_strip(), &icc, 65_000);
    let transform: Transform<[u8; 4], [u8; 3]> = Transform::new_flags(
        &Profile::new_icc(&icc).unwrap(),
        PixelFormat::CMYK_8,
        &Profile::new_srgb(),
        PixelFormat::RGB_8,
        Intent::RelativeColorimetric,
        Flags::BLACKPOINT_COMPENSATION,
    )
    .unwrap();
    let mut want = vec![[0; 3]; INKS.len()];
    transform.transform_pixels(&INKS, &mut want);
    let pdf = strip_pdf(dir.path(), jpeg.clone());
    let found = strip_in_readers(&pdf, &want);
    for (reader, worst, rows) in &found {
        assert!(
            *worst <= 3,
            "{reader} differs from the JPEG's decode with its profile by up to {worst} \
             levels:\n{}",
            rows.join("\n")
        );
    }
    // The JPEG is embedded byte for byte, its profile still in its APP2 segments.
    let prefix = dir.path().join("x");
    tools::run(
        "pdfimages",
        &[
            "-all",
            "-f",
            "2",
            "-l",
            "2",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::read(dir.path().join("x-000.jpg")).unwrap() == jpeg,
        "JPEG bytes changed"
    );
}
