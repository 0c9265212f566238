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
//! An evicting process first renames the sidecar away and only then looks at its time once
//! more, while a reader touches the sidecar and then checks it is still in place: whichever
//! order the two meet in, either the reader sees no entry or the evictor sees it in use.
//!
//! A cache folder that cannot be written (read-only, full) does not fail the run: downloads
//! go to a temporary folder of this process instead ("spilled"), and the caller is told.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tempfile::TempDir;
use url::Url;

use super::error::CacheError;
use crate::stop::{self, Registered, TempFile};

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
    pub file: TempFile,
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
    _fallback: Option<(TempDir, Registered)>,
    /// Where downloads go once `dir` could not be written; entries are looked up in both.
    /// The error is kept only to say the spill failed: the write error that asked for it is
    /// the one reported.
    spill: OnceLock<io::Result<(TempDir, Registered)>>,
    /// Warnings not yet handed to the caller.
    warnings: Mutex<Vec<String>>,
}

/// A temporary folder of this process, on the list a forced exit clears.
fn temporary_folder() -> io::Result<(TempDir, Registered)> {
    stop::registered(
        || tempfile::Builder::new().prefix("deckconv-cache-").tempdir(),
        TempDir::path,
    )
}

impl Cache {
    /// Use `dir` (created if needed). If it cannot be created, use a temporary folder for
    /// this run; the second value then says why, for the caller to report. If it cannot be
    /// written, its entries are used and new downloads spill (see [`Cache::take_warnings`]).
    pub fn open(dir: Option<PathBuf>) -> Result<(Cache, Option<String>), CacheError> {
        let problem = match dir {
            Some(dir) => match fs::create_dir_all(&dir) {
                Ok(()) => {
                    let cache = Cache::in_folder(dir, None);
                    match probe_writable(&cache.dir) {
                        Ok(()) => remove_abandoned_temp_files(&cache.dir),
                        // Read-only: its entries still serve, new downloads go elsewhere.
                        Err(e) => {
                            let reason = e.to_string();
                            let dir = cache.dir.clone();
                            cache.spill(&CacheError::Write { dir, reason });
                        }
                    }
                    return Ok((cache, None));
                }
                Err(e) => format!("cannot create cache folder {}: {e}", dir.display()),
            },
            None => "no platform cache folder (no home directory?)".to_string(),
        };
        let temp = temporary_folder().map_err(|e| CacheError::Unusable {
            problem: problem.clone(),
            reason: e.to_string(),
        })?;
        let warning = format!(
            "{problem}; using a temporary cache for this run ({})",
            temp.0.path().display()
        );
        Ok((
            Cache::in_folder(temp.0.path().to_path_buf(), Some(temp)),
            Some(warning),
        ))
    }

