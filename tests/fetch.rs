//! The fetcher against a loopback HTTP server started by each test: retries, failures,
//! content checks, the cache (revalidation, offline, refresh, concurrency) and parallelism.

use crate::support;
use crate::tools;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use deckconv::fetch::{FetchOptions, Fetcher};
use deckconv::model::{Deck, DeckMeta, DeckOrigin, Slide, SlideSource};
use support::{Reply, Request, Server};
use tempfile::TempDir;

/// A tiny real PNG, different for every `seed`.
fn png(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(7, 5, |x, y| {
        image::Rgb([seed, (x * 30) as u8, (y * 40) as u8])
    });
    tools::encode(img, image::ImageFormat::Png)
}

fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(8, 8, image::Rgb([seed, 100, 200]));
    tools::encode(img, image::ImageFormat::Jpeg)
}

/// A deck named `deck.md` whose slide `i` sits on line `3 + 2i`.
fn deck(sources: Vec<SlideSource>) -> Deck {
    let slides = sources
        .into_iter()
        .enumerate()
        .map(|(i, source)| Slide {
            position: i + 1,
            label: (i + 4).to_string(),
            written: source.to_string(),
            source,
            line: Some(3 + 2 * i),
            alt: String::new(),
            notes: String::new(),
        })
        .collect();
    Deck {
        origin: DeckOrigin::File(PathBuf::from("deck.md")),
        meta: DeckMeta::default(),
        slides,
    }
}

fn remote_deck(server: &Server, paths: &[String]) -> Deck {
    deck(
        paths
            .iter()
            .map(|p| SlideSource::Remote(server.url(p)))
            .collect(),
    )
}

fn options(cache: &Path) -> FetchOptions {
    FetchOptions {
        cache_dir: Some(cache.to_path_buf()),
        retry_delay: Duration::from_millis(20),
        read_timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

fn fetcher(options: FetchOptions) -> Fetcher {
    Fetcher::new(options).unwrap()
}

/// Serves `bodies` by path, with an ETag per body; answers 304 to a matching If-None-Match.
fn static_server(bodies: HashMap<String, Vec<u8>>, latency: Duration) -> Server {
    Server::start(move |request: &Request, _| {
        let Some(body) = bodies.get(&request.path) else {
            return Reply::status(404);
        };
        let etag = format!("\"{}-{}\"", request.path.len(), body.len());
        if request.header("if-none-match") == Some(etag.as_str()) {
            return Reply::status(304).header("ETag", &etag).delay(latency);
        }
        Reply::ok(body.clone())
            .header("Content-Type", "image/png")
            .header("ETag", &etag)
            .header("Last-Modified", "Mon, 13 May 2019 09:44:00 GMT")
            .delay(latency)
    })
}

fn numbered(n: usize) -> (Vec<String>, HashMap<String, Vec<u8>>) {
    let paths: Vec<String> = (0..n)
        .map(|i| format!("/images/201905130944_{i}.png"))
        .collect();
    let bodies = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), png(i as u8)))
        .collect();
    (paths, bodies)
}

fn assert_contents(files: &[PathBuf], paths: &[String], bodies: &HashMap<String, Vec<u8>>) {
    assert_eq!(files.len(), paths.len());
    for (file, path) in files.iter().zip(paths) {
        assert_eq!(&fs::read(file).unwrap(), &bodies[path], "{path} → {file:?}");
    }
}

/// Files in the cache folder that are unfinished writes.
fn temp_files(cache: &Path) -> Vec<String> {
    fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".part-"))
        .collect()
}

#[test]
fn parallel_downloads_with_latency_in_deck_order() {
    let (paths, bodies) = numbered(16);
    let server = static_server(bodies.clone(), Duration::from_millis(150));
    let cache = TempDir::new().unwrap();
    let fetcher = fetcher(FetchOptions {
        jobs: 8,
        ..options(cache.path())
    });
    let started = Instant::now();
    let files = fetcher.fetch_slides(&remote_deck(&server, &paths)).unwrap();
    let elapsed = started.elapsed();
    assert_contents(&files, &paths, &bodies);
    // Serial would be 16 × 150 ms = 2.4 s; eight at a time is two rounds.
    assert!(elapsed < Duration::from_millis(1500), "took {elapsed:?}");
    let peak = server.peak_in_flight();
    assert!((4..=8).contains(&peak), "peak in flight {peak}");
    assert_eq!(server.log().len(), 16);
}

