//! Recognised text cached on disk, keyed by the image's bytes, the model version and the
//! language, so a rerun recognises nothing again (and `--offline` runs can use it).
//!
//! One JSON file per page, `<dir>/<key>.json`, written to a temporary file in the same folder
//! and renamed into place, so readers never see half an entry. An entry that cannot be read or
//! parsed, or that belongs to another key, is a miss (the caller recognises again and stores
//! over it), never an error.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Lang, PageText};

/// Bumped when the entry format or the engine's post-processing changes what a page yields.
const FORMAT: u32 = 2;

/// The key of a page's entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key(String);

impl Key {
    /// From the image file's bytes as fetched (before decoding), the engine's
    /// [`model_version`](super::Recognizer::model_version) and language.
    pub fn new(image_bytes: &[u8], model_version: &str, lang: Lang) -> Key {
        Key::from_image_sha256(
            &hex::encode(Sha256::digest(image_bytes)),
            model_version,
            lang,
        )
    }

    /// As [`Key::new`], for a caller that already has the image's sha256 (hex).
    pub fn from_image_sha256(image_sha256: &str, model_version: &str, lang: Lang) -> Key {
        let mut h = Sha256::new();
        for part in [
            &format!("deckconv-ocr-{FORMAT}"),
            image_sha256,
            model_version,
            lang.tag(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        Key(hex::encode(h.finalize()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    format: u32,
    key: String,
    page: PageText,
}

/// Where the entry for `key` lives under `dir`.
pub fn entry_path(dir: &Path, key: &Key) -> PathBuf {
    dir.join(format!("{}.json", key.0))
}

/// The cached text for `key`, or `None` (no entry, unreadable, corrupted, another format).
pub fn load(dir: &Path, key: &Key) -> Option<PageText> {
    let bytes = std::fs::read(entry_path(dir, key)).ok()?;
    let e: Entry = serde_json::from_slice(&bytes).ok()?;
    (e.format == FORMAT && e.key == key.0).then_some(e.page)
}

/// Store `page` for `key` under `dir` (created if missing), atomically.
pub fn store(dir: &Path, key: &Key, page: &PageText) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_vec(&Entry {
        format: FORMAT,
        key: key.0.clone(),
        page: page.clone(),
    })
    .map_err(std::io::Error::other)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".ocr-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(&json)?;
    tmp.as_file().sync_data()?;
    tmp.persist(entry_path(dir, key)).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::{Line, Rect, Word};

    fn page() -> PageText {
        let bbox = Rect::new(1.0, 2.0, 30.0, 12.0);
        PageText {
            width: 64,
            height: 48,
            lines: vec![Line {
                text: "服务 A".into(),
                bbox,
                confidence: 0.97,
                words: vec![
                    Word {
                        text: "服".into(),
                        bbox: Rect::new(1.0, 2.0, 8.0, 12.0),
                    },
                    Word {
                        text: "务".into(),
                        bbox: Rect::new(8.0, 2.0, 15.0, 12.0),
                    },
                    Word {
                        text: "A".into(),
                        bbox: Rect::new(20.0, 2.0, 30.0, 12.0),
                    },
                ],
            }],
        }
    }

    #[test]
    fn round_trip_and_keys_differ_by_every_part() {
        let dir = tempfile::tempdir().unwrap();
        let k = Key::new(b"png bytes", "ppocrv4-abc", Lang::ChiSimEng);
        assert!(load(dir.path(), &k).is_none());
        store(dir.path(), &k, &page()).unwrap();
        assert_eq!(load(dir.path(), &k), Some(page()));
        assert_ne!(k, Key::new(b"png bytes!", "ppocrv4-abc", Lang::ChiSimEng));
        assert_ne!(k, Key::new(b"png bytes", "ppocrv4-abd", Lang::ChiSimEng));
        assert_eq!(
            k,
            Key::from_image_sha256(
                &hex::encode(Sha256::digest(b"png bytes")),
                "ppocrv4-abc",
                Lang::ChiSimEng
            )
        );
        // No temporary files left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn corrupted_or_foreign_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let k = Key::new(b"x", "v", Lang::ChiSimEng);
        std::fs::write(entry_path(dir.path(), &k), b"{\"format\":1,\"key\":").unwrap();
        assert!(load(dir.path(), &k).is_none());
        std::fs::write(entry_path(dir.path(), &k), [0xff, 0xfe, 0]).unwrap();
        assert!(load(dir.path(), &k).is_none());
        // An entry copied under another key's name.
        let other = Key::new(b"y", "v", Lang::ChiSimEng);
        store(dir.path(), &other, &page()).unwrap();
        std::fs::copy(entry_path(dir.path(), &other), entry_path(dir.path(), &k)).unwrap();
        assert!(load(dir.path(), &k).is_none());
        // Storing over a corrupted entry repairs it.
        store(dir.path(), &k, &page()).unwrap();
        assert_eq!(load(dir.path(), &k), Some(page()));
    }
}