    fn in_folder(dir: PathBuf, fallback: Option<(TempDir, Registered)>) -> Cache {
        Cache {
            dir,
            added: AtomicBool::new(false),
            _fallback: fallback,
            spill: OnceLock::new(),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// Warnings since the last call (the cache folder turned out not to be writable).
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// After `error` in writing the cache folder, send this run's downloads to a temporary
    /// folder instead. Whether the write that failed is worth another try there.
    pub fn spill(&self, error: &CacheError) -> bool {
        let at = match error {
            CacheError::Write { dir, .. } => dir,
            CacheError::Store { path, .. } => path,
            CacheError::Unusable { .. } => return false,
        };
        if !at.starts_with(&self.dir) {
            return false; // it failed in the spill folder itself
        }
        let spilled = self.spill.get_or_init(|| {
            let folder = temporary_folder()?;
            let warning = format!(
                "{error}; this run's downloads go to a temporary folder ({}) and are not kept",
                folder.0.path().display()
            );
            self.warnings
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(warning);
            Ok(folder)
        });
        spilled.is_ok()
    }

    /// The folder new files go to.
    pub fn write_dir(&self) -> &Path {
        match self.spill.get() {
            Some(Ok((folder, _))) => folder.path(),
            _ => &self.dir,
        }
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
        read_sidecar_at(&self.sidecar_path(key))
    }

    /// A complete, consistent entry for `url`, or `None` (missing, foreign or damaged).
    pub fn lookup(&self, url: &Url) -> Option<Entry> {
        if let Some(Ok((folder, _))) = self.spill.get() {
            if let Some(entry) = lookup_in(folder.path(), url) {
                return Some(entry);
            }
        }
        lookup_in(&self.dir, url)
    }

    /// A temporary file in the cache folder for a body in transit (removed if dropped).
    #[cfg(test)]
    pub fn temp_file(&self) -> io::Result<TempFile> {
        temp_file_in(self.write_dir())
    }

    /// The same in `dir`, a folder [`Cache::write_dir`] gave.
    pub fn temp_file_in(&self, dir: &Path) -> io::Result<TempFile> {
        temp_file_in(dir)
    }

    /// Move a finished download into place: body first, then its sidecar.
    pub fn commit(&self, url: &Url, download: Download) -> Result<PathBuf, CacheError> {
        // Where the body was written (the cache may have spilled since): a rename there.
        let dir = match download.file.path().parent() {
            Some(dir) => dir.to_path_buf(),
            None => self.write_dir().to_path_buf(),
        };
        let key = Self::key(url);
        let hash_prefix = download.content_hash.get(..16).unwrap_or("0");
        let body = format!("{key}-{hash_prefix}.{}", download.extension);
        let path = dir.join(&body);
        let sidecar = dir.join(format!("{key}.json"));
        let previous = read_sidecar_at(&sidecar);
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
        if let Err(e) = write_sidecar_at(&dir, &sidecar, &meta) {
            // The body is garbage without its sidecar, unless another process committed it.
            if read_sidecar_at(&sidecar).is_none_or(|m| m.body != body) {
                let _ = fs::remove_file(&path);
            }
            return Err(e);
        }
        if dir == self.dir {
            self.added.store(true, Ordering::Relaxed);
        }
        // The server's content changed: the old body is no longer referenced.
        if let Some(old) = previous {
            if old.body != body && old.body.starts_with(&key) && !old.body.contains(['/', '\\']) {
                let _ = fs::remove_file(dir.join(old.body));
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
        write_sidecar_at(&self.dir, &self.sidecar_path(key), meta)
    }
}

fn read_sidecar_at(path: &Path) -> Option<EntryMeta> {
    let text = fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

fn temp_file_in(dir: &Path) -> io::Result<TempFile> {
    TempFile::create(|| {
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)
    })
}

fn write_sidecar_at(dir: &Path, target: &Path, meta: &EntryMeta) -> Result<(), CacheError> {
    let fail = |e: &dyn std::fmt::Display| CacheError::Store {
        path: target.to_path_buf(),
        reason: e.to_string(),
    };
    let json = serde_json::to_vec_pretty(meta).map_err(|e| fail(&e))?;
    let mut temp = temp_file_in(dir).map_err(|e| fail(&e))?;
    temp.write_all(&json).map_err(|e| fail(&e))?;
    temp.persist(target).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// Whether files can be made in `dir` (a read-only folder or file system cannot).
fn probe_writable(dir: &Path) -> io::Result<()> {
    temp_file_in(dir).map(drop)
}

fn lookup_in(dir: &Path, url: &Url) -> Option<Entry> {
    let key = Cache::key(url);
    let sidecar = dir.join(format!("{key}.json"));
    let meta = read_sidecar_at(&sidecar).filter(|m| m.belongs_to(url, &key))?;
    let path = dir.join(&meta.body);
    let on_disk = fs::metadata(&path).ok()?;
    if !on_disk.is_file() || on_disk.len() != meta.size {
        return None;
    }
    if !record_use(&sidecar) {
        return None;
    }
    Some(Entry { meta, path })
}

/// Touch the sidecar (eviction goes by its modification time), then check it is still the
/// one in place: an evicting process renames it away before its last look at the time.
/// False if the entry is going; a cache we may not write is used as it is.
fn record_use(sidecar: &Path) -> bool {
    let touched = fs::File::options()
        .write(true)
        .open(sidecar)
        .and_then(|file| {
            file.set_modified(SystemTime::now())?;
            file.metadata()
        });
    let touched = match touched {
        Ok(meta) => meta,
        Err(e) => return e.kind() != io::ErrorKind::NotFound,
    };
    match fs::metadata(sidecar) {
        Ok(now) => same_file(&touched, &now),
        Err(_) => false,
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
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
            if self.remove_unless_used(&sidecar, &body, cutoff) {
                total -= size;
                freed += size;
            }
        }
        freed
    }

    /// Remove one entry unless it was used since `cutoff` after all (another process may
    /// have looked it up since the listing). The sidecar is the commit point: it goes first,
    /// so the entry vanishes as a whole.
    fn remove_unless_used(&self, sidecar: &Path, body: &Path, cutoff: SystemTime) -> bool {
        let Some(name) = sidecar.file_name() else {
            return false;
        };
        let claimed = self.dir.join(format!(
            "{TEMP_PREFIX}evict-{}-{}",
            std::process::id(),
            name.to_string_lossy()
        ));
        if fs::rename(sidecar, &claimed).is_err() {
            return false;
        }
        let used = fs::metadata(&claimed).and_then(|m| m.modified());
        let still_names_body = read_sidecar_at(&claimed)
            .is_some_and(|m| body.file_name().is_some_and(|b| *b == *m.body));
        if used.is_ok_and(|used| used < cutoff) && still_names_body {
            let _ = fs::remove_file(&claimed);
            let _ = fs::remove_file(body);
            return true;
        }
        // In use (or rewritten) after all: back into place, unless a newer one took it.
        let _ = fs::hard_link(&claimed, sidecar);
        let _ = fs::remove_file(&claimed);
        false
    }
}

/// What [`check`] found in a cache folder.
#[derive(Debug, Default)]
pub struct CacheCheck {
    /// Complete entries: a sidecar whose body has the recorded size and content hash.
    pub entries: usize,
    /// Sidecars that promise what is not there (a missing, short or altered body).
    pub problems: Vec<String>,
    /// Unfinished writes (normal only while some process is writing).
    pub temp_files: Vec<PathBuf>,
    /// Bodies no sidecar names (harmless: never served; left by a write cut short).
    pub orphan_bodies: Vec<PathBuf>,
}

impl CacheCheck {
    /// No entry is damaged and no write is unfinished.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.temp_files.is_empty()
    }
}

/// Check every entry of the cache folder `dir`: each sidecar's body must exist with the
/// recorded size and the content hash its name carries. Reads every body.
pub fn check(dir: &Path) -> io::Result<CacheCheck> {
    let mut report = CacheCheck::default();
    let mut bodies = Vec::new();
    let mut named = std::collections::HashSet::new();
    for item in fs::read_dir(dir)? {
        let item = item?;
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) {
            report.temp_files.push(item.path());
            continue;
        }
        let Some(key) = name.strip_suffix(".json") else {
            bodies.push((name, item.path()));
            continue;
        };
        let Some(meta) = read_sidecar_at(&item.path()) else {
            report
                .problems
                .push(format!("{name}: not a readable sidecar"));
            continue;
        };
        named.insert(meta.body.clone());
        match check_body(dir, key, &meta) {
            Ok(()) => report.entries += 1,
            Err(problem) => report.problems.push(format!("{name}: {problem}")),
        }
    }
    report.orphan_bodies = bodies
        .into_iter()
        .filter(|(name, _)| !named.contains(name))
        .map(|(_, path)| path)
        .collect();
    Ok(report)
}

/// What is wrong with one cache entry (a sidecar and its body), as [`check`] lists it.
#[derive(Debug, thiserror::Error)]
enum BodyProblem {
    /// The sidecar names a body of another key, or a path outside the folder.
    #[error("names a foreign body {body}")]
    Foreign { body: String },
    #[error("body {body}: {source}")]
    Unreadable {
        body: String,
        #[source]
        source: io::Error,
    },
    #[error("body {body} has {size} bytes, not {expected}")]
    Size {
        body: String,
        size: u64,
        expected: u64,
    },
    #[error("body {body} does not match its hash")]
    Hash { body: String },
}

fn check_body(dir: &Path, key: &str, meta: &EntryMeta) -> Result<(), BodyProblem> {
    let body = || meta.body.clone();
    let unreadable = |source| BodyProblem::Unreadable {
        body: body(),
        source,
    };
    let hash_prefix = meta
        .body
        .strip_prefix(key)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.split('.').next())
        .filter(|_| !meta.body.contains(['/', '\\']))
        .ok_or_else(|| BodyProblem::Foreign { body: body() })?;
    let mut file = fs::File::open(dir.join(&meta.body)).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    if size != meta.size {
        return Err(BodyProblem::Size {
            body: body(),
            size,
            expected: meta.size,
        });
    }
    if !hex::encode(hasher.finalize()).starts_with(hash_prefix) {
        return Err(BodyProblem::Hash { body: body() });
    }
    Ok(())
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
    fn an_entry_looked_up_after_the_eviction_listing_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, _) = Cache::open(Some(dir.path().to_path_buf())).unwrap();
        let url = Url::parse("https://example.com/a.png").unwrap();
        let body = cache.commit(&url, download(&cache, b"body")).unwrap();
        let sidecar = cache.sidecar_path(&Cache::key(&url));
        let long_ago = SystemTime::now() - Duration::from_secs(2 * 86_400);
        let age = || {
            fs::File::options()
                .write(true)
                .open(&sidecar)
                .unwrap()
                .set_modified(long_ago)
                .unwrap()
        };
        age();
        let cutoff = SystemTime::now() - IN_USE_FOR;
        // The evictor listed the entry as unused; then a reader looked it up.
        assert!(cache.lookup(&url).is_some());
        assert!(!cache.remove_unless_used(&sidecar, &body, cutoff));
        assert_eq!(fs::read(&body).unwrap(), b"body");
        assert!(cache.lookup(&url).is_some());

