//! A harness page of a browser test (pdf.js, epub.js) run in Debian's chromium, headless: a
//! loopback server this module starts serves the page's folder and the files under test, and
//! the page reports back to it (`GET report?status=…&result=…`); `GET hold` waits for that
//! report so that chromium's `--dump-dom` or `--screenshot` exits only once the page is done.

use crate::support::{Reply, Server};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The harness answers "hold" (and so lets the page finish loading) by then at the latest,
/// reported or not: a page that never reports still ends chromium.
const HOLD_LIMIT: Duration = Duration::from_secs(120);
/// A bounded wait for chromium, to detect a hang rather than to time anything.
const CHROMIUM_LIMIT: Duration = Duration::from_secs(240);

/// What the harness page reported: `status` "done" with `result` its JSON, or "error".
#[derive(Debug)]
pub struct Report {
    pub status: String,
    pub result: String,
}

/// One run of a harness page.
pub struct Page<'a> {
    /// The page's folder (its npm packages under `node_modules`), served under `/{name}/`.
    pub harness: &'a Path,
    /// The reader's name in URLs and messages (`pdfjs`, `epubjs`).
    pub name: &'a str,
    /// The files under test, served under `/{files_at}/`.
    pub files: &'a Path,
    pub files_at: &'a str,
    /// The page in the harness folder and its query string.
    pub page: &'a str,
    pub query: &'a str,
    /// Chromium's flags after the common ones: the output flag that makes it exit once the
    /// page has loaded (`--dump-dom`, `--screenshot=FILE`) and any others.
    pub flags: &'a [String],
    /// What to run when chromium is missing.
    pub setup: &'a str,
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("mjs") | Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("pdf") => "application/pdf",
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

/// Runs `page` to its end; what it reported, after asserting that chromium exited well and
/// the page reported "done".
pub fn run(page: &Page) -> Report {
    let reported: Arc<(Mutex<Option<Report>>, Condvar)> = Arc::default();
    let files = page.files.to_path_buf();
    let harness: PathBuf = page.harness.to_path_buf();
    let (files_at, name) = (format!("/{}/", page.files_at), format!("/{}/", page.name));
    let state = reported.clone();
    let server = Server::start(move |request, _| {
        let (path, query) = request
            .path
            .split_once('?')
            .unwrap_or((request.path.as_str(), ""));
        if let Some(relative) = path.strip_prefix(files_at.as_str()) {
            return serve_file(&files, relative);
        }
        let Some(relative) = path.strip_prefix(name.as_str()) else {
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

    let scratch = super::tempdir(&format!("deckconv-{}", page.name));
    let stdout = scratch.path().join("stdout");
    let stderr = scratch.path().join("stderr");
    let url = server.url(&format!("/{}/{}?{}", page.name, page.page, page.query));
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
        ])
        .args(page.flags)
        .arg(url.as_str())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("chromium not runnable ({e}): {}", page.setup));
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
    assert_eq!(
        report.status, "done",
        "{} on {url}: {}",
        page.name, report.result
    );
    report
}