#[test]
fn jobs_bound_the_requests_in_flight() {
    let (paths, bodies) = numbered(6);
    let server = static_server(bodies.clone(), Duration::from_millis(60));
    let cache = TempDir::new().unwrap();
    let fetcher = fetcher(FetchOptions {
        jobs: 2,
        ..options(cache.path())
    });
    let files = fetcher.fetch_slides(&remote_deck(&server, &paths)).unwrap();
    assert_contents(&files, &paths, &bodies);
    assert_eq!(server.peak_in_flight(), 2);
}

#[test]
fn service_unavailable_then_ok_is_retried() {
    let body = png(1);
    let served = body.clone();
    let server = Server::start(move |_, nth| {
        if nth == 1 {
            Reply::status(503)
        } else {
            Reply::ok(served.clone())
        }
    });
    let cache = TempDir::new().unwrap();
    let files = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &["/a.png".into()]))
        .unwrap();
    assert_eq!(fs::read(&files[0]).unwrap(), body);
    assert_eq!(server.requests_for("/a.png"), 2);
}

#[test]
fn persistent_server_errors_give_up_after_the_retries() {
    let server = Server::start(|_, _| Reply::status(500));
    let cache = TempDir::new().unwrap();
    let errors = fetcher(FetchOptions {
        retries: 2,
        ..options(cache.path())
    })
    .fetch_slides(&remote_deck(&server, &["/a.png".into()]))
    .unwrap_err();
    assert_eq!(server.requests_for("/a.png"), 3);
    assert_eq!(errors.len(), 1);
    let message = errors[0].to_string();
    assert!(message.contains("500"), "{message}");
    assert!(message.contains("3 attempts"), "{message}");
}

#[test]
fn not_found_and_missing_files_fail_every_slide_not_retried() {
    let good = png(2);
    let served = good.clone();
    let server = Server::start(move |request: &Request, _| match request.path.as_str() {
        "/ok.png" => Reply::ok(served.clone()),
        _ => Reply::status(404),
    });
    let cache = TempDir::new().unwrap();
    let local_dir = TempDir::new().unwrap();
    let present = local_dir.path().join("present.png");
    fs::write(&present, png(3)).unwrap();
    let missing = local_dir.path().join("images").join("missing.png");
    let deck = deck(vec![
        SlideSource::Remote(server.url("/ok.png")),
        SlideSource::Remote(server.url("/gone.png")),
        SlideSource::Local(present.clone()),
        SlideSource::Local(missing.clone()),
    ]);
    let errors = fetcher(options(cache.path()))
        .fetch_slides(&deck)
        .unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");

    assert_eq!(errors[0].position, 2);
    assert_eq!(errors[0].location, "deck.md:5");
    assert_eq!(errors[0].written, server.url("/gone.png").to_string());
    assert!(errors[0].cause.to_string().contains("404"), "{}", errors[0]);
    let text = errors[0].to_string();
    assert!(text.contains("slide 2") && text.contains("gone.png") && text.contains("deck.md:5"));

    assert_eq!(errors[1].position, 4);
    assert_eq!(errors[1].location, "deck.md:9");
    assert_eq!(
        errors[1].cause.to_string(),
        format!("file not found: {}", missing.display())
    );

    assert_eq!(server.requests_for("/gone.png"), 1, "a 404 is not retried");
    assert_eq!(server.requests_for("/ok.png"), 1);
}

#[test]
fn local_slides_are_used_in_place() {
    let dir = TempDir::new().unwrap();
    let a = dir.path().join("a.png");
    let b = dir.path().join("b.jpg");
    fs::write(&a, png(1)).unwrap();
    fs::write(&b, jpeg(1)).unwrap();
    let cache = TempDir::new().unwrap();
    let files = fetcher(FetchOptions {
        offline: true,
        ..options(cache.path())
    })
    .fetch_slides(&deck(vec![
        SlideSource::Local(a.clone()),
        SlideSource::Local(b.clone()),
    ]))
    .unwrap();
    assert_eq!(files, vec![a, b]);
}