        // Unused, it goes as a whole, and a lookup after that finds nothing.
        age();
        assert!(cache.remove_unless_used(&sidecar, &body, cutoff));
        assert!(!body.exists() && !sidecar.exists());
        assert!(cache.lookup(&url).is_none());
        let check = check(cache.dir()).unwrap();
        assert!(check.is_clean() && check.entries == 0, "{check:?}");
    }

    #[test]
    fn check_finds_damaged_bodies_and_unfinished_writes() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, _) = Cache::open(Some(dir.path().to_path_buf())).unwrap();
        let url = |n: usize| Url::parse(&format!("https://example.com/{n}.png")).unwrap();
        let first = cache.commit(&url(0), download(&cache, b"first")).unwrap();
        cache.commit(&url(1), download(&cache, b"second")).unwrap();
        assert_eq!(check(cache.dir()).unwrap().entries, 2);
        fs::write(&first, b"FIRST").unwrap(); // same size, other bytes
        let unfinished = cache.temp_file().unwrap();
        let report = check(cache.dir()).unwrap();
        assert_eq!(report.entries, 1);
        assert_eq!(report.problems.len(), 1, "{report:?}");
        assert!(report.problems[0].contains("hash"), "{report:?}");
        assert_eq!(report.temp_files.len(), 1);
        drop(unfinished);
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
