//! The command line as users meet it: exit codes, messages that name the slide, output naming,
//! and never a half-written file at the target.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn example_deck() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qcon-shanghai-2018/deck.md")
}

fn deckconv(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deckconv").expect("binary built");
    cmd.current_dir(cwd).env("SOURCE_DATE_EPOCH", "1557734400");
    cmd
}

fn files_in(dir: &Path) -> Vec<String> {
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

#[test]
fn help_shows_examples_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("--pdf"))
        .stdout(predicate::str::contains("Exit status"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path()).assert().code(2);
    deckconv(dir.path())
        .arg(example_deck())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--pdf, --epub or --cbz"));
    deckconv(dir.path())
        .args(["--pdf", "--jobs", "0"])
        .arg(example_deck())
        .assert()
        .code(2);
    deckconv(dir.path())
        .args(["--pdf", "--timeout", "0"])
        .arg(example_deck())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--timeout must be between 1 and 86400",
        ));
    deckconv(dir.path())
        .args(["--pdf", "--no-such-flag"])
        .arg(example_deck())
        .assert()
        .code(2);
}

#[test]
fn a_missing_deck_fails_with_its_name_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path())
        .args(["nowhere.md", "--pdf"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nowhere.md"));
    assert!(files_in(&dir.path().join("output")).is_empty());
}

#[test]
fn every_bad_slide_is_named_with_its_line_and_no_output_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    fs::create_dir(&images).unwrap();
    let example_images = example_deck()
        .parent()
        .unwrap()
        .join("images/673764946qgTHbi");
    fs::copy(
        example_images.join("201905181115_4.png"),
        images.join("a_1.png"),
    )
    .unwrap();
    fs::write(
        images.join("page_3.png"),
        "<!DOCTYPE html><html>not found</html>",
    )
    .unwrap();
    fs::write(
        dir.path().join("deck.md"),
        "# Broken deck\n\n![](images\\a_1.png)\n\n![](images\\missing_2.png)\n\n![](images\\page_3.png)\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    deckconv(dir.path())
        .args(["deck.md", "--pdf", "-o"])
        .arg(out.join("broken.pdf"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("slide 2"))
        .stderr(predicate::str::contains("deck.md:5"))
        .stderr(predicate::str::contains("missing_2.png"))
        .stderr(predicate::str::contains("slide 3"))
        .stderr(predicate::str::contains("deck.md:7"))
        .stderr(predicate::str::contains("HTML"));
    assert_eq!(
        files_in(&out),
        Vec::<String>::new(),
        "no target, no temporary files"
    );
}

#[test]
fn the_example_deck_becomes_a_pdf_named_after_its_title() {
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path())
        .arg(example_deck())
        .arg("--pdf")
        .assert()
        .success();
    assert_eq!(
        files_in(&dir.path().join("output")),
        vec!["0到3000万用户微服务之旅.pdf".to_string()]
    );
}

#[test]
fn output_flag_names_the_file_for_one_output_and_a_folder_for_several() {
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path())
        .arg(example_deck())
        .args(["--pdf", "-q", "-o", "talk.pdf"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    assert!(dir.path().join("talk.pdf").is_file());

    deckconv(dir.path())
        .arg(example_deck())
        .arg(example_deck())
        .args(["--pdf", "-q", "-o", "many"])
        .assert()
        .success();
    assert_eq!(
        files_in(&dir.path().join("many")),
        vec![
            "0到3000万用户微服务之旅 (2).pdf".to_string(),
            "0到3000万用户微服务之旅.pdf".to_string()
        ]
    );
}

#[test]
fn stdin_decks_resolve_against_the_working_directory() {
    let deck = fs::read_to_string(example_deck()).unwrap();
    let cwd = example_deck().parent().unwrap().to_path_buf();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("stdin.pdf");
    deckconv(&cwd)
        .args(["-", "--pdf", "-q", "-o"])
        .arg(&target)
        .write_stdin(deck)
        .assert()
        .success();
    assert!(fs::metadata(&target).unwrap().len() > 100_000);
}

#[cfg(unix)]
#[test]
fn outputs_get_ordinary_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path())
        .arg(example_deck())
        .args(["--pdf", "-q", "-o", "talk.pdf"])
        .assert()
        .success();
    let mode = fs::metadata(dir.path().join("talk.pdf"))
        .unwrap()
        .permissions()
        .mode();
    assert_ne!(
        mode & 0o044,
        0,
        "readable by others as umask allows, got {mode:o}"
    );
}