#[test]
fn truncated_body_is_retried() {
    let body = jpeg(7);
    let served = body.clone();
    let half = body.len() / 2;
    let server = Server::start(move |_, nth| {
        let reply = Reply::ok(served.clone()).header("Content-Type", "image/jpeg");
        if nth == 1 {
            reply.truncated(half)
        } else {
            reply
        }
    });
    let cache = TempDir::new().unwrap();
    let files = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &["/t.jpg".into()]))
        .unwrap();
    assert_eq!(fs::read(&files[0]).unwrap(), body);
    assert_eq!(server.requests_for("/t.jpg"), 2);
    assert_eq!(server.log()[0].body_bytes_sent, half);
    assert!(temp_files(cache.path()).is_empty());
}

#[test]
fn connection_reset_is_retried() {
    let body = png(9);
    let served = body.clone();
    let server = Server::start(move |_, nth| {
        if nth == 1 {
            Reply::hang_up()
        } else {
            Reply::ok(served.clone())
        }
    });
    let cache = TempDir::new().unwrap();
    let files = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &["/r.png".into()]))
        .unwrap();
    assert_eq!(fs::read(&files[0]).unwrap(), body);
    assert_eq!(server.requests_for("/r.png"), 2);
}

#[test]
fn slow_answer_times_out_and_is_retried() {
    let body = png(4);
    let served = body.clone();
    let server = Server::start(move |_, nth| {
        let reply = Reply::ok(served.clone());
        if nth == 1 {
            reply.delay(Duration::from_millis(1500))
        } else {
            reply
        }
    });
    let cache = TempDir::new().unwrap();
    let started = Instant::now();
    let files = fetcher(FetchOptions {
        read_timeout: Duration::from_millis(300),
        ..options(cache.path())
    })
    .fetch_slides(&remote_deck(&server, &["/slow.png".into()]))
    .unwrap();
    assert_eq!(fs::read(&files[0]).unwrap(), body);
    assert_eq!(server.requests_for("/slow.png"), 2);
    assert!(started.elapsed() < Duration::from_millis(1400));
}

#[test]
fn too_many_requests_waits_for_retry_after() {
    let body = png(5);
    let served = body.clone();
    let server = Server::start(move |_, nth| {
        if nth == 1 {
            Reply::status(429).header("Retry-After", "1")
        } else {
            Reply::ok(served.clone())
        }
    });
    let cache = TempDir::new().unwrap();
    let files = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &["/busy.png".into()]))
        .unwrap();
    assert_eq!(fs::read(&files[0]).unwrap(), body);
    let log = server.log();
    assert_eq!(log.len(), 2);
    let waited = log[1].request.at - log[0].request.at;
    // The backoff alone would be ~20 ms; the server asked for a second.
    assert!(waited >= Duration::from_millis(950), "waited {waited:?}");
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[test]
fn html_served_for_an_image_is_an_error() {
    let server = Server::start(|_, _| {
        Reply::ok(b"<!DOCTYPE html>\n<html><body>Rate limited, sign in</body></html>".to_vec())
            .header("Content-Type", "text/html; charset=utf-8")
    });
    let cache = TempDir::new().unwrap();
    let errors = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &["/slide.png".into()]))
        .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].cause.to_string(),
        "server sent HTML, not an image (Content-Type text/html; charset=utf-8)"
    );
    assert_eq!(server.requests_for("/slide.png"), 1, "not retried");
    // Nothing was cached, and nothing half-written is left.
    assert_eq!(fs::read_dir(cache.path()).unwrap().count(), 0);
}

#[test]
fn content_is_judged_by_magic_bytes_not_content_type() {
    let body = jpeg(3);
    let served = body.clone();
    let server = Server::start(move |_, _| {
        Reply::ok(served.clone()).header("Content-Type", "application/octet-stream")
    });
    let cache = TempDir::new().unwrap();
    let files = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &["/download?id=3".into()]))
        .unwrap();
    assert_eq!(fs::read(&files[0]).unwrap(), body);
    assert_eq!(files[0].extension().unwrap(), "jpg");
}

