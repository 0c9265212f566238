//! Broken images are named: a JPEG cut short or with damaged scan data, a PNG with a bad CRC,
//! a cut IDAT or no IEND, a GIF/WebP/TIFF that does not decode — each fails its slide with a
//! message naming the slide and the reason (or, with `--skip-broken`, is left out with a
//! warning), and is never embedded as it is. The broken files are made from the example
//! deck's real slides. Also the regression inputs the fuzz targets found (fuzz/README.md).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use deckconv::normalize::{probe, Limits, ProbeError};
use predicates::prelude::*;

fn example(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/qcon-shanghai-2018/images/673764946qgTHbi")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A real JPEG and a real PNG slide of the example deck.
fn real_jpeg() -> Vec<u8> {
    example("201905181115_10.jpg")
}
fn real_png() -> Vec<u8> {
    example("201905181115_4.png")
}

/// Offset of the first byte after the (first) scan header.
fn scan_start(jpeg: &[u8]) -> usize {
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    sos + 2 + usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]))
}

/// Offset and length of the first chunk of this kind.
fn chunk(png: &[u8], kind: &[u8; 4]) -> (usize, usize) {
    let mut pos = 8;
    loop {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        if &png[pos + 4..pos + 8] == kind {
            return (pos, len);
        }
        pos += 12 + len;
    }
}

fn fix_crc(png: &mut [u8], pos: usize, len: usize) {
    let mut crc = flate2::Crc::new();
    crc.update(&png[pos + 4..pos + 8 + len]);
    png[pos + 8 + len..pos + 12 + len].copy_from_slice(&crc.sum().to_be_bytes());
}

fn corrupt_reason(bytes: &[u8]) -> String {
    match probe(bytes, &Limits::default()) {
        Err(ProbeError::Corrupt(why) | ProbeError::Unsupported(why)) => why,
        other => panic!("expected a corrupt or unsupported image, got {other:?}"),
    }
}

/// A JPEG's marker segments in order, each as (marker, offset of its FF, length of the
/// segment with its marker), entropy-coded data skipped.
fn jpeg_segments(jpeg: &[u8]) -> Vec<(u8, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 2;
    while jpeg[pos + 1] != 0xD9 {
        let len = 2 + usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
        out.push((jpeg[pos + 1], pos, len));
        pos += len;
        if jpeg[pos - len + 1] == 0xDA {
            // Entropy-coded data ends at the first FF that is neither stuffing nor RSTn.
            while jpeg[pos] != 0xFF || matches!(jpeg[pos + 1], 0x00 | 0xD0..=0xD7) {
                pos += 1;
            }
        }
    }
    out
}

/// The `n`th scan header's Ss, Se and Ah/Al bytes' offset.
fn scan_params(jpeg: &[u8], n: usize) -> usize {
    let (_, pos, len) = jpeg_segments(jpeg)
        .into_iter()
        .filter(|s| s.0 == 0xDA)
        .nth(n)
        .unwrap();
    pos + len - 3
}

fn encode(image: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// The broken slides, each with words its message must hold.
fn broken_files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let jpeg = real_jpeg();
    let png = real_png();
    let mut out = Vec::new();
    // A JPEG cut in half.
    out.push((
        "cut_1.jpg",
        jpeg[..jpeg.len() / 2].to_vec(),
        "end marker (EOI)",
    ));
    // A JPEG whose scan data is overwritten (a run of bytes from another file).
    let mut overwritten = jpeg.clone();
    let at = scan_start(&jpeg) + 2000;
    overwritten[at..at + 64].copy_from_slice(&[0xFF; 64]);
    out.push(("overwritten_2.jpg", overwritten, "image data is damaged"));
    // A JPEG whose end marker is gone (the last two bytes).
    out.push((
        "noeoi_3.jpg",
        jpeg[..jpeg.len() - 2].to_vec(),
        "end marker (EOI)",
    ));
    // A PNG with one byte of its image data flipped (the CRC no longer matches).
    let mut flipped = png.clone();
    let (idat, _) = chunk(&png, b"IDAT");
    flipped[idat + 8 + 100] ^= 0x40;
    out.push(("badcrc_4.png", flipped, "bad CRC in the IDAT chunk"));
    // A PNG cut inside its image data.
    let (idat, len) = chunk(&png, b"IDAT");
    out.push(("cut_5.png", png[..idat + 8 + len / 2].to_vec(), "cut short"));
    // A PNG without IEND.
    let (iend, _) = chunk(&png, b"IEND");
    out.push(("noiend_6.png", png[..iend].to_vec(), "no IEND"));
    // A baseline JPEG whose scan header asks for a spectral band (Ss=1): what MuPDF calls
    // "Invalid SOS parameters for sequential JPEG" (issue 24).
    let mut band = jpeg.clone();
    band[scan_params(&jpeg, 0)] = 1;
    out.push((
        "badscan_10.jpg",
        band,
        "invalid scan parameters for a sequential JPEG (Ss=1, Se=63, Ah=0, Al=0",
    ));
    // A progressive JPEG whose luma refinement scan starts from a bit no scan left.
    let progressive = example("201905181115_13.jpg");
    let mut jump = progressive.clone();
    jump[scan_params(&progressive, 5) + 2] = 0x32;
    out.push((
        "progression_11.jpg",
        jump,
        "refines coefficient 1 of component 1 from bit 3, where the previous scan left bit 2",
    ));
    // A Motion-JPEG-style frame: the same baseline JPEG without its Huffman tables.
    let mut abbreviated = jpeg[..2].to_vec();
    let mut last = 2;
    for (marker, pos, len) in jpeg_segments(&jpeg) {
        abbreviated.extend_from_slice(&jpeg[last..pos]);
        if marker != 0xC4 {
            abbreviated.extend_from_slice(&jpeg[pos..pos + len]);
        }
        last = pos + len;
    }
    abbreviated.extend_from_slice(&jpeg[last..]);
    out.push((
        "mjpeg_12.jpg",
        abbreviated,
        "an abbreviated JPEG (tables defined elsewhere, as in a Motion-JPEG frame)",
    ));
    // A GIF, a WebP and a TIFF that do not decode (cut short).
    let slide = image::load_from_memory(&png).unwrap().resize(
        160,
        90,
        image::imageops::FilterType::Triangle,
    );
    for (name, format) in [
        ("cut_13.gif", image::ImageFormat::Gif),
        ("cut_14.webp", image::ImageFormat::WebP),
        ("cut_15.tif", image::ImageFormat::Tiff),
    ] {
        let rgb = image::DynamicImage::ImageRgb8(slide.to_rgb8());
        let bytes = encode(&rgb, format);
        out.push((name, bytes[..bytes.len() * 2 / 3].to_vec(), "cannot decode"));
    }
    out
}

