//! Servers that are slow or lie, and decks that try to reach this machine's network: each
//! is a named per-slide error, never a hang. Servers are real loopback sockets started by
//! each test (the shared test server, or a raw one where it has to break HTTP on purpose).

use crate::support;
use crate::tools;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use deckconv::fetch::{FetchOptions, Fetcher};
use deckconv::model::{Deck, DeckMeta, DeckOrigin, Slide, SlideSource};
use flate2::write::GzEncoder;
use flate2::Compression;
use predicates::prelude::*;
use support::{Reply, Server};
use tempfile::TempDir;
use url::Url;

fn png(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| {
        image::Rgb([seed, (x * 6) as u8, (y * 8) as u8])
    });
    tools::encode(img, image::ImageFormat::Png)
}

/// A deck read from `origin` whose slide `i` sits on line `1 + 2i`.
fn deck_from(origin: DeckOrigin, sources: &[&str]) -> Deck {
    let slides = sources
        .iter()
        .enumerate()
        .map(|(i, written)| Slide {
            position: i + 1,
            label: (i + 1).to_string(),
            written: written.to_string(),
            source: SlideSource::Remote(Url::parse(written).unwrap()),
            line: Some(1 + 2 * i),
            alt: String::new(),
            notes: String::new(),
        })
        .collect();
    Deck {
        origin,
        meta: DeckMeta::default(),
        slides,
    }
}

fn local_deck(sources: &[&str]) -> Deck {
    deck_from(DeckOrigin::File(PathBuf::from("deck.md")), sources)
}

fn options(cache: &Path) -> FetchOptions {
    FetchOptions {
        cache_dir: Some(cache.to_path_buf()),
        retry_delay: Duration::from_millis(20),
        read_timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

/// The error of every slide, as the user reads it.
fn errors(options: FetchOptions, deck: &Deck) -> Vec<String> {
    Fetcher::new(options)
        .unwrap()
        .fetch_slides(deck)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Bytes of all files in `dir`, recursively.
fn bytes_under(dir: &Path) -> u64 {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                bytes_under(&e.path())
            } else {
                meta.len()
            }
        })
        .sum()
}

/// A raw HTTP server: reads each request's head, then lets `answer` write whatever it likes
/// to the socket. Counts connections.
fn raw_server(
    answer: impl Fn(&mut TcpStream) + Send + Sync + 'static,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    let answer = Arc::new(answer);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counted.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                answer(&mut stream);
            });
        }
    });
    (addr, connections)
}

