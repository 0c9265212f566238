//! No network, or a dead server: a server that refuses connections or a name that does not
//! resolve fails all its slides at once, in one line naming the server and the slides, and
//! the run ends; other servers' slides still come; a warm cache gets `--offline` suggested.

use crate::support;
use crate::tools;

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use support::{Reply, Server};

/// Only to catch a hang: the runs here end within a few seconds.
const HANG: Duration = Duration::from_secs(30);

/// The command for a deck whose slides are on loopback servers: the one place to add a flag
/// such decks need.
fn deckconv(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deckconv").unwrap();
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1557734400")
        .timeout(HANG)
        .arg("--cache-dir")
        .arg(cwd.join("cache"));
    cmd
}

/// A port on 127.0.0.1 where nothing listens, so connecting to it is refused.
fn refusing_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn png(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 9, image::Rgb([seed, 90, 160]));
    tools::encode(img, image::ImageFormat::Png)
}

/// Serves a PNG at every `/s<n>.png`.
fn image_server() -> Server {
    Server::start(|request, _| {
        let seed = request
            .path
            .strip_prefix("/s")
            .and_then(|p| p.strip_suffix(".png"))
            .and_then(|n| n.parse::<u8>().ok());
        match seed {
            Some(seed) => Reply::ok(png(seed)).header("Content-Type", "image/png"),
            None => Reply::status(404),
        }
    })
}

/// `deck.md` in `dir` with one slide per URL.
fn write_deck(dir: &Path, urls: &[String]) {
    let mut deck = String::from("# Talk\n\n");
    for url in urls {
        writeln!(deck, "![]({url})\n").unwrap();
    }
    std::fs::write(dir.join("deck.md"), deck).unwrap();
}

fn slide_urls(base: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{base}/s{i}.png")).collect()
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// The run failed with one line for all `count` slides of `server`, naming it, and no line
/// per slide.
fn assert_one_grouped_line(stderr: &str, server: &str, count: usize, cause: &str) {
    let naming: Vec<&str> = stderr.lines().filter(|l| l.contains(server)).collect();
    assert_eq!(naming.len(), 1, "{stderr}");
    let line = naming[0];
    assert!(
        line.contains(&format!("{count} slides (1–{count})")),
        "{stderr}"
    );
    assert!(line.contains(cause), "{stderr}");
    assert!(!stderr.contains("attempts"), "{stderr}");
    // A header and the group line.
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

#[test]
fn a_server_that_refuses_fails_its_slides_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = format!("127.0.0.1:{}", refusing_port());
    write_deck(dir.path(), &slide_urls(&format!("http://{server}"), 30));
    let assert = deckconv(dir.path())
        .args(["deck.md", "--pdf"])
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert_one_grouped_line(&stderr, &server, 30, "refused the connection");
    assert!(!stderr.contains("--offline"), "{stderr}");
    let pdfs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("pdf".as_ref()))
        .count();
    assert_eq!(pdfs, 0);
}

#[test]
fn a_name_that_does_not_resolve_fails_its_slides_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // RFC 6761: `.invalid` never resolves, with or without a DNS server.
    let server = "slides.deckconv.invalid";
    write_deck(dir.path(), &slide_urls(&format!("https://{server}"), 30));
    let assert = deckconv(dir.path())
        .args(["deck.md", "--pdf"])
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert_one_grouped_line(&stderr, server, 30, &format!("cannot resolve {server}"));
    assert!(stderr.contains("no network"), "{stderr}");
}

#[test]
fn verbose_names_every_slide_of_the_dead_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = format!("127.0.0.1:{}", refusing_port());
    write_deck(dir.path(), &slide_urls(&format!("http://{server}"), 5));
    let assert = deckconv(dir.path())
        .args(["deck.md", "--pdf", "-v"])
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    for i in 0..5 {
        let detail = format!(
            "slide {} (http://{server}/s{i}.png) at deck.md:{}",
            i + 1,
            3 + 2 * i
        );
        assert_eq!(stderr.matches(&detail).count(), 1, "{stderr}");
    }
}

#[test]
fn a_dead_server_with_a_warm_cache_suggests_offline() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = image_server();
    let base = server.url("/").as_str().trim_end_matches('/').to_string();
    write_deck(dir.path(), &slide_urls(&base, 30));
    deckconv(dir.path())
        .args(["deck.md", "--pdf", "-q"])
        .assert()
        .success();
    server.stop();

    let assert = deckconv(dir.path())
        .args(["deck.md", "--pdf", "-o", "again.pdf"])
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    let host = base.trim_start_matches("http://");
    assert_one_grouped_line(&stderr, host, 30, "refused the connection");
    assert!(stderr.contains("in the cache: try --offline"), "{stderr}");

    // The advice holds.
    deckconv(dir.path())
        .args(["deck.md", "--pdf", "-q", "--offline", "-o", "offline.pdf"])
        .assert()
        .success();
    assert_eq!(tools::pdf_pages(&dir.path().join("offline.pdf")), 31);
}

#[test]
fn slides_of_a_live_server_come_while_a_dead_one_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let live = image_server();
    let live_base = live.url("/").as_str().trim_end_matches('/').to_string();
    let dead = format!("127.0.0.1:{}", refusing_port());
    // Alternating: slides 1, 3, … from the live server, 2, 4, … from the dead one.
    let urls: Vec<String> = (0..20)
        .map(|i| match i % 2 {
            0 => format!("{live_base}/s{i}.png"),
            _ => format!("http://{dead}/s{i}.png"),
        })
        .collect();
    write_deck(dir.path(), &urls);
    let assert = deckconv(dir.path())
        .args(["deck.md", "--pdf", "--skip-broken", "-o", "live.pdf"])
        .assert()
        .success();
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("left out 10 slide(s)"), "{stderr}");
    let naming: Vec<&str> = stderr.lines().filter(|l| l.contains(&dead)).collect();
    assert_eq!(naming.len(), 1, "{stderr}");
    assert!(
        naming[0].contains("10 slides (2, 4, 6, 8, 10, 12, 14, 16, 18, 20)"),
        "{stderr}"
    );
    assert!(!stderr.contains(&live_base), "{stderr}");
    for i in (0..20).step_by(2) {
        assert_eq!(live.requests_for(&format!("/s{i}.png")), 1);
    }
    // The title page and the ten live slides.
    assert_eq!(tools::pdf_pages(&dir.path().join("live.pdf")), 11);
}