#[test]
fn rerun_revalidates_and_transfers_no_body() {
    let (paths, bodies) = numbered(5);
    let server = static_server(bodies.clone(), Duration::ZERO);
    let cache = TempDir::new().unwrap();
    let deck = remote_deck(&server, &paths);

    let first = fetcher(options(cache.path())).fetch_slides(&deck).unwrap();
    assert_contents(&first, &paths, &bodies);
    assert!(server.log().iter().all(|l| l.status == 200));
    server.clear_log();

    // A new fetcher, as a new run would have.
    let second = fetcher(options(cache.path())).fetch_slides(&deck).unwrap();
    assert_eq!(first, second);
    assert_contents(&second, &paths, &bodies);
    let log = server.log();
    assert_eq!(log.len(), 5);
    for entry in &log {
        assert!(entry.request.header("if-none-match").is_some());
        assert_eq!(
            entry.request.header("if-modified-since"),
            Some("Mon, 13 May 2019 09:44:00 GMT")
        );
        assert_eq!(entry.status, 304);
        assert_eq!(entry.body_bytes_sent, 0);
    }
}

#[test]
fn changed_content_replaces_the_cached_copy() {
    let version = Arc::new(std::sync::atomic::AtomicU8::new(1));
    let current = version.clone();
    let server = Server::start(move |request: &Request, _| {
        let v = current.load(std::sync::atomic::Ordering::SeqCst);
        let etag = format!("\"v{v}\"");
        if request.header("if-none-match") == Some(etag.as_str()) {
            return Reply::status(304);
        }
        Reply::ok(png(v)).header("ETag", &etag)
    });
    let cache = TempDir::new().unwrap();
    let deck = remote_deck(&server, &["/s.png".into()]);
    let old = fetcher(options(cache.path())).fetch_slides(&deck).unwrap();
    version.store(2, std::sync::atomic::Ordering::SeqCst);
    let new = fetcher(options(cache.path())).fetch_slides(&deck).unwrap();
    assert_eq!(fs::read(&new[0]).unwrap(), png(2));
    assert!(!old[0].exists(), "the stale body is removed");
    assert_eq!(server.log()[1].status, 200);
}

#[test]
fn offline_builds_from_a_warm_cache_alone() {
    let (paths, bodies) = numbered(4);
    let mut server = static_server(bodies.clone(), Duration::ZERO);
    let cache = TempDir::new().unwrap();
    let deck = remote_deck(&server, &paths);
    let warm = fetcher(options(cache.path())).fetch_slides(&deck).unwrap();
    server.stop();
    let requests_before = server.log().len();

    let offline = fetcher(FetchOptions {
        offline: true,
        ..options(cache.path())
    });
    let files = offline.fetch_slides(&deck).unwrap();
    assert_eq!(files, warm);
    assert_contents(&files, &paths, &bodies);
    assert_eq!(server.log().len(), requests_before);

    // A slide the cache never saw fails, named, without any network.
    let mut extended = paths.clone();
    extended.push("/never-fetched.png".into());
    let errors = offline
        .fetch_slides(&remote_deck(&server, &extended))
        .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].position, 5);
    assert_eq!(errors[0].cause.to_string(), "not in the cache (offline)");
}

#[test]
fn refresh_sends_unconditional_gets() {
    let (paths, bodies) = numbered(3);
    let server = static_server(bodies.clone(), Duration::ZERO);
    let cache = TempDir::new().unwrap();
    let deck = remote_deck(&server, &paths);
    fetcher(options(cache.path())).fetch_slides(&deck).unwrap();
    server.clear_log();

    let files = fetcher(FetchOptions {
        refresh: true,
        ..options(cache.path())
    })
    .fetch_slides(&deck)
    .unwrap();
    assert_contents(&files, &paths, &bodies);
    let log = server.log();
    assert_eq!(log.len(), 3);
    for entry in &log {
        assert_eq!(entry.request.header("if-none-match"), None);
        assert_eq!(entry.request.header("if-modified-since"), None);
        assert_eq!(entry.status, 200);
        assert!(entry.body_bytes_sent > 0);
    }
}

