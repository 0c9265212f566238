//! One cache folder, several processes: four runs of the same remote deck at once all
//! succeed with identical outputs and leave a consistent cache, and a run whose entries
//! another process evicts meanwhile still succeeds.

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use support::{Reply, Server};

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qcon-shanghai-2018")
}

/// `deckconv` on a deck served by the test's loopback server. Flags every loopback deck
/// needs go here, once.
fn deckconv_remote(cwd: &Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deckconv"));
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1557734400")
        .stdin(Stdio::null())
        .arg("--allow-local-network")
        .arg(url);
    cmd
}

/// The example deck under /talks/ (each image `delay`ed, so runs overlap), and under
/// /talks/other.md a one-slide deck.
fn serve_example(delay: Duration) -> Server {
    Server::start(move |request, _| {
        let path = request.path.trim_start_matches('/');
        let Some(rest) = path.strip_prefix("talks/") else {
            return Reply::status(404);
        };
        if rest == "other.md" {
            return Reply::ok(b"# Other\n\n![](extra.png)\n".to_vec());
        }
        let file = if rest == "extra.png" {
            "images/673764946qgTHbi/201905181115_4.png"
        } else {
            rest
        };
        match fs::read(example_dir().join(file)) {
            Ok(bytes) if rest.ends_with(".md") => Reply::ok(bytes),
            Ok(bytes) => Reply::ok(bytes).delay(delay),
            Err(_) => Reply::status(404),
        }
    })
}

fn assert_consistent(cache: &Path) -> usize {
    let check = deckconv::fetch::check_cache(cache).unwrap();
    assert!(check.is_clean(), "{check:#?}");
    assert!(check.orphan_bodies.is_empty(), "{check:#?}");
    check.entries
}

#[test]
fn four_processes_convert_into_one_cache_at_once() {
    let server = serve_example(Duration::from_millis(30));
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let url = server.url("/talks/deck.md");
    for round in 0..2 {
        // Round 0 downloads into an empty cache, round 1 revalidates the same entries.
        let children: Vec<_> = (0..4)
            .map(|n| {
                deckconv_remote(dir.path(), url.as_str())
                    .args(["--pdf", "-q", "--cache-dir"])
                    .arg(&cache)
                    .arg("-o")
                    .arg(format!("talk-{round}-{n}.pdf"))
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {out:?}");
        }
        assert_eq!(assert_consistent(&cache), 13, "round {round}");
    }
    let first = fs::read(dir.path().join("talk-0-0.pdf")).unwrap();
    for round in 0..2 {
        for n in 0..4 {
            let other = fs::read(dir.path().join(format!("talk-{round}-{n}.pdf"))).unwrap();
            assert!(other == first, "talk-{round}-{n}.pdf differs");
        }
    }
}

/// Make every entry look last used two days ago: eviction may take any of them.
fn age_every_entry(cache: &Path) {
    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 86_400);
    for entry in fs::read_dir(cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let sidecar = fs::File::options().write(true).open(&path).unwrap();
            sidecar.set_modified(two_days_ago).unwrap();
        }
    }
}

#[test]
fn eviction_by_another_process_never_breaks_a_run_reading_the_cache() {
    let server = serve_example(Duration::from_millis(40));
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let url = server.url("/talks/deck.md");
    let convert = |name: &str| {
        let mut cmd = deckconv_remote(dir.path(), url.as_str());
        cmd.args(["--pdf", "-q", "--jobs", "2", "--cache-dir"])
            .arg(&cache)
            .arg("-o")
            .arg(name);
        cmd
    };
    assert!(convert("reference.pdf").status().unwrap().success());
    let reference = fs::read(dir.path().join("reference.pdf")).unwrap();
    for round in 0..4 {
        age_every_entry(&cache);
        // The reader works through the aged entries while the evictor, with a limit of
        // nothing, removes every entry not used within the hour.
        let reader = convert(&format!("read-{round}.pdf"))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let evictor = deckconv_remote(dir.path(), server.url("/talks/other.md").as_str())
            .args([
                "--pdf",
                "-q",
                "--refresh",
                "--cache-limit",
                "0",
                "--cache-dir",
            ])
            .arg(&cache)
            .arg("-o")
            .arg(format!("other-{round}.pdf"))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let evicted = evictor.wait_with_output().unwrap();
        assert!(evicted.status.success(), "round {round}: {evicted:?}");
        let read = reader.wait_with_output().unwrap();
        assert!(read.status.success(), "round {round}: {read:?}");
        let output = fs::read(dir.path().join(format!("read-{round}.pdf"))).unwrap();
        assert!(output == reference, "round {round}: output differs");
        assert_consistent(&cache);
    }
}
