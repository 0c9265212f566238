//! Real signals sent to a running `deckconv`: SIGINT or SIGTERM while slides download from a
//! slow loopback server or while pages are written leaves no file at the target, no temporary
//! file beside it or in the cache, and a consistent cache the next run builds on. A second
//! signal ends a run stuck in a stalled download at once.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use crate::support;
use crate::tools;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use support::{example_dir, serve_example_with_etags as serve_example, Reply, Server};

const SIGINT: i32 = libc::SIGINT;
const SIGTERM: i32 = libc::SIGTERM;

/// `deckconv` on a deck served by the test's loopback server. Flags every loopback deck
/// needs go here, once.
fn deckconv_remote(cwd: &Path, url: &str) -> Command {
    let mut cmd = deckconv_local(cwd);
    cmd.arg("--allow-local-network").arg(url);
    cmd
}

fn deckconv_local(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_deckconv"));
    cmd.current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1557734400")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn send(child: &Child, signal: i32) {
    // SAFETY: kill(2) on our own child's pid; no memory is involved.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(rc, 0, "kill failed");
}

/// Kills the child if the test has not finished with it within two minutes: a hang fails
/// the test instead of stalling the suite.
struct Watchdog(mpsc::Sender<()>);

impl Watchdog {
    fn new(child: &Child) -> Watchdog {
        let (done, wait) = mpsc::channel::<()>();
        let pid = child.id() as libc::pid_t;
        thread::spawn(move || {
            if wait.recv_timeout(Duration::from_secs(120)).is_err() {
                // SAFETY: as in `send`.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        });
        Watchdog(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// Run `cmd`, send `signal` once a line of its stderr satisfies `when`, and return its exit
/// status and every line it printed.
fn run_and_signal(
    mut cmd: Command,
    when: impl Fn(&str) -> bool,
    signal: i32,
) -> (ExitStatus, Vec<String>) {
    let mut child = cmd.spawn().expect("deckconv starts");
    let _watchdog = Watchdog::new(&child);
    let stderr = child.stderr.take().expect("stderr piped");
    let mut lines = Vec::new();
    let mut sent = false;
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("stderr is text");
        if !sent && when(&line) {
            send(&child, signal);
            sent = true;
        }
        lines.push(line);
    }
    let status = child.wait().expect("deckconv ends");
    assert!(sent, "the moment never came: {lines:#?}");
    (status, lines)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn assert_cache_clean(cache: &Path) -> usize {
    let check = deckconv::fetch::check_cache(cache).expect("cache readable");
    assert!(check.is_clean(), "{check:#?}");
    assert!(check.orphan_bodies.is_empty(), "{check:#?}");
    check.entries
}

fn interrupted_download_then_rerun(signal: i32) {
    let server = serve_example(Duration::from_millis(200));
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let url = server.url("/talks/deck.md");
    let run = |extra: &[&str]| {
        let mut cmd = deckconv_remote(dir.path(), url.as_str());
        cmd.args(["--pdf", "--jobs", "1", "-o", "talk.pdf", "--cache-dir"])
            .arg(&cache)
            .args(extra);
        cmd
    };
    let (status, lines) = run_and_signal(
        run(&["-vv"]),
        |line| line.ends_with("slide 3 fetched"),
        signal,
    );
    assert_eq!(status.code(), Some(128 + signal), "{lines:#?}");
    let last = lines.last().map(String::as_str).unwrap_or("");
    assert!(last.contains("stopped by SIG"), "{lines:#?}");
    assert_eq!(names_in(dir.path()), ["cache"], "no target, no .part file");
    let kept = assert_cache_clean(&cache);
    // The deck and at least the three slides that had arrived.
    assert!(kept >= 4, "{kept} entries");

    server.clear_log();
    let output = run(&["-q"]).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(tools::pdf_pages(&dir.path().join("talk.pdf")), 13);
    // What the first run kept is only revalidated (304, no body); the rest is downloaded,
    // each file once.
    let log = server.log();
    let revalidated = log.iter().filter(|l| l.status == 304).count();
    let downloaded = log.iter().filter(|l| l.status == 200).count();
    assert_eq!(revalidated, kept, "{log:#?}");
    assert_eq!(revalidated + downloaded, 13, "{log:#?}");
    assert!(log.iter().filter(|l| l.status == 304).all(|l| l
        .request
        .header("if-none-match")
        .is_some()
        && l.body_bytes_sent == 0));
    assert_eq!(assert_cache_clean(&cache), 13);
}

#[test]
fn sigint_while_downloading_leaves_nothing_and_the_rerun_keeps_what_arrived() {
    interrupted_download_then_rerun(SIGINT);
}

#[test]
fn sigterm_while_downloading_leaves_nothing_and_the_rerun_keeps_what_arrived() {
    interrupted_download_then_rerun(SIGTERM);
}

#[test]
fn a_second_signal_ends_a_stalled_download_at_once() {
    // Slide 2 sends 1000 bytes and then nothing for a minute; the read timeout is 30 s.
    let stall_began = Arc::new(AtomicBool::new(false));
    let stall_flag = stall_began.clone();
    let server = Server::start(move |request, _| {
        let path = request.path.trim_start_matches('/');
        let Some(rest) = path.strip_prefix("talks/") else {
            return Reply::status(404);
        };
        let Ok(bytes) = fs::read(example_dir().join(rest)) else {
            return Reply::status(404);
        };
        if rest.ends_with("_5.png") {
            stall_flag.store(true, Ordering::SeqCst);
            Reply::ok(bytes).stall_after(1000, Duration::from_secs(60))
        } else {
            Reply::ok(bytes)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let mut cmd = deckconv_remote(dir.path(), server.url("/talks/deck.md").as_str());
    cmd.args(["--pdf", "--jobs", "1", "-o", "talk.pdf", "--cache-dir"])
        .arg(&cache);
    let mut child = cmd.spawn().unwrap();
    let _watchdog = Watchdog::new(&child);
    // The stalled body's first 1000 bytes are in a temporary file in the cache (neither the
    // empty one the cache makes at start to see that it can write, nor slide 1's).
    let started = Instant::now();
    let stalled_body_arrived = || {
        stall_began.load(Ordering::SeqCst)
            && fs::read_dir(&cache)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| {
                    e.file_name().to_string_lossy().starts_with(".part-")
                        && e.metadata().is_ok_and(|m| m.len() >= 1000)
                })
    };
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr piped"));
    while !stalled_body_arrived() {
        if let Some(status) = child.try_wait().unwrap() {
            let mut said = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut said);
            panic!("deckconv ended ({status}) before the stalled download began:\n{said}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no download began"
        );
        thread::sleep(Duration::from_millis(20));
    }
    // Two kill(2) calls in a row may reach the process as one signal (a pending signal is
    // not queued twice), so the second waits for the first to be acknowledged, as a user
    // pressing Ctrl-C twice does.
    send(&child, SIGINT);
    let mut notice = String::new();
    stderr.read_line(&mut notice).unwrap();
    assert!(
        notice.contains("SIGINT received, stopping (send it again to stop at once)"),
        "{notice:?}"
    );
    thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the first signal alone cannot free a read stuck on a silent server"
    );
    let second = Instant::now();
    send(&child, SIGINT);
    let status = child.wait().unwrap();
    // Well before the 30 s read timeout could have freed the stuck read.
    assert!(second.elapsed() < Duration::from_secs(10));
    assert_eq!(status.code(), Some(130));
    assert!(names_in(&cache).iter().all(|n| !n.starts_with(".part-")));
    assert_eq!(names_in(dir.path()), ["cache"]);
    assert_cache_clean(&cache);
}

#[test]
fn signals_while_writing_leave_no_partial_output() {
    // 360 local slides: long enough that each signal lands while pages are being written.
    let dir = tempfile::tempdir().unwrap();
    let images = example_dir().join("images/673764946qgTHbi");
    let mut deck = String::from("# Long deck\n");
    let mut names = names_in(&images);
    names.retain(|n| n.ends_with(".png") || n.ends_with(".jpg"));
    for _ in 0..30 {
        for name in &names {
            deck.push_str(&format!("\n![]({})\n", images.join(name).display()));
        }
    }
    fs::write(dir.path().join("long.md"), deck).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    for (signal, at) in [
        (SIGINT, "slide 1 written"),
        (SIGINT, "slide 90 written"),
        (SIGTERM, "slide 45 written"),
        (SIGINT, "slide 200 written"),
    ] {
        let mut cmd = deckconv_local(dir.path());
        cmd.args(["long.md", "--pdf", "-vv", "-o"])
            .arg(out.join("long.pdf"));
        let (status, lines) = run_and_signal(cmd, |line| line.ends_with(at), signal);
        assert_eq!(status.code(), Some(128 + signal), "at {at}: {lines:#?}");
        assert!(names_in(&out).is_empty(), "at {at}: {:?}", names_in(&out));
    }
}
