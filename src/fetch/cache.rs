//! The persistent download cache: per URL, one body file and one JSON sidecar.
//!
//! Layout, keyed by `K = sha256(url)`:
//! - `K-H.ext` — the body, where `H` is a prefix of the body's own sha256. Naming bodies by
//!   content means two writers of the same URL never overwrite a file someone else is reading
//!   with different bytes, and identical downloads rename onto identical files.
//! - `K.json` — the sidecar (URL, validators, size, body file name). It is renamed into place
//!   after the body, so it is the single commit point: a reader that sees a sidecar sees a
//!   complete body, and a body whose size does not match its sidecar is treated as a miss.
//!
//! Every file is written to a uniquely named temporary file in the cache folder first and
//! renamed (atomic on one file system), so concurrent processes never see partial files.
//!
//! A sidecar's modification time is the entry's last use. After a run that downloaded
//! something, the least recently used entries go until the cache fits its size limit;
//! entries used in the last hour stay, so another run's slides are never taken from under it.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tempfile::{NamedTempFile, TempDir};
use url::Url;

use super::error::CacheError;

/// Prefix of temporary files; anything with it is an unfinished write.
pub(crate) const TEMP_PREFIX: &str = ".part-";
/// Age after which a temporary file is surely not being written any more.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 3600);
/// Entries used this recently are never evicted: a run may still be reading them.
const IN_USE_FOR: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EntryMeta {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub size: u64,
    /// File name of the body inside the cache folder.
    pub body: String,
}

impl EntryMeta {
    /// Whether this sidecar (read from `key`.json) describes `url` and names a body file
    /// in the cache folder itself; anything else is foreign or damaged.
    pub(crate) fn belongs_to(&self, url: &Url, key: &str) -> bool {
        let own_body = self.body.starts_with(key)
            && !self.body.contains(['/', '\\'])
            && !self.body.contains("..");
        self.url == url.as_str() && own_body
    }
}

/// A sidecar's bytes as `lookup` reads them: the body file name it names, if the sidecar is
/// well formed and belongs to `url`. For fuzzing; no file is touched.
pub(crate) fn parse_sidecar(bytes: &[u8], url: &Url) -> Option<String> {
    let meta: EntryMeta = serde_json::from_slice(bytes).ok()?;
    meta.belongs_to(url, &Cache::key(url)).then_some(meta.body)
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub meta: EntryMeta,
    pub path: PathBuf,
}

/// What a finished download brings to the cache.
pub(crate) struct Download {
    pub file: NamedTempFile,
    /// Hex sha256 of the body.
    pub content_hash: String,
    pub extension: &'static str,
    pub size: u64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

pub(crate) struct Cache {
    dir: PathBuf,
    /// Whether this process added a body; eviction runs only then.
    added: AtomicBool,
    /// Held so a fallback folder lives as long as the fetcher (and is removed after).
    _fallback: Option<TempDir>,
}

impl Cache {
    /// Use `dir` (created if needed). If it cannot be created, use a temporary folder for
    /// this run; the second value then says why, for the caller to report.
    pub fn open(dir: Option<PathBuf>) -> Result<(Cache, Option<String>), CacheError> {
        let problem = match dir {
            Some(dir) => match fs::create_dir_all(&dir) {
                Ok(()) => {
                    remove_abandoned_temp_files(&dir);
                    return Ok((
                        Cache {
                            dir,
                            added: AtomicBool::new(false),
                            _fallback: None,
                        },
                        None,
                    ));
                }
                Err(e) => format!("cannot create cache folder {}: {e}", dir.display()),
            },
            None => "no platform cache folder (no home directory?)".to_string(),
        };
        let temp = tempfile::Builder::new()
            .prefix("deckconv-cache-")
            .tempdir()
            .map_err(|e| CacheError::Unusable {
                problem: problem.clone(),
                reason: e.to_string(),
            })?;
        let warning = format!(
            "{problem}; using a temporary cache for this run ({})",
            temp.path().display()
        );
        Ok((
            Cache {
                dir: temp.path().to_path_buf(),
                added: AtomicBool::new(false),
                _fallback: Some(temp),
            },
            Some(warning),
        ))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn key(url: &Url) -> String {
        hex::encode(Sha256::digest(url.as_str().as_bytes()))
    }

    fn sidecar_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }

    fn read_sidecar(&self, key: &str) -> Option<EntryMeta> {
        let text = fs::read(self.sidecar_path(key)).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// A complete, consistent entry for `url`, or `None` (missing, foreign or damaged).
    pub fn lookup(&self, url: &Url) -> Option<Entry> {
        let key = Self::key(url);
        let meta = self
            .read_sidecar(&key)
            .filter(|m| m.belongs_to(url, &key))?;
        let path = self.dir.join(&meta.body);
        let on_disk = fs::metadata(&path).ok()?;
        if !on_disk.is_file() || on_disk.len() != meta.size {
            return None;
        }
        // Record the use (best effort): eviction goes by the sidecar's modification time.
        if let Ok(sidecar) = fs::File::options()
            .write(true)
            .open(self.sidecar_path(&key))
        {
            let _ = sidecar.set_modified(SystemTime::now());
        }
        Some(Entry { meta, path })
    }

    /// A temporary file in the cache folder for a body in transit (removed if dropped).
    pub fn temp_file(&self) -> std::io::Result<NamedTempFile> {
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&self.dir)
    }

    /// Move a finished download into place: body first, then its sidecar.
    pub fn commit(&self, url: &Url, download: Download) -> Result<PathBuf, CacheError> {
        let key = Self::key(url);
        let hash_prefix = download.content_hash.get(..16).unwrap_or("0");
        let body = format!("{key}-{hash_prefix}.{}", download.extension);
        let path = self.dir.join(&body);
        let previous = self.read_sidecar(&key);
        download
            .file
            .persist(&path)
            .map_err(|e| CacheError::Store {
                path: path.clone(),
                reason: e.error.to_string(),
            })?;
        let meta = EntryMeta {
            url: url.to_string(),
            etag: download.etag,
            last_modified: download.last_modified,
            size: download.size,
            body: body.clone(),
        };
        self.write_sidecar(&key, &meta)?;
        self.added.store(true, Ordering::Relaxed);
        // The server's content changed: the old body is no longer referenced.
        if let Some(old) = previous {
            if old.body != body && old.body.starts_with(&key) && !old.body.contains(['/', '\\']) {
                let _ = fs::remove_file(self.dir.join(old.body));
            }
        }
        Ok(path)
    }

    /// Record new validators a server sent with a 304 (the body stays as it is).
    pub fn refresh_validators(
        &self,
        url: &Url,
        entry: &Entry,
        etag: Option<String>,
        last_modified: Option<String>,
    ) {
        let meta = EntryMeta {
            etag: etag.or_else(|| entry.meta.etag.clone()),
            last_modified: last_modified.or_else(|| entry.meta.last_modified.clone()),
            ..entry.meta.clone()
        };
        if meta != entry.meta {
            // Best effort: the old validators still work, just less well.
            let _ = self.write_sidecar(&Self::key(url), &meta);
        }
    }

    fn write_sidecar(&self, key: &str, meta: &EntryMeta) -> Result<(), CacheError> {
        let target = self.sidecar_path(key);
        let fail = |e: &dyn std::fmt::Display| CacheError::Store {
            path: target.clone(),
            reason: e.to_string(),
        };
        let json = serde_json::to_vec_pretty(meta).map_err(|e| fail(&e))?;
        let mut temp = self.temp_file().map_err(|e| fail(&e))?;
        temp.write_all(&json).map_err(|e| fail(&e))?;
        temp.persist(&target).map_err(|e| fail(&e.error))?;
        Ok(())
    }
}

impl Cache {
    /// Evict least recently used entries until the bodies total at most `limit` bytes, if
    /// this process added any. Entries used within `IN_USE_FOR` are kept, whatever their size.
    /// Returns the bytes freed.
    pub fn evict(&self, limit: u64) -> u64 {
        if !self.added.load(Ordering::Relaxed) {
            return 0;
        }
        let cutoff = SystemTime::now()
            .checked_sub(IN_USE_FOR)
            .unwrap_or(SystemTime::UNIX_EPOCH);
        self.evict_unused_since(limit, cutoff)
    }

