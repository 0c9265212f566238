//! Remote decks end to end through the CLI, against a loopback server started by the test:
//! the deck's relative (backslash) links resolve against its URL, a 503 is retried, a rerun
//! works offline from the cache, and remote failures name the slide and the deck's line.

use crate::support;
use crate::tools;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::{mpsc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use support::{Reply, Server};

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qcon-shanghai-2018")
}

/// Serves the example deck under /talks/, with `extra` lines appended to the Markdown.
fn serve_example(extra: &'static str) -> Server {
    Server::start(move |request, nth| {
        let path = request.path.trim_start_matches('/');
        let Some(rest) = path.strip_prefix("talks/") else {
            return Reply::status(404);
        };
        if rest == "deck.md" {
            let mut deck = fs::read_to_string(example_dir().join("deck.md")).unwrap();
            deck.push_str(extra);
            return Reply::ok(deck.into_bytes());
        }
        // Slide 8 (a CMYK JPEG) answers 503 once, as overloaded CDNs do.
        if rest.ends_with("_8.jpg") && nth == 1 {
            return Reply::status(503);
        }
        example_file(rest)
    })
}

/// A file of the example deck's folder, or 404.
fn example_file(rest: &str) -> Reply {
    match fs::read(example_dir().join(rest)) {
        Ok(bytes) => Reply::ok(bytes),
        Err(_) => Reply::status(404),
    }
}

/// Images (PNG or JPEG bodies) in a cache folder.
fn cached_images(cache: &Path) -> usize {
    fs::read_dir(cache)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            name.ends_with(".png") || name.ends_with(".jpg")
        })
        .count()
}

/// deckconv allowed to reach the test's loopback server: a deck read from a URL may reach
/// only public addresses without `--allow-local-network`.
fn deckconv(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deckconv").unwrap();
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1557734400")
        .arg("--allow-local-network");
    cmd
}

#[test]
fn a_remote_deck_converts_and_reruns_offline_from_the_cache() {
    let mut server = serve_example("");
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let url = server.url("/talks/deck.md");
    deckconv(dir.path())
        .arg(url.as_str())
        .args(["--pdf", "-q", "-o", "remote.pdf", "--cache-dir"])
        .arg(&cache)
        .assert()
        .success();
    assert_eq!(tools::pdf_pages(&dir.path().join("remote.pdf")), 13);
    assert_eq!(
        server.requests_for("/talks/images/673764946qgTHbi/201905181115_8.jpg"),
        2
    );

    // Byte-identical to the same deck converted from local files.
    deckconv(dir.path())
        .arg(example_dir().join("deck.md"))
        .args(["--pdf", "-q", "-o", "local.pdf"])
        .assert()
        .success();
    let remote_images = Process::new("pdfimages")
        .arg("-list")
        .arg(dir.path().join("remote.pdf"))
        .output()
        .unwrap();
    let local_images = Process::new("pdfimages")
        .arg("-list")
        .arg(dir.path().join("local.pdf"))
        .output()
        .unwrap();
    assert_eq!(remote_images.stdout, local_images.stdout);

    server.stop();
    deckconv(dir.path())
        .arg(url.as_str())
        .args([
            "--pdf",
            "-q",
            "--offline",
            "-o",
            "offline.pdf",
            "--cache-dir",
        ])
        .arg(&cache)
        .assert()
        .success();
    assert_eq!(tools::pdf_pages(&dir.path().join("offline.pdf")), 13);
}

#[test]
fn remote_failures_name_the_slide_and_the_line_of_the_remote_deck() {
    // The example deck has 26 lines (slides on lines 3..25, then a blank line); the appended
    // slide lands on line 28.
    let server = serve_example("\n![](images\\gone\\201905181115_99.png)\n");
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/talks/deck.md");
    deckconv(dir.path())
        .arg(url.as_str())
        .args(["--pdf", "-o", "never.pdf", "--cache-dir"])
        .arg(dir.path().join("cache"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "slide 13 (images\\gone\\201905181115_99.png) at {url}:28"
        )))
        .stderr(predicate::str::contains("404"));
    assert!(!dir.path().join("never.pdf").exists());
    // The twelve slides that did arrive are cached for the rerun; the 404 left nothing.
    assert_eq!(cached_images(&dir.path().join("cache")), 12);
}