#[test]
fn body_size_cap_stops_the_download() {
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(50_000, 7);
    let served = big.clone();
    let server = Server::start(move |request: &Request, _| {
        let reply = Reply::ok(served.clone());
        if request.path == "/streamed.png" {
            reply.close_delimited()
        } else {
            reply
        }
    });
    let cache = TempDir::new().unwrap();
    let errors = fetcher(FetchOptions {
        max_body_bytes: 10_000,
        ..options(cache.path())
    })
    .fetch_slides(&remote_deck(
        &server,
        &["/declared.png".into(), "/streamed.png".into()],
    ))
    .unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0].cause.to_string(),
        "body too large: 50000 bytes (limit 10000)"
    );
    assert_eq!(
        errors[1].cause.to_string(),
        "body exceeds the size limit of 10000 bytes"
    );
    assert_eq!(server.requests_for("/declared.png"), 1);
    assert_eq!(server.requests_for("/streamed.png"), 1);
    assert_eq!(fs::read_dir(cache.path()).unwrap().count(), 0);
}

#[test]
fn close_delimited_bodies_within_the_cap_are_fine() {
    let body = png(6);
    let served = body.clone();
    let server = Server::start(move |_, _| Reply::ok(served.clone()).close_delimited());
    let cache = TempDir::new().unwrap();
    let files = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &["/c.png".into()]))
        .unwrap();
    assert_eq!(fs::read(&files[0]).unwrap(), body);
}

#[test]
fn repeated_urls_are_downloaded_once() {
    let (paths, bodies) = numbered(2);
    let server = static_server(bodies.clone(), Duration::ZERO);
    let cache = TempDir::new().unwrap();
    let repeated = vec![paths[0].clone(), paths[1].clone(), paths[0].clone()];
    let files = fetcher(options(cache.path()))
        .fetch_slides(&remote_deck(&server, &repeated))
        .unwrap();
    assert_contents(&files, &repeated, &bodies);
    assert_eq!(server.requests_for(&paths[0]), 1);
}

#[test]
fn two_fetchers_sharing_a_cache_leave_it_consistent() {
    let (paths, bodies) = numbered(12);
    let server = static_server(bodies.clone(), Duration::from_millis(10));
    let cache = TempDir::new().unwrap();
    let deck = remote_deck(&server, &paths);
    // `refresh` makes both write every entry, racing on the same names.
    let runs: Vec<Vec<PathBuf>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    fetcher(FetchOptions {
                        jobs: 4,
                        refresh: true,
                        ..options(cache.path())
                    })
                    .fetch_slides(&deck)
                    .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for files in &runs {
        assert_contents(files, &paths, &bodies);
    }
    assert_eq!(server.log().len(), 24);
    assert!(temp_files(cache.path()).is_empty());

    // Every sidecar names a body of the size it records; nothing else is in the folder.
    let mut sidecars = 0;
    let mut bodies_on_disk = 0;
    for entry in fs::read_dir(cache.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().unwrap() == "json" {
            sidecars += 1;
            let meta: serde_json::Value =
                serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            let body = cache.path().join(meta["body"].as_str().unwrap());
            assert_eq!(
                fs::metadata(&body).unwrap().len(),
                meta["size"].as_u64().unwrap()
            );
        } else {
            bodies_on_disk += 1;
        }
    }
    assert_eq!((sidecars, bodies_on_disk), (12, 12));

    let offline = fetcher(FetchOptions {
        offline: true,
        ..options(cache.path())
    })
    .fetch_slides(&deck)
    .unwrap();
    assert_contents(&offline, &paths, &bodies);
}

