//! What the integrity check costs: every image of a folder read, then probed (header, limits,
//! PNG chunks and CRCs, JPEG markers and entropy data), timed apart.
//!
//! For comparison it also times what the probe no longer does: inflating each PNG's whole IDAT
//! stream (into a scratch buffer, as the old check did).
//!
//!     cargo run --release --example probe_cost -- DIR
use std::time::{Duration, Instant};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: probe_cost DIR");
    let mut files: Vec<_> = walk(std::path::Path::new(&dir));
    files.sort();
    let (mut read, mut probe, mut bytes) = (Duration::ZERO, Duration::ZERO, 0usize);
    let (mut inflate, mut inflated) = (Duration::ZERO, 0u64);
    let limits = deckconv::normalize::Limits::default();
    for path in &files {
        let t = Instant::now();
        let data = std::fs::read(path).expect("readable");
        read += t.elapsed();
        bytes += data.len();
        let t = Instant::now();
        let result = deckconv::normalize::probe(&data, &limits);
        probe += t.elapsed();
        if let Err(e) = result {
            eprintln!("{}: {e}", path.display());
        }
        if data.starts_with(b"\x89PNG") {
            let t = Instant::now();
            inflated += inflate_idat(&data);
            inflate += t.elapsed();
        }
    }
    println!(
        "{} files, {:.1} MiB: read {:.3} s, probe {:.3} s ({:.2} ms a file)",
        files.len(),
        bytes as f64 / 1048576.0,
        read.as_secs_f64(),
        probe.as_secs_f64(),
        probe.as_secs_f64() * 1000.0 / files.len().max(1) as f64
    );
    println!(
        "full IDAT inflate (not done): {:.3} s, {:.0} MiB of rows",
        inflate.as_secs_f64(),
        inflated as f64 / 1048576.0
    );
}

/// Bytes of rows a PNG's IDAT stream inflates to.
fn inflate_idat(png: &[u8]) -> u64 {
    let mut z = flate2::Decompress::new(true);
    let mut scratch = vec![0u8; 32 * 1024];
    let mut pos = 8;
    while pos + 8 <= png.len() {
        let len = u32::from_be_bytes([png[pos], png[pos + 1], png[pos + 2], png[pos + 3]]) as usize;
        let end = (pos + 8 + len).min(png.len());
        if &png[pos + 4..pos + 8] == b"IDAT" {
            let mut data = &png[pos + 8..end];
            while !data.is_empty() {
                let before = z.total_in();
                match z.decompress(data, &mut scratch, flate2::FlushDecompress::None) {
                    Ok(flate2::Status::StreamEnd) | Err(_) => return z.total_out(),
                    Ok(_) => data = &data[(z.total_in() - before) as usize..],
                }
            }
        }
        pos = end + 4;
    }
    z.total_out()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("png" | "jpg" | "jpeg")
        ) {
            out.push(path);
        }
    }
    out
}
