//! Stopping a run from outside (Ctrl-C, `kill`): a flag the stages look at between slides
//! and between chunks of a download, and a list of the temporary files this process is
//! writing, so that a forced exit (which runs no destructors) can still remove them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tempfile::NamedTempFile;

/// Set once the run should stop; shared by every stage (cloning shares the flag).
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn new() -> Self {
        Stop::default()
    }

    /// The flag itself, for a signal handler to set.
    pub fn flag(&self) -> &Arc<AtomicBool> {
        &self.0
    }

    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn requested(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Paths of the temporary files and folders alive in this process.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// A temporary path on the list until dropped.
#[derive(Debug)]
pub(crate) struct Registered(PathBuf);

impl Drop for Registered {
    fn drop(&mut self) {
        let mut live = live();
        if let Some(at) = live.iter().position(|p| *p == self.0) {
            live.swap_remove(at);
        }
    }
}

/// Make a temporary file or folder and list it, under one lock: a forced exit in between
/// would otherwise leave a file nobody knows of.
pub(crate) fn registered<T>(
    make: impl FnOnce() -> io::Result<T>,
    path_of: impl FnOnce(&T) -> &Path,
) -> io::Result<(T, Registered)> {
    let mut live = live();
    let made = make()?;
    let path = path_of(&made).to_path_buf();
    live.push(path.clone());
    Ok((made, Registered(path)))
}

/// A [`NamedTempFile`] on the list: removed when dropped, as usual, or by
/// [`remove_temporary_files`] on a forced exit.
#[derive(Debug)]
pub(crate) struct TempFile {
    file: NamedTempFile,
    _listed: Registered,
}

impl TempFile {
    pub fn create(make: impl FnOnce() -> io::Result<NamedTempFile>) -> io::Result<TempFile> {
        let (file, listed) = registered(make, NamedTempFile::path)?;
        Ok(TempFile {
            file,
            _listed: listed,
        })
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    pub fn reopen(&self) -> io::Result<fs::File> {
        self.file.reopen()
    }

    /// Rename into place (then off the list; removing a renamed path finds nothing).
    pub fn persist(self, target: &Path) -> Result<fs::File, tempfile::PersistError> {
        self.file.persist(target)
    }
}

impl io::Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Remove every listed temporary file and folder, for an exit that skips destructors.
/// Returns the list's lock: whoever exits holds it, so no new file is made in the meantime.
pub fn remove_temporary_files() -> MutexGuard<'static, Vec<PathBuf>> {
    let live = live();
    remove_all(&live);
    live
}

fn remove_all(paths: &[PathBuf]) {
    for path in paths {
        if path.is_dir() {
            let _ = fs::remove_dir_all(path);
        } else {
            let _ = fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The list is the process's: other tests running at the same time have files on it, so
    // this test removes only its own.
    #[test]
    fn temporary_files_are_listed_while_alive() {
        let dir = tempfile::tempdir().unwrap();
        let kept = TempFile::create(|| NamedTempFile::new_in(dir.path())).unwrap();
        let path = kept.file.path().to_path_buf();
        let dropped = TempFile::create(|| NamedTempFile::new_in(dir.path())).unwrap();
        let dropped_path = dropped.file.path().to_path_buf();
        drop(dropped);
        assert!(live().contains(&path));
        assert!(!live().contains(&dropped_path));
        remove_all(std::slice::from_ref(&path));
        assert!(!path.exists());
        drop(kept);
        assert!(!live().contains(&path));
    }
}