#[test]
fn remote_deck_text_is_fetched_and_revalidated() {
    let markdown =
        "\u{feff}# 最终版_潘志伟_0到3000万用户微服务之旅\n\n![](images/201905130944_4.png)\n";
    let served = markdown.to_string();
    let server = Server::start(move |request: &Request, _| {
        if request.path != "/talk.md" {
            return Reply::status(404);
        }
        if request.header("if-none-match") == Some("\"deck\"") {
            return Reply::status(304);
        }
        Reply::ok(served.clone().into_bytes())
            .header("Content-Type", "text/markdown; charset=utf-8")
            .header("ETag", "\"deck\"")
    });
    let cache = TempDir::new().unwrap();
    let url = server.url("/talk.md");
    // The deck's own URL is on loopback, which only an explicit opt-in may reach.
    let options = || FetchOptions {
        allow_local_network: true,
        ..options(cache.path())
    };
    let text = fetcher(options()).fetch_text(&url).unwrap();
    assert_eq!(text, markdown.trim_start_matches('\u{feff}'));
    let again = fetcher(options()).fetch_text(&url).unwrap();
    assert_eq!(again, text);
    let log = server.log();
    assert_eq!((log[0].status, log[1].status), (200, 304));

    let missing = fetcher(options())
        .fetch_text(&server.url("/nope.md"))
        .unwrap_err();
    assert!(missing.to_string().contains("404"), "{missing}");
}

#[test]
fn uncreatable_cache_folder_falls_back_to_a_temporary_one() {
    let (paths, bodies) = numbered(1);
    let server = static_server(bodies.clone(), Duration::ZERO);
    let dir = TempDir::new().unwrap();
    let blocker = dir.path().join("a-file");
    fs::write(&blocker, b"not a folder").unwrap();
    let fetcher = fetcher(options(&blocker.join("cache")));
    assert!(fetcher.cache_dir().is_dir());
    assert!(!fetcher.cache_dir().starts_with(&blocker));
    let files = fetcher.fetch_slides(&remote_deck(&server, &paths)).unwrap();
    assert_contents(&files, &paths, &bodies);
}

#[test]
fn unreachable_server_fails_with_the_cause() {
    let mut server = Server::start(|_, _| Reply::status(200));
    let url = server.url("/x.png");
    server.stop();
    let cache = TempDir::new().unwrap();
    let errors = fetcher(FetchOptions {
        retries: 1,
        ..options(cache.path())
    })
    .fetch_slides(&deck(vec![SlideSource::Remote(url)]))
    .unwrap_err();
    let reason = &errors[0].cause.to_string();
    assert!(reason.to_lowercase().contains("refused"), "{reason}");
    assert!(reason.contains("2 attempts"), "{reason}");
    eprintln!("{}", errors[0]);
}

#[test]
fn a_refusing_server_is_given_up_after_its_first_url() {
    let mut server = Server::start(|_, _| Reply::status(200));
    let paths: Vec<String> = (0..20).map(|i| format!("/s{i}.png")).collect();
    let deck = remote_deck(&server, &paths);
    server.stop();
    let cache = TempDir::new().unwrap();
    // One worker: the first URL finds the server down, the other nineteen are not tried.
    let errors = fetcher(FetchOptions {
        jobs: 1,
        ..options(cache.path())
    })
    .fetch_slides(&deck)
    .unwrap_err();
    assert_eq!(errors.len(), 20);
    let reasons: Vec<String> = errors.iter().map(|e| e.cause.to_string()).collect();
    assert!(reasons[0].ends_with("refused the connection (gave up after 2 attempts)"));
    for reason in &reasons[1..] {
        assert!(
            reason.ends_with("(given up: its server had failed already)"),
            "{reason}"
        );
    }
    let positions: Vec<usize> = errors.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=20).collect::<Vec<_>>());
}

#[test]
fn other_servers_go_on_when_one_is_down() {
    let (paths, bodies) = numbered(4);
    let live = static_server(bodies.clone(), Duration::ZERO);
    let mut dead = Server::start(|_, _| Reply::status(200));
    let dead_url = dead.url("/gone.png");
    dead.stop();
    let mut sources: Vec<SlideSource> = paths
        .iter()
        .map(|p| SlideSource::Remote(live.url(p)))
        .collect();
    sources.insert(0, SlideSource::Remote(dead_url));
    let cache = TempDir::new().unwrap();
    let results = fetcher(FetchOptions {
        jobs: 1,
        ..options(cache.path())
    })
    .fetch_each(&deck(sources));
    assert!(results[0].is_err());
    let files: Vec<PathBuf> = results[1..].iter().map(|r| r.clone().unwrap()).collect();
    assert_contents(&files, &paths, &bodies);
}