#[test]
fn an_output_ending_in_a_slash_is_a_folder_even_before_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path())
        .arg(example_deck())
        .args(["--pdf", "-q", "-o", "new/"])
        .assert()
        .success();
    assert_eq!(
        files_in(&dir.path().join("new")),
        vec!["0到3000万用户微服务之旅.pdf".to_string()]
    );
}

/// Every text entry of an EPUB or CBZ, concatenated.
fn archive_text(path: &Path) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Ok(text) = String::from_utf8(bytes) {
            all.push_str(&text);
        }
    }
    all
}

fn epub_identifier(path: &Path) -> String {
    let text = archive_text(path);
    let start = text
        .find("<dc:identifier id=\"book-id\">")
        .expect("dc:identifier")
        + 27;
    let end = start + text[start..].find('<').unwrap();
    text[start..end].to_string()
}

#[test]
fn a_local_deck_publishes_no_local_path() {
    let dir = tempfile::tempdir().unwrap();
    deckconv(dir.path())
        .arg(example_deck())
        .args(["--pdf", "--epub", "--cbz", "-o", "out/"])
        .assert()
        .success();
    let out = dir.path().join("out");
    let folder = example_deck().parent().unwrap().display().to_string();
    for name in files_in(&out) {
        let path = out.join(&name);
        let text = if name.ends_with(".pdf") {
            let p = path.to_string_lossy().into_owned();
            let output = std::process::Command::new("pdftotext")
                .args([&p, "-"])
                .output()
                .unwrap();
            let meta = std::process::Command::new("pdfinfo")
                .args(["-meta", &p])
                .output()
                .unwrap();
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&meta.stdout)
            )
        } else {
            archive_text(&path)
        };
        assert!(!text.is_empty(), "{name} has text");
        assert!(!text.contains(&folder), "{name} names {folder}");
        assert!(!text.contains("deck.md"), "{name} names the deck file");
    }
}

#[test]
fn each_edition_has_its_own_stable_identifier() {
    let dir = tempfile::tempdir().unwrap();
    let book = |name: &str, extra: &[&str]| {
        let path = dir.path().join(name);
        deckconv(dir.path())
            .arg(example_deck())
            .arg("--epub")
            .args(extra)
            .arg("-o")
            .arg(&path)
            .assert()
            .success();
        epub_identifier(&path)
    };
    let plain = book("plain.epub", &[]);
    let again = book("again.epub", &[]);
    let device = book("kobo.epub", &["--device", "kobo-libra"]);
    let colour = book("colour.epub", &["--device", "kobo-libra", "--color"]);
    let kobo = book("kobo.kepub.epub", &["--device", "kobo-libra", "--kobo"]);
    assert_eq!(plain, again, "stable across reruns");
    let all = [&plain, &device, &colour, &kobo];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b, "editions share an identifier");
        }
    }
}

#[test]
fn an_output_that_is_one_of_the_runs_inputs_is_a_usage_error_and_the_input_stays() {
    let dir = tempfile::tempdir().unwrap();
    let png = image::RgbImage::from_pixel(64, 36, image::Rgb([200, 40, 40]));
    png.save(dir.path().join("slide_1.png")).unwrap();
    fs::write(dir.path().join("deck.md"), "# Talk\n\n![](slide_1.png)\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("slide_1.png", dir.path().join("link.pdf")).unwrap();
    let before: Vec<Vec<u8>> = ["deck.md", "slide_1.png"]
        .iter()
        .map(|f| fs::read(dir.path().join(f)).unwrap())
        .collect();
    let mut targets = vec![("deck.md", "the deck"), ("slide_1.png", "slide 1")];
    if cfg!(unix) {
        targets.push(("link.pdf", "slide 1"));
    }
    for (target, names) in targets {
        deckconv(dir.path())
            .args(["deck.md", "--pdf", "-o", target])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(names))
            .stderr(predicate::str::contains("refusing to write"));
    }
    let after: Vec<Vec<u8>> = ["deck.md", "slide_1.png"]
        .iter()
        .map(|f| fs::read(dir.path().join(f)).unwrap())
        .collect();
    assert!(before == after, "an input was changed");
    // Nothing else was left behind.
    let mut expected = vec!["deck.md", "slide_1.png"];
    if cfg!(unix) {
        expected.insert(1, "link.pdf");
    }
    assert_eq!(files_in(dir.path()), expected);
}

#[test]
fn a_deck_that_cannot_be_read_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on: the connection is refused at once.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/talk.md");
    let missing = dir.path().join("missing.md");
    for (input, extra) in [
        (url.as_str(), vec!["--allow-local-network"]),
        (missing.to_str().unwrap(), vec![]),
    ] {
        let out = deckconv(dir.path())
            .arg(input)
            .arg("--pdf")
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.matches(input).count(), 1, "{stderr}");
    }
}