    fn evict_unused_since(&self, limit: u64, cutoff: SystemTime) -> u64 {
        let Ok(listing) = fs::read_dir(&self.dir) else {
            return 0;
        };
        // (last use, sidecar, body, size) of every complete entry.
        let mut entries: Vec<(SystemTime, PathBuf, PathBuf, u64)> = Vec::new();
        let mut total = 0u64;
        for item in listing.flatten() {
            let name = item.file_name().to_string_lossy().into_owned();
            let Some(key) = name.strip_suffix(".json") else {
                continue;
            };
            let Some(meta) = self.read_sidecar(key) else {
                continue;
            };
            if !meta.body.starts_with(key) || meta.body.contains(['/', '\\']) {
                continue;
            }
            let used = item
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            total += meta.size;
            entries.push((used, item.path(), self.dir.join(&meta.body), meta.size));
        }
        entries.sort_by_key(|(used, ..)| *used);
        let mut freed = 0;
        for (used, sidecar, body, size) in entries {
            if total <= limit || used >= cutoff {
                break;
            }
            // The sidecar first: it is the commit point, so the entry vanishes as a whole.
            if fs::remove_file(&sidecar).is_ok() {
                let _ = fs::remove_file(&body);
                total -= size;
                freed += size;
            }
        }
        freed
    }
}

/// Temporary files a killed run left behind. Only old ones: a young one may belong to a
/// download another process is making right now.
fn remove_abandoned_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok());
        if age.is_some_and(|age| age > ABANDONED_AFTER) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn download(cache: &Cache, bytes: &[u8]) -> Download {
        let mut file = cache.temp_file().unwrap();
        file.write_all(bytes).unwrap();
        Download {
            file,
            content_hash: hex::encode(Sha256::digest(bytes)),
            extension: "png",
            size: bytes.len() as u64,
            etag: Some("\"e1\"".into()),
            last_modified: None,
        }
    }

    #[test]
    fn commit_then_lookup_and_size_mismatch_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, warning) = Cache::open(Some(dir.path().join("c"))).unwrap();
        assert!(warning.is_none());
        let url = Url::parse("https://example.com/a.png").unwrap();
        assert!(cache.lookup(&url).is_none());
        let path = cache.commit(&url, download(&cache, b"first")).unwrap();
        let entry = cache.lookup(&url).unwrap();
        assert_eq!(entry.path, path);
        assert_eq!(entry.meta.etag.as_deref(), Some("\"e1\""));
        assert_eq!(fs::read(&path).unwrap(), b"first");

        // New content replaces the old body file.
        let second = cache.commit(&url, download(&cache, b"second!")).unwrap();
        assert_ne!(second, path);
        assert!(!path.exists());
        assert_eq!(
            fs::read(cache.lookup(&url).unwrap().path).unwrap(),
            b"second!"
        );

        // A damaged body (size differs from the sidecar) is not served.
        fs::write(&second, b"short").unwrap();
        assert!(cache.lookup(&url).is_none());

        let leftovers: Vec<_> = fs::read_dir(cache.dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn least_recently_used_entries_go_first_recent_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, _) = Cache::open(Some(dir.path().to_path_buf())).unwrap();
        let url = |n: usize| Url::parse(&format!("https://example.com/{n}.png")).unwrap();
        let now = SystemTime::now();
        // Five 100-byte entries, last used 5, 4, 3, 2 and 1 days ago.
        for n in 0..5 {
            cache
                .commit(&url(n), download(&cache, &[n as u8; 100]))
                .unwrap();
            let sidecar = cache.sidecar_path(&Cache::key(&url(n)));
            let used = now - Duration::from_secs((5 - n as u64) * 86_400);
            fs::File::options()
                .write(true)
                .open(sidecar)
                .unwrap()
                .set_modified(used)
                .unwrap();
        }
        // A lookup is a use: entry 0 becomes the most recent.
        assert!(cache.lookup(&url(0)).is_some());

        // 500 bytes, limit 300: the two least recently used (1 and 2) go.
        let cutoff = now - Duration::from_secs(3600);
        assert_eq!(cache.evict_unused_since(300, cutoff), 200);
        let kept: Vec<bool> = (0..5).map(|n| cache.lookup(&url(n)).is_some()).collect();
        assert_eq!(kept, [true, false, false, true, true]);

        // Entries used since the cutoff stay even over the limit (entry 0 and, by the
        // lookups above, every other one).
        assert_eq!(cache.evict_unused_since(0, cutoff), 0);
        // Evicted entries leave no body behind.
        let bodies = fs::read_dir(cache.dir())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "png")
            })
            .count();
        assert_eq!(bodies, 3);

        // Nothing is evicted by a process that added nothing.
        let (idle, _) = Cache::open(Some(dir.path().to_path_buf())).unwrap();
        assert_eq!(idle.evict(0), 0);
    }

    #[test]
    fn old_temp_files_are_swept_young_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(format!("{TEMP_PREFIX}old"));
        let young = dir.path().join(format!("{TEMP_PREFIX}young"));
        fs::write(&old, b"x").unwrap();
        fs::write(&young, b"x").unwrap();
        let long_ago = SystemTime::now() - ABANDONED_AFTER * 2;
        fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        Cache::open(Some(dir.path().to_path_buf())).unwrap();
        assert!(!old.exists());
        assert!(young.exists());
    }

    #[test]
    fn uncreatable_folder_falls_back_to_a_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain-file");
        fs::write(&file, b"x").unwrap();
        let (cache, warning) = Cache::open(Some(file.join("sub"))).unwrap();
        assert!(warning.unwrap().contains("temporary cache"));
        assert!(cache.dir().is_dir());
    }
}
