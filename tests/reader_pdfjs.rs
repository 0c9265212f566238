//! A CMYK JPEG without a profile in pdf.js (from npm, pinned in
//! `tests/data/pdfjs/package-lock.json`), running in Debian's chromium, headless, with its
//! WebAssembly colour engine on as Firefox's viewer has it (`tests/data/pdfjs/render.html`).
//! pdf.js converts ICC colour with qcms, which reads a CMYK profile only from a lut16Type or
//! lut8Type `A2B0`: with the lutAtoBType profile deckconv wrote before, qcms refused it and
//! pdf.js fell back to its bundled CGATS profile, 100 % cyan (0,173,239) instead of the
//! (0,255,255) that browsers, Poppler, Ghostscript and MuPDF show. The harness page and the PDF
//! are served by a loopback server the test starts, and the page reports back to it.

use crate::strictness::run_options;
use crate::support::{Reply, Server};
use crate::tools::fake_ocr::{backend, meta};
use crate::tools::{self, TestSlide};

use deckconv::writer::OutputOptions;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// What to run when chromium or pdf.js is missing.
const SETUP: &str = "run .ci/run: it installs Debian's chromium (apt-get install chromium) and \
    pdf.js (npm ci in tests/data/pdfjs)";
/// The harness answers "hold" by then at the latest, reported or not.
const HOLD_LIMIT: Duration = Duration::from_secs(120);
/// A bounded wait for chromium, to detect a hang rather than to time anything.
const CHROMIUM_LIMIT: Duration = Duration::from_secs(240);
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

/// What the harness page reported (status, result), and the signal that it has.
type Reported = Arc<(Mutex<Option<(String, String)>>, Condvar)>;

fn harness_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdfjs")
}

/// Chromium and the pinned pdf.js are there, or a failure naming the setup.
fn setup() {
    match Command::new("chromium").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => panic!(
            "chromium --version failed ({}): {SETUP}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!("chromium is not installed ({e}): {SETUP}"),
    }
    let dir = harness_dir();
    for file in [
        "node_modules/pdfjs-dist/build/pdf.mjs",
        "node_modules/pdfjs-dist/wasm/qcms_bg.wasm",
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
    let pinned = json(&dir.join("package.json"))["dependencies"]["pdfjs-dist"].clone();
    let installed = json(&dir.join("node_modules/pdfjs-dist/package.json"))["version"].clone();
    assert_eq!(installed, pinned, "another pdf.js is installed: {SETUP}");
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("mjs") | Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("pdf") => "application/pdf",
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

/// Page `page` of `pdf` rendered by pdf.js on a canvas `width` pixels wide: the canvas size
/// and the colours of the pixels `points`.
fn render(pdf: &Path, page: usize, width: u32, points: &[(u32, u32)]) -> Value {
    let reported: Reported = Arc::default();
    let files = pdf.parent().unwrap().to_path_buf();
    let harness = harness_dir();
    let state = reported.clone();
    let server = Server::start(move |request, _| {
        let (path, query) = request
            .path
            .split_once('?')
            .unwrap_or((request.path.as_str(), ""));
        if let Some(relative) = path.strip_prefix("/files/") {
            return serve_file(&files, relative);
        }
        let Some(relative) = path.strip_prefix("/pdfjs/") else {
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
                *slot.lock().unwrap() = Some((field("status"), field("result")));
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

    let points: Vec<[u32; 2]> = points.iter().map(|&(x, y)| [x, y]).collect();
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair(
        "pdf",
        &format!("/files/{}", pdf.file_name().unwrap().to_str().unwrap()),
    );
    query.append_pair("page", &page.to_string());
    query.append_pair("width", &width.to_string());
    query.append_pair("pts", &serde_json::to_string(&points).unwrap());
    let url = server.url(&format!("/pdfjs/render.html?{}", query.finish()));
    let scratch = tools::tempdir("deckconv-pdfjs");
    let stderr = scratch.path().join("stderr");
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
            "--dump-dom",
            url.as_str(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
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
    let (state, result) = report.unwrap_or_else(|| {
        panic!(
            "the harness page reported nothing ({status}) on {url}:\n{}",
            std::fs::read_to_string(&stderr).unwrap_or_default()
        )
    });
    assert!(status.success(), "chromium: {status} on {url}");
    assert_eq!(state, "done", "pdf.js on {url}: {result}");
    serde_json::from_str(&result).unwrap()
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

/// pdf.js shows a CMYK JPEG without a profile as browsers do and as its decode is (the
/// image crate's, zune-jpeg's: R = (1 − C)(1 − K), ...), within 3 levels: qcms is within 2 of
/// the formula on these patches through the profile's lut16 table (5 at worst on 20,000
/// random colours), and the JPEG decoders' rounding may add one. With the profile of before,
/// which qcms refused, cyan came out (0,173,239).
#[test]
fn pdfjs_shows_a_cmyk_jpeg_without_a_profile_as_browsers_do() {
    setup();
    let dir = tools::tempdir("deckconv-pdfjs-cmyk");
    let work = tools::tempdir("deckconv-pdfjs-work");
    let jpeg = cmyk_strip();
    let want = image::load_from_memory(&jpeg).unwrap().to_rgb8();
    let pdf = dir.path().join("cmyk.pdf");
    let pdf_backend = backend("pdf", &OutputOptions::default());
    tools::convert_with(
        work.path(),
        meta("CMYK in pdf.js", false),
        &[TestSlide::new("1", jpeg)],
        &[(pdf_backend.as_ref(), &pdf)],
        &run_options(false),
    )
    .unwrap();
    // Page 2: the title page, then the strip, drawn over the whole page; rendered as wide as
    // the JPEG, a canvas pixel is an image pixel.
    let centres: Vec<(u32, u32)> = (0..INKS.len() as u32)
        .map(|i| (i * PATCH + PATCH / 2, PATCH / 2))
        .collect();
    let result = render(&pdf, 2, want.width(), &centres);
    assert_eq!(
        result["size"],
        serde_json::json!([want.width(), want.height()]),
        "{result}"
    );
    let mut worst = 0;
    let mut rows = Vec::new();
    for ((inks, &(x, y)), got) in INKS
        .iter()
        .zip(&centres)
        .zip(result["pixels"].as_array().unwrap())
    {
        let got: Vec<u8> = got
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u8)
            .collect();
        let want = want.get_pixel(x, y).0;
        let difference = (0..3).map(|k| got[k].abs_diff(want[k])).max().unwrap();
        worst = worst.max(difference);
        rows.push(format!("{inks:?}: pdf.js {got:?}, decode {want:?}"));
    }
    assert!(
        worst <= 3,
        "pdf.js {} differs from the JPEG's decode by up to {worst} levels:\n{}",
        result["version"],
        rows.join("\n")
    );
}