#[test]
fn a_body_trickled_byte_by_byte_fails_at_the_whole_download_deadline() {
    // Every read gets a byte well within the read timeout; only a deadline for the whole
    // body stops this (it would take 100 s to finish).
    let (addr, connections) = raw_server(|stream| {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        for byte in png(1).into_iter().chain(std::iter::repeat(0)).take(1000) {
            if stream
                .write_all(&[byte])
                .and_then(|()| stream.flush())
                .is_err()
            {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
    });
    let cache = TempDir::new().unwrap();
    let url = format!("http://{addr}/slow.png");
    let started = Instant::now();
    let errors = errors(
        FetchOptions {
            download_timeout: Duration::from_secs(2),
            ..options(cache.path())
        },
        &local_deck(&[&url]),
    );
    assert!(started.elapsed() < Duration::from_secs(30), "hung");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with(&format!("slide 1 ({url}) at deck.md:1: ")));
    assert!(
        errors[0].contains("download not finished after 2 s") && errors[0].contains("of 1000"),
        "{}",
        errors[0]
    );
    // Too slow is not retried: three more attempts would only take three more deadlines.
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[test]
fn redirect_loops_are_capped_and_named() {
    let server = Server::start(|request, _| {
        Reply::status(302).header("Location", &format!("{}x", request.path))
    });
    let cache = TempDir::new().unwrap();
    let url = server.url("/loop");
    let errors = errors(options(cache.path()), &local_deck(&[url.as_str()]));
    assert!(errors[0].contains("too many redirects"), "{}", errors[0]);
    // The first request and ten redirects; a loop is not worth retrying.
    assert_eq!(server.log().len(), 11);
}

#[test]
fn a_redirect_to_another_scheme_is_refused_and_named() {
    let server = Server::start(|_, _| {
        Reply::status(302).header("Location", "ftp://files.example.com/a.png")
    });
    let cache = TempDir::new().unwrap();
    let url = server.url("/a.png");
    let errors = errors(options(cache.path()), &local_deck(&[url.as_str()]));
    assert!(
        errors[0].contains("redirect to a ftp: URL refused (ftp://files.example.com/a.png)"),
        "{}",
        errors[0]
    );
    assert_eq!(server.log().len(), 1);
}

#[test]
fn a_body_shorter_than_its_content_length_is_named() {
    let body = png(2);
    let half = body.len() / 2;
    let server = Server::start(move |_, _| Reply::ok(body.clone()).truncated(half));
    let cache = TempDir::new().unwrap();
    let url = server.url("/short.png");
    let errors = errors(
        FetchOptions {
            retries: 1,
            ..options(cache.path())
        },
        &local_deck(&[url.as_str()]),
    );
    assert!(
        errors[0].contains(&format!(
            "body cut short: connection broken after {half} of the {} bytes its Content-Length announced",
            png(2).len()
        )),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("gave up after 2 attempts"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_body_longer_than_its_content_length_is_cut_there_and_the_image_named_broken() {
    // HTTP cannot tell the extra bytes from garbage after the response: the client keeps
    // what Content-Length promised, and the image decoder names the slide as truncated.
    let full = png(3);
    let (addr, _) = raw_server(move |stream| {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            full.len() / 2
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&full);
    });
    let cache = TempDir::new().unwrap();
    let url = format!("http://{addr}/long.png");
    let files = Fetcher::new(options(cache.path()))
        .unwrap()
        .fetch_slides(&local_deck(&[&url]))
        .unwrap();
    assert_eq!(
        fs::metadata(&files[0]).unwrap().len() as usize,
        png(3).len() / 2
    );

    let dir = TempDir::new().unwrap();
    fs::write(
        dir.path().join("deck.md"),
        format!("# Lies\n\n![]({url})\n"),
    )
    .unwrap();
    Command::cargo_bin("deckconv")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "deck.md",
            "--pdf",
            "-o",
            "never.pdf",
            "--refresh",
            "--cache-dir",
        ])
        .arg(cache.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "slide 1 ({url}) at deck.md:3"
        )))
        .stderr(predicate::str::contains("truncated"));
    assert!(!dir.path().join("never.pdf").exists());
}

/// A gzip body of `members` × 100 MiB of zeros, each member compressed once and repeated
/// (concatenated gzip members are one valid gzip stream).
fn gzip_bomb(members: usize) -> (Vec<u8>, usize) {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..100 {
        encoder.write_all(&zeros).unwrap();
    }
    let member = encoder.finish().unwrap();
    let mut inflated = 0usize;
    let mut decoder = flate2::read::GzDecoder::new(&member[..]);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match decoder.read(&mut buf).unwrap() {
            0 => break,
            n => inflated += n,
        }
    }
    (member.repeat(members), inflated * members)
}

#[test]
fn a_gzip_bomb_is_refused_unopened() {
    let (bomb, inflated) = gzip_bomb(100);
    assert!(inflated >= 10_000 << 20, "{inflated}");
    assert!(bomb.len() < 20 << 20, "{}", bomb.len());
    let bomb = Arc::new(bomb);
    let server = Server::start(move |_, _| {
        Reply::ok(bomb.to_vec())
            .header("Content-Type", "image/png")
            .header("Content-Encoding", "gzip")
    });
    let cache = TempDir::new().unwrap();
    let url = server.url("/bomb.png");
    let errors = errors(options(cache.path()), &local_deck(&[url.as_str()]));
    assert!(
        errors[0]
            .contains("compressed with gzip (Content-Encoding), which deckconv did not ask for"),
        "{}",
        errors[0]
    );
    assert_eq!(server.log().len(), 1);
    // Neither inflated nor stored.
    assert!(bytes_under(cache.path()) < 1 << 20);
    // No Accept-Encoding was sent: the server was not invited to compress.
    assert_eq!(server.log()[0].request.header("accept-encoding"), None);
}

