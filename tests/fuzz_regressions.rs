//! Inputs the fuzz targets (fuzz/, see fuzz/README.md) found, kept as regression tests.

use deckconv::model::DeckOrigin;
use deckconv::reader::{read_markdown_text, Base, MetaOverrides};

/// `title` target, crash-a7d382b6…: an H1 holding invalid UTF-8 and an image (`# 2-\xe5\xe4
/// \xff\xff\xff\xff\x8b+![](,1)`). The image inside the heading is a slide of its own (the
/// harness had assumed one slide); the title is cleaned to something non-empty.
#[test]
fn an_image_inside_the_h1_is_a_slide_and_the_title_stays_non_empty() {
    let raw = b"2-\xe5\xe4\xff\xff\xff\xff\x8b+![](,1)";
    let line = String::from_utf8_lossy(raw);
    let text = format!("# {line}\n\n![](slide_1.png)\n");
    let deck = read_markdown_text(
        &text,
        DeckOrigin::File("/nonexistent/deck.md".into()),
        &Base::Dir("/nonexistent".into()),
        &MetaOverrides::default(),
    )
    .expect("a deck");
    assert_eq!(deck.slides.len(), 2);
    assert_eq!(deck.slides[0].written, ",1");
    assert!(!deck.meta.title.trim().is_empty(), "{:?}", deck.meta);
}

mod zune_avx2_idct {
    //! `probe` target, after ~6 min (10.2 M inputs; issue 24): a 726-byte JPEG with a baseline
    //! frame and scans that only a progressive frame may have (the first: Ss=1, Se=63, Ah=2,
    //! Al=1). The probe accepted it, so a PDF embedded it and MuPDF said "Invalid SOS
    //! parameters for sequential JPEG"; every path that decoded it panicked inside zune-jpeg
    //! 0.5.15 (`src/idct/avx2.rs:247`, `Option::unwrap()` on `None`), and the panic message
    //! and backtrace reached the terminal (docs/upstream/zune-jpeg-avx2-idct.md).

    use std::fs;
    use std::path::{Path, PathBuf};

    use assert_cmd::Command;
    use deckconv::normalize::{probe, Limits, ProbeError};

    pub(super) fn data(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/fuzz")
            .join(name);
        fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The fuzzer's input (issue 24).
    fn sample() -> Vec<u8> {
        data("probe-zune-avx2-idct.jpg")
    }

    /// A valid JPEG that still makes zune-jpeg panic: `cjpeg -sample 2x2,1x1,4x1 -scans S`
    /// with S = `0; 1; 2;` (one scan a component), 48x27. libjpeg-turbo's djpeg decodes it
    /// without a warning, so the probe passes it and PDFs embed it; only decoding panics.
    pub(super) fn valid_but_panics() -> Vec<u8> {
        data("zune-avx2-idct-valid.jpg")
    }

    fn good_slide() -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/qcon-shanghai-2018/images/673764946qgTHbi/201905181115_10.jpg");
        fs::read(path).expect("example slide")
    }

    /// `# Title`, a good slide, `name` as slide 2 (line 5), a good slide.
    pub(super) fn deck_with(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        fs::write(dir.join("good_1.jpg"), good_slide()).unwrap();
        fs::write(dir.join(name), bytes).unwrap();
        fs::write(dir.join("good_3.jpg"), good_slide()).unwrap();
        let deck = dir.join("deck.md");
        fs::write(
            &deck,
            format!("# Fuzzed\n\n![](good_1.jpg)\n\n![]({name})\n\n![](good_3.jpg)\n"),
        )
        .unwrap();
        deck
    }

    fn deck(dir: &Path) -> PathBuf {
        deck_with(dir, "zune-avx2-idct.jpg", &sample())
    }

    pub(super) fn deckconv(dir: &Path) -> Command {
        let mut cmd = Command::cargo_bin("deckconv").expect("binary built");
        // A backtrace would be printed under RUST_BACKTRACE if a panic reached the hook's
        // default branch: ask for one, to see that none comes.
        cmd.current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1557734400")
            .env("RUST_BACKTRACE", "full");
        cmd
    }

    #[test]
    fn the_probe_refuses_it_with_the_reason() {
        match probe(&sample(), &Limits::default()) {
            Err(ProbeError::Corrupt(why)) => assert!(
                why.contains(
                    "invalid scan parameters for a sequential JPEG (Ss=1, Se=63, Ah=2, Al=1"
                ),
                "{why}"
            ),
            other => panic!("expected a corrupt JPEG, got {other:?}"),
        }
    }