fn deckconv(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deckconv").expect("binary built");
    cmd.current_dir(cwd).env("SOURCE_DATE_EPOCH", "1557734400");
    cmd
}

/// A deck: one good slide, then `broken`, then another good slide.
fn deck_with(dir: &Path, broken: &[(&str, Vec<u8>)]) -> PathBuf {
    fs::write(dir.join("good_0.png"), real_png()).unwrap();
    fs::write(dir.join("good_99.jpg"), real_jpeg()).unwrap();
    let mut md = String::from("# Broken slides\n\n![](good_0.png)\n\n");
    for (name, bytes) in broken {
        fs::write(dir.join(name), bytes).unwrap();
        md.push_str(&format!("![]({name})\n\n"));
    }
    md.push_str("![](good_99.jpg)\n");
    let deck = dir.join("deck.md");
    fs::write(&deck, md).unwrap();
    deck
}

#[test]
fn the_probe_names_each_kind_of_damage() {
    for (name, bytes, reason) in broken_files() {
        if name.ends_with(".jpg") || name.ends_with(".png") {
            let why = corrupt_reason(&bytes);
            assert!(
                why.contains(reason),
                "{name}: {why:?} should say {reason:?}"
            );
        }
    }
    // The real files themselves pass.
    probe(&real_jpeg(), &Limits::default()).unwrap();
    probe(&real_png(), &Limits::default()).unwrap();
}

/// The real PNG with its zlib stream cut after `keep` bytes, the chunk's length and CRC fixed:
/// damage no transfer makes (only a broken encoder), invisible to the chunks' CRCs.
fn png_cut_behind_good_crcs(keep_of: impl Fn(usize) -> usize) -> Vec<u8> {
    let png = real_png();
    let (idat, len) = chunk(&png, b"IDAT");
    let keep = keep_of(len);
    let mut cut = png[..idat + 8 + keep].to_vec();
    cut[idat..idat + 4].copy_from_slice(&(keep as u32).to_be_bytes());
    cut.extend_from_slice(&[0; 4]);
    fix_crc(&mut cut, idat, keep);
    let (iend, _) = chunk(&png, b"IEND");
    cut.extend_from_slice(&png[iend..]);
    cut
}

#[test]
fn a_png_whose_compressed_data_ends_early_behind_good_crcs_is_named() {
    // Cut within the rows the probe inflates (the first 64 KiB): the probe names it.
    let early = png_cut_behind_good_crcs(|_| 40);
    let why = corrupt_reason(&early);
    assert!(why.contains("image data ends early"), "{why}");
    // Cut further on: the probe checks the CRCs only there (a full inflate doubled a
    // passthrough PDF's CPU, see `check_png`), and the decoder names it wherever pixels are
    // decoded.
    let late = png_cut_behind_good_crcs(|len| len / 2);
    let info = probe(&late, &Limits::default()).expect("CRCs and structure are intact");
    let err = deckconv::normalize::decode(&late, &info, &Limits::default())
        .expect_err("the decoder sees the stream end early");
    assert!(err.to_string().contains("png"), "{err}");
}