#[test]
fn a_remote_deck_may_not_reach_local_files() {
    let server = serve_example("\n![](file:///etc/hostname)\n\n![](/etc/hostname)\n");
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/talks/deck.md");
    deckconv(dir.path())
        .arg(url.as_str())
        .args(["--pdf", "-o", "never.pdf", "--cache-dir"])
        .arg(dir.path().join("cache"))
        .assert()
        .code(1)
        // One list for the run: the link the reader refused and the slide the server lacks.
        .stderr(predicate::str::contains("2 slide(s) failed"))
        .stderr(predicate::str::contains(format!(
            "slide 13 (file:///etc/hostname) at {url}:28"
        )))
        .stderr(predicate::str::contains("only http(s)"))
        .stderr(predicate::str::contains(format!(
            "slide 14 (/etc/hostname) at {url}:30: HTTP 404"
        )));
    assert!(!dir.path().join("never.pdf").exists());
}

#[test]
fn pages_are_written_while_later_slides_still_download() {
    // The last slide is held back until the first page is in the PDF. A pipeline that waits
    // for every download before writing would get it only after the 10 s fallback, and its
    // `-vv` timeline would show slide 1 written after slide 12 fetched.
    let (release, held) = mpsc::channel::<()>();
    let held = Mutex::new(held);
    let server = Server::start(move |request, _| {
        let path = request.path.trim_start_matches('/');
        let Some(rest) = path.strip_prefix("talks/") else {
            return Reply::status(404);
        };
        if rest.ends_with("_15.png") {
            let _ = held.lock().unwrap().recv_timeout(Duration::from_secs(10));
        }
        example_file(rest)
    });
    let dir = tempfile::tempdir().unwrap();
    let mut child = Process::new(env!("CARGO_BIN_EXE_deckconv"))
        .current_dir(dir.path())
        .arg("--allow-local-network")
        .arg(server.url("/talks/deck.md").as_str())
        .args(["--pdf", "-vv", "-o", "streamed.pdf", "--cache-dir"])
        .arg(dir.path().join("cache"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut timeline = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.ends_with("slide 1 written") {
            release.send(()).unwrap();
        }
        timeline.push(line);
    }
    assert!(child.wait().unwrap().success(), "{timeline:#?}");
    let at = |what: &str| {
        timeline
            .iter()
            .position(|line| line.ends_with(what))
            .unwrap_or_else(|| panic!("no `{what}` in {timeline:#?}"))
    };
    assert!(
        at("slide 1 written") < at("slide 12 fetched"),
        "{timeline:#?}"
    );
    let pages = tools::pdf_pages(&dir.path().join("streamed.pdf"));
    assert_eq!(pages, 13);
}

#[test]
fn the_cache_keeps_to_its_limit_evicting_what_was_used_longest_ago() {
    let server = Server::start(|request, _| {
        let path = request.path.trim_start_matches('/');
        let Some(rest) = path.strip_prefix("talks/") else {
            return Reply::status(404);
        };
        match rest {
            "other.md" => Reply::ok(b"# Other\n\n![](extra.png)\n".to_vec()),
            "extra.png" => example_file("images/673764946qgTHbi/201905181115_4.png"),
            _ => example_file(rest),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let images_in_cache = || cached_images(&cache);
    deckconv(dir.path())
        .arg(server.url("/talks/deck.md").as_str())
        .args(["--pdf", "-q", "-o", "one.pdf", "--cache-dir"])
        .arg(&cache)
        .assert()
        .success();
    assert_eq!(images_in_cache(), 12);

    // Within the hour a run may still be reading them: nothing goes, whatever the limit.
    deckconv(dir.path())
        .arg(server.url("/talks/other.md").as_str())
        .args([
            "--pdf",
            "-v",
            "-o",
            "two.pdf",
            "--cache-limit",
            "0",
            "--cache-dir",
        ])
        .arg(&cache)
        .assert()
        .success()
        .stderr(predicate::str::contains("evicted").not());
    assert_eq!(images_in_cache(), 13);

    // Two days later the first deck's entries are the least recently used.
    let two_days_ago = std::time::SystemTime::now() - Duration::from_secs(2 * 86_400);
    for entry in fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let sidecar = fs::File::options().write(true).open(&path).unwrap();
            sidecar.set_modified(two_days_ago).unwrap();
        }
    }
    deckconv(dir.path())
        .arg(server.url("/talks/other.md").as_str())
        .args([
            "--pdf",
            "-v",
            "--refresh",
            "-o",
            "three.pdf",
            "--cache-limit",
            "0",
            "--cache-dir",
        ])
        .arg(&cache)
        .assert()
        .success()
        .stderr(predicate::str::contains("cache: evicted"));
    // Only what this run used is left.
    assert_eq!(images_in_cache(), 1);
}

#[test]
fn a_run_that_cannot_write_stops_downloading() {
    // Every image takes 300 ms; one download at a time. The broken template fails the book
    // as soon as it is created, and no further download should start after that.
    let server = Server::start(|request, _| {
        let path = request.path.trim_start_matches('/');
        let Some(rest) = path.strip_prefix("talks/") else {
            return Reply::status(404);
        };
        let reply = example_file(rest);
        if rest == "deck.md" {
            reply
        } else {
            reply.delay(Duration::from_millis(300))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    fs::create_dir(&templates).unwrap();
    fs::write(templates.join("slide.xhtml"), "{{ no_such_thing }}").unwrap();
    deckconv(dir.path())
        .arg(server.url("/talks/deck.md").as_str())
        .args(["--epub", "--jobs", "1", "-o", "never.epub", "--templates"])
        .arg(&templates)
        .arg("--cache-dir")
        .arg(dir.path().join("cache"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("slide.xhtml"));
    let image_requests = server
        .log()
        .iter()
        .filter(|l| !l.request.path.ends_with(".md"))
        .count();
    assert!(
        image_requests <= 2,
        "{image_requests} of 12 images requested"
    );
    assert!(!dir.path().join("never.epub").exists());
}

#[test]
fn skip_broken_leaves_out_the_dead_link_and_writes_the_rest() {
    let server = serve_example("\n![](images\\gone\\201905181115_99.png)\n");
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/talks/deck.md");
    deckconv(dir.path())
        .arg(url.as_str())
        .args(["--pdf", "--skip-broken", "-o", "rest.pdf", "--cache-dir"])
        .arg(dir.path().join("cache"))
        .assert()
        .success()
        .stderr(predicate::str::contains("left out 1 slide(s)"))
        .stderr(predicate::str::contains(format!(
            "slide 13 (images\\gone\\201905181115_99.png) at {url}:28: HTTP 404"
        )));
    let pdf = dir.path().join("rest.pdf");
    // The title page and the twelve slides that arrived; the title page counts those.
    assert_eq!(tools::pdf_pages(&pdf), 13);
    let text = tools::run(
        "pdftotext",
        &["-f", "1", "-l", "1", &pdf.to_string_lossy(), "-"],
    );
    assert!(text.contains("12 张幻灯片"), "{text}");
}

#[test]
fn a_deck_url_on_this_machine_needs_allow_local_network() {
    let server = serve_example("");
    let dir = tempfile::tempdir().unwrap();
    let url = server.url("/talks/deck.md");
    let host = url.host_str().unwrap().to_string();
    Command::cargo_bin("deckconv")
        .unwrap()
        .current_dir(dir.path())
        .arg(url.as_str())
        .args(["--pdf", "-o", "never.pdf", "--cache-dir"])
        .arg(dir.path().join("cache"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(url.as_str()))
        .stderr(predicate::str::contains(format!(
            "{host} is a local-network address"
        )))
        .stderr(predicate::str::contains("--allow-local-network"));
    assert!(!dir.path().join("never.pdf").exists());
    // Refused before connecting: the server saw no request.
    assert!(server.log().is_empty(), "{:?}", server.log());
    deckconv(dir.path())
        .arg(url.as_str())
        .args(["--pdf", "-q", "-o", "allowed.pdf", "--cache-dir"])
        .arg(dir.path().join("cache"))
        .assert()
        .success();
    assert!(dir.path().join("allowed.pdf").exists());
}