    #[test]
    fn every_output_fails_the_slide_by_name_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let deck = deck(dir.path());
        for args in [
            &["--pdf", "-o", "out.pdf"][..],
            &["--epub", "--device", "kobo-clara", "-o", "out.epub"],
            &["--cbz", "--device", "kindle-paperwhite", "-o", "out.cbz"],
        ] {
            let output = deckconv(dir.path())
                .arg(deck.file_name().unwrap())
                .args(args)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{args:?}:\n{stderr}");
            for needed in [
                "slide 2 (zune-avx2-idct.jpg) at deck.md:5: corrupt image: JPEG:",
                "invalid scan parameters for a sequential JPEG",
            ] {
                assert!(
                    stderr.contains(needed),
                    "{args:?}: no {needed:?}:\n{stderr}"
                );
            }
            for banned in ["panicked", "stack backtrace", "RUST_BACKTRACE"] {
                assert!(!stderr.contains(banned), "{args:?}: {banned:?}:\n{stderr}");
            }
            let target = args[args.len() - 1];
            assert!(!dir.path().join(target).exists(), "{target} written");
        }
    }

    #[test]
    fn skip_broken_leaves_it_out() {
        let dir = tempfile::tempdir().unwrap();
        let deck = deck(dir.path());
        let output = deckconv(dir.path())
            .arg(deck.file_name().unwrap())
            .args(["--pdf", "--skip-broken", "-o", "out.pdf"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert!(stderr.contains("left out 1 slide(s)"), "{stderr}");
        assert!(stderr.contains("zune-avx2-idct.jpg"), "{stderr}");
        assert!(dir.path().join("out.pdf").exists());
    }
}

mod decoder_panics {
    //! What the user sees when a decoder panics: the slide's error, never the panic. The input
    //! is a valid JPEG on which zune-jpeg 0.5.15 panics on CPUs with AVX2 (its scalar IDCT
    //! does not); the probe rightly passes it.

    use std::path::Path;

    use deckconv::normalize::{probe, Limits};

    use super::zune_avx2_idct::{deck_with, deckconv, valid_but_panics};

    fn avx2() -> bool {
        #[cfg(target_arch = "x86_64")]
        return std::arch::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        return false;
    }

    fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
        run_with(dir, "zune-avx2-idct-valid.jpg", &valid_but_panics(), args)
    }

    fn run_with(dir: &Path, name: &str, bytes: &[u8], args: &[&str]) -> (Option<i32>, String) {
        let deck = deck_with(dir, name, bytes);
        let output = deckconv(dir)
            .arg(deck.file_name().unwrap())
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stderr)
    }

    #[test]
    fn the_probe_passes_it_and_the_pdf_embeds_it() {
        probe(&valid_but_panics(), &Limits::default()).expect("a valid JPEG");
        let dir = tempfile::tempdir().unwrap();
        let (code, stderr) = run(dir.path(), &["--pdf", "-o", "out.pdf"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(dir.path().join("out.pdf").exists());
    }

    #[test]
    fn a_decoder_panic_is_the_slides_error_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let args = ["--epub", "--device", "kobo-clara", "-o", "out.epub"];
        let (code, stderr) = run(dir.path(), &args);
        for banned in [
            "panicked",
            "stack backtrace",
            "RUST_BACKTRACE",
            "unwrap",
            "avx2.rs",
        ] {
            assert!(!stderr.contains(banned), "{banned:?} on stderr:\n{stderr}");
        }
        if !avx2() {
            return; // zune-jpeg's scalar IDCT decodes it: nothing to catch here.
        }
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains(
                "slide 2 (zune-avx2-idct-valid.jpg) at deck.md:5: the image decoder crashed on \
                 this file"
            ),
            "{stderr}"
        );
        assert!(!dir.path().join("out.epub").exists());
        // -v adds what the decoder said, for a bug report.
        let (code, stderr) = run(
            dir.path(),
            &["-v", "--epub", "--device", "kobo-clara", "-o", "out.epub"],
        );
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains(
                "slide 2: the decoder panicked: called `Option::unwrap()` on a `None` value (at "
            ),
            "{stderr}"
        );
        assert!(stderr.contains("idct/avx2.rs:"), "{stderr}");
        assert!(!stderr.contains("stack backtrace"), "{stderr}");
        // --skip-broken leaves it out like any broken slide.
        let (code, stderr) = run(
            dir.path(),
            &[
                "--epub",
                "--device",
                "kobo-clara",
                "--skip-broken",
                "-o",
                "out.epub",
            ],
        );
        assert_eq!(code, Some(0), "{stderr}");
        assert!(
            stderr.contains("left out 1 slide(s)") && stderr.contains("decoder crashed"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// `image` target, after 15 s (issue 24's campaign, `crash-ae88b899…`): a mutation of the valid
/// file above (228 stray bytes inside its first scan, which libjpeg skips with a warning and
/// the probe cannot see without decoding) on which zune-jpeg panics in its scalar DC-only IDCT
/// (`idct/scalar.rs:36`, "range start index 48 out of range for slice of length 16"): the same
/// upstream bug by another route, and on any CPU. The slide fails with the crash as its error.
#[test]
fn a_panic_in_zune_jpegs_scalar_idct_is_the_slides_error_too() {
    use deckconv::normalize::{probe, Limits};
    let bytes = zune_avx2_idct::data("zune-idct-1x1.jpg");
    probe(&bytes, &Limits::default()).expect("structurally a JPEG");
    let dir = tempfile::tempdir().unwrap();
    let deck = zune_avx2_idct::deck_with(dir.path(), "zune-idct-1x1.jpg", &bytes);
    let output = zune_avx2_idct::deckconv(dir.path())
        .arg(deck.file_name().unwrap())
        .args(["--cbz", "--device", "kobo-clara", "-o", "out.cbz"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("slide 2 (zune-idct-1x1.jpg) at deck.md:5: the image decoder crashed"),
        "{stderr}"
    );
    for banned in ["panicked", "stack backtrace", "scalar.rs"] {
        assert!(!stderr.contains(banned), "{banned:?}:\n{stderr}");
    }
    assert!(!dir.path().join("out.cbz").exists());
}