#[test]
fn a_png_row_with_an_invalid_filter_type_is_named() {
    use std::io::Write;
    let (width, height) = (8u32, 4u32);
    let mut raw = Vec::new();
    for row in 0..height {
        raw.push(if row == 2 { 9 } else { 0 });
        raw.extend(std::iter::repeat_n(0x80u8, width as usize * 3));
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let idat = z.finish().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut put = |kind: &[u8; 4], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    put(b"IHDR", &ihdr);
    put(b"IDAT", &idat);
    put(b"IEND", &[]);
    let why = corrupt_reason(&png);
    assert!(why.contains("invalid row filter type 9"), "{why}");
}

#[test]
fn jpeg_restart_markers_out_of_sequence_are_named_in_sequence_pass() {
    let slide = image::load_from_memory(&real_jpeg()).unwrap().to_rgb8();
    let mut jpeg = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut jpeg, 80);
    encoder.set_restart_interval(4);
    encoder
        .encode(
            slide.as_raw(),
            slide.width() as u16,
            slide.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    probe(&jpeg, &Limits::default()).expect("restart markers in sequence pass");
    // Swap the numbers of two restart markers, as a damaged copy might.
    let scan = scan_start(&jpeg);
    let rst: Vec<usize> = (scan..jpeg.len() - 1)
        .filter(|&i| jpeg[i] == 0xFF && (0xD0..=0xD7).contains(&jpeg[i + 1]))
        .collect();
    assert!(rst.len() > 8, "the encoder wrote restart markers");
    let mut swapped = jpeg.clone();
    swapped.swap(rst[3] + 1, rst[4] + 1);
    let why = corrupt_reason(&swapped);
    assert!(
        why.contains("restart marker RST4 where RST3 was due"),
        "{why}"
    );
}

#[test]
fn progressive_cmyk_and_interlaced_files_still_pass() {
    let slide = image::load_from_memory(&real_png()).unwrap();
    for format in [image::ImageFormat::Png, image::ImageFormat::Jpeg] {
        probe(&encode(&slide, format), &Limits::default()).unwrap();
    }
    // Every real slide of the example deck (baseline, progressive, palette, grey…) passes.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/qcon-shanghai-2018/images/673764946qgTHbi");
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        probe(&fs::read(&path).unwrap(), &Limits::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn each_broken_slide_fails_the_run_with_its_name_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let files = broken_files();
    let pairs: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b, _)| (*n, b.clone())).collect();
    let deck = deck_with(dir.path(), &pairs);
    let assert = deckconv(dir.path())
        .arg(&deck)
        .args(["--pdf", "-o", "out.pdf"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for (i, (name, _, reason)) in files.iter().enumerate() {
        let slide = format!("slide {}", i + 2);
        assert!(stderr.contains(name), "{name} not named:\n{stderr}");
        assert!(
            stderr.contains(reason),
            "{name}: reason {reason:?} missing:\n{stderr}"
        );
        assert!(stderr.contains(&slide), "{slide} missing:\n{stderr}");
    }
    assert!(!dir.path().join("out.pdf").exists());
}

#[test]
fn skip_broken_leaves_each_broken_slide_out_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let files = broken_files();
    let pairs: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b, _)| (*n, b.clone())).collect();
    let deck = deck_with(dir.path(), &pairs);
    for (format, out) in [("--pdf", "out.pdf"), ("--epub", "out.epub")] {
        let assert = deckconv(dir.path())
            .arg(&deck)
            .args([format, "--skip-broken", "-o", out])
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "left out {} slide(s)",
                files.len()
            )));
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        for (name, _, reason) in &files {
            assert!(
                stderr.contains(name) && stderr.contains(reason),
                "{format} {name}:\n{stderr}"
            );
        }
        assert!(dir.path().join(out).exists());
    }
}

#[test]
fn a_broken_gif_or_webp_is_never_put_into_an_epub_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(&str, Vec<u8>)> = broken_files()
        .into_iter()
        .filter(|(n, _, _)| n.ends_with(".gif") || n.ends_with(".webp"))
        .map(|(n, b, _)| (n, b))
        .collect();
    let deck = deck_with(dir.path(), &files);
    deckconv(dir.path())
        .arg(&deck)
        .args(["--epub", "-o", "out.epub"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cut_13.gif"))
        .stderr(predicate::str::contains("cut_14.webp"))
        .stderr(predicate::str::contains("cannot decode"));
    assert!(!dir.path().join("out.epub").exists());
}

#[test]
fn every_valid_image_of_the_fuzz_seeds_passes_the_stricter_probe() {
    // Baseline, progressive (libjpeg's scan script and one with restart markers), CMYK, grey,
    // EXIF-rotated, ICC-tagged and unusually sampled JPEGs; palette, 16-bit, RGBA, iCCP PNGs;
    // GIF, WebP, BMP, TIFF. Only the fuzzer's malformed JPEG is refused.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut passed = 0;
    for target in ["probe", "image"] {
        for entry in fs::read_dir(root.join(target)).unwrap() {
            let path = entry.unwrap().path();
            let result = probe(&fs::read(&path).unwrap(), &Limits::default());
            if path.ends_with("zune-avx2-idct.jpg") {
                assert!(result.is_err(), "{}", path.display());
            } else {
                result.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                passed += 1;
            }
        }
    }
    assert!(passed >= 40, "{passed} seeds");
}