#[test]
fn a_gzip_encoded_deck_text_is_refused_too() {
    let (bomb, _) = gzip_bomb(1);
    let server =
        Server::start(move |_, _| Reply::ok(bomb.clone()).header("Content-Encoding", "gzip"));
    let cache = TempDir::new().unwrap();
    let error = Fetcher::new(FetchOptions {
        allow_local_network: true,
        ..options(cache.path())
    })
    .unwrap()
    .fetch_text(&server.url("/deck.md"))
    .unwrap_err();
    assert!(error.to_string().contains("Content-Encoding"), "{error}");
}

#[test]
fn an_html_page_served_as_an_image_is_named() {
    let server = Server::start(|_, _| {
        Reply::ok(b"<!DOCTYPE html><html><body>Sign in to continue</body></html>".to_vec())
            .header("Content-Type", "image/png")
    });
    let cache = TempDir::new().unwrap();
    let url = server.url("/login.png");
    let errors = errors(options(cache.path()), &local_deck(&[url.as_str()]));
    assert!(
        errors[0].ends_with("server sent HTML, not an image (Content-Type image/png)"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_deck_from_a_url_may_not_reach_this_machine_or_its_network() {
    let server = Server::start(|_, _| Reply::ok(png(4)));
    let port = server.url("/").port().unwrap();
    let links = [
        server.url("/a.png").to_string(),
        "http://10.0.0.1/a.png".into(),
        "http://169.254.169.254/latest/meta-data/".into(),
        format!("http://[::1]:{port}/a.png"),
        format!("http://localhost:{port}/a.png"),
        format!("http://[::ffff:127.0.0.1]:{port}/a.png"),
        format!("http://2130706433:{port}/a.png"),
        "http://100.64.0.1/a.png".into(),
    ];
    let links: Vec<&str> = links.iter().map(String::as_str).collect();
    let origin = Url::parse("https://decks.example.com/talk.md").unwrap();
    let deck = deck_from(DeckOrigin::Url(origin.clone()), &links);
    let cache = TempDir::new().unwrap();
    let started = Instant::now();
    let errors = errors(options(cache.path()), &deck);
    // 10.0.0.1 would take the whole connect timeout if it were tried.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "a connection was tried"
    );
    assert_eq!(errors.len(), links.len());
    for (i, (error, link)) in errors.iter().zip(&links).enumerate() {
        assert!(
            error.starts_with(&format!(
                "slide {} ({link}) at {origin}:{}: ",
                i + 1,
                1 + 2 * i
            )),
            "{error}"
        );
        assert!(
            error.contains("is a local-network address; a deck read from a URL may reach only public addresses (--allow-local-network allows it)"),
            "{error}"
        );
    }
    assert!(server.log().is_empty(), "{:?}", server.log());

    // The same links from a deck on this machine, or with the opt-in, are fetched.
    let here = [links[0]];
    let fetched = Fetcher::new(options(cache.path()))
        .unwrap()
        .fetch_slides(&local_deck(&here))
        .unwrap();
    assert_eq!(fs::read(&fetched[0]).unwrap(), png(4));
    let allowed = Fetcher::new(FetchOptions {
        allow_local_network: true,
        refresh: true,
        ..options(cache.path())
    })
    .unwrap()
    .fetch_slides(&deck_from(DeckOrigin::Url(origin), &here));
    assert!(allowed.is_ok(), "{allowed:?}");
    assert_eq!(server.log().len(), 2);
}
