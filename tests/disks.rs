//! Disks that refuse: a target on a full file system, a read-only output folder, a folder
//! where the output file should go, and a cache folder that is full or read-only. Each
//! target failure names the path, exits 1 and leaves no partial file; a cache that cannot
//! be written only costs the caching, with a warning. The file systems are real: small
//! tmpfs mounts, so these tests need root (CI runs as root) and say so when skipped.
#![cfg(target_os = "linux")]

use crate::support;
use crate::tools;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use support::{example_dir, serve_example_with_etags, Server};

fn deckconv(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deckconv").unwrap();
    cmd.current_dir(cwd).env("SOURCE_DATE_EPOCH", "1557734400");
    cmd
}

/// `deckconv` on a deck served by the test's loopback server. Flags every loopback deck
/// needs go here, once.
fn deckconv_remote(cwd: &Path, url: &str) -> Command {
    let mut cmd = deckconv(cwd);
    cmd.arg("--allow-local-network").arg(url);
    cmd
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// `None` (with a note on stderr) where mounting is not allowed.
    fn tmpfs(at: &Path, options: &str) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        Mount::run(&["-t", "tmpfs", "-o", options, "tmpfs"], at)
    }

    /// `from` again at `at`, read-only.
    fn read_only_view(from: &Path, at: &Path) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        let mount = Mount::run(&["--bind", &from.to_string_lossy()], at)?;
        // Same mount point: one unmount (by `mount`) is enough.
        std::mem::forget(Mount::run(&["-o", "remount,bind,ro"], at)?);
        Some(mount)
    }

    fn run(args: &[&str], at: &Path) -> Option<Mount> {
        let done = Process::new("mount").args(args).arg(at).output();
        match done {
            Ok(out) if out.status.success() => Some(Mount(at.to_path_buf())),
            Ok(out) => {
                eprintln!(
                    "skipped: cannot mount (needs root): {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: no mount command: {e}");
                None
            }
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn serve_example() -> Server {
    serve_example_with_etags(Duration::ZERO)
}

#[test]
fn a_full_file_system_fails_naming_the_target_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full");
    // 1 MiB; the example deck's PDF is over 3 MB.
    let Some(_mount) = Mount::tmpfs(&full, "size=1m") else {
        return;
    };
    let target = full.join("talk.pdf");
    deckconv(dir.path())
        .arg(example_dir().join("deck.md"))
        .args(["--pdf", "-o"])
        .arg(&target)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(target.display().to_string()))
        .stderr(predicate::str::contains("No space left on device"));
    assert!(names_in(&full).is_empty(), "{:?}", names_in(&full));
}

#[test]
fn a_read_only_output_folder_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let read_only = dir.path().join("ro");
    let Some(_mount) = Mount::tmpfs(&read_only, "ro,size=1m") else {
        return;
    };
    deckconv(dir.path())
        .arg(example_dir().join("deck.md"))
        .args(["--pdf", "-o"])
        .arg(read_only.join("talk.pdf"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(read_only.display().to_string()))
        .stderr(predicate::str::contains("Read-only file system"));
    assert!(names_in(&read_only).is_empty());
}

#[test]
fn a_folder_where_the_output_file_goes_fails_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let image = example_dir().join("images/673764946qgTHbi/201905181115_4.png");
    fs::write(
        dir.path().join("deck.md"),
        format!("# Talk\n\n![]({})\n", image.display()),
    )
    .unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("Talk.pdf")).unwrap();
    deckconv(dir.path())
        .args(["deck.md", "--pdf", "-o", "out"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("out/Talk.pdf"))
        .stderr(predicate::str::contains("folder"));
    assert_eq!(names_in(&out), ["Talk.pdf"]);
    assert!(names_in(&out.join("Talk.pdf")).is_empty());
}

#[test]
fn a_read_only_cache_is_read_and_left_as_it_is() {
    let server = serve_example();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let url = server.url("/talks/deck.md");
    deckconv_remote(dir.path(), url.as_str())
        .args(["--pdf", "-q", "-o", "first.pdf", "--cache-dir"])
        .arg(&cache)
        .assert()
        .success();
    let view = dir.path().join("cache-ro");
    let Some(_mount) = Mount::read_only_view(&cache, &view) else {
        return;
    };
    let before = names_in(&cache);
    server.clear_log();
    deckconv_remote(dir.path(), url.as_str())
        .args(["--pdf", "-o", "second.pdf", "--cache-dir"])
        .arg(&view)
        .assert()
        .success()
        .stderr(predicate::str::contains("Read-only file system"))
        .stderr(predicate::str::contains("not kept"));
    assert_eq!(tools::pdf_pages(&dir.path().join("second.pdf")), 13);
    // Served from the read-only cache: only revalidated, nothing downloaded again.
    assert!(
        server.log().iter().all(|l| l.status == 304),
        "{:#?}",
        server.log()
    );
    assert_eq!(names_in(&cache), before);
    let check = deckconv::fetch::check_cache(&cache).unwrap();
    assert!(check.is_clean() && check.entries == 13, "{check:#?}");
}

#[test]
fn a_cache_that_fills_up_mid_run_spills_and_stays_consistent() {
    let server = serve_example();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    // 1 MiB for 3 MB of slides: some entries fit, then writes fail with ENOSPC.
    let Some(_mount) = Mount::tmpfs(&cache, "size=1m") else {
        return;
    };
    deckconv_remote(dir.path(), server.url("/talks/deck.md").as_str())
        .args(["--pdf", "-o", "talk.pdf", "--cache-dir"])
        .arg(&cache)
        .assert()
        .success()
        .stderr(predicate::str::contains("No space left on device"))
        .stderr(predicate::str::contains("not kept"));
    assert_eq!(tools::pdf_pages(&dir.path().join("talk.pdf")), 13);
    let check = deckconv::fetch::check_cache(&cache).unwrap();
    assert!(check.is_clean(), "{check:#?}");
    assert!(check.orphan_bodies.is_empty(), "{check:#?}");
    assert!(check.entries >= 1 && check.entries < 13, "{check:#?}");
}
