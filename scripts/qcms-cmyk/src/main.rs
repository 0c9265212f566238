//! `qcms-cmyk PROFILE.icc < INKS`: each input line "C M Y K" (0-255, 255 full ink) converted
//! from the profile to sRGB as pdf.js does it (`qcms_transformer_from_memory` in pdf.js's qcms
//! wrapper: perceptual intent, to qcms's own sRGB, RGB8), one "R G B" line each.
use std::io::{BufRead, Write};

fn main() {
    let path = std::env::args().nth(1).expect("usage: qcms-cmyk PROFILE.icc < INKS");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let input = qcms::Profile::new_from_slice(&bytes, false)
        .unwrap_or_else(|| panic!("qcms does not read {path}"));
    let mut output = qcms::Profile::new_sRGB();
    output.precache_output_transform();
    let transform = qcms::Transform::new_to(
        &input,
        &output,
        qcms::DataType::CMYK,
        qcms::DataType::RGB8,
        qcms::Intent::Perceptual,
    )
    .unwrap_or_else(|| panic!("qcms makes no CMYK transform of {path}"));
    let mut inks = Vec::new();
    for line in std::io::stdin().lock().lines() {
        for value in line.unwrap().split_whitespace() {
            inks.push(value.parse::<u8>().expect("inks are 0-255"));
        }
    }
    let mut rgb = vec![0u8; inks.len() / 4 * 3];
    transform.convert(&inks, &mut rgb);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for pixel in rgb.chunks(3) {
        writeln!(out, "{} {} {}", pixel[0], pixel[1], pixel[2]).unwrap();
    }
}
