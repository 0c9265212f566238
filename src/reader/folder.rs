//! A folder of slide images in natural order.

use std::cmp::Ordering;
use std::ffi::OsString;
use std::path::Path;

use super::ReadError;

const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"];

fn is_image_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && IMAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
    })
}

/// Natural order (`_4` before `_10`), ties broken byte-wise so the order is total.
pub(crate) fn natural_order(a: &str, b: &str) -> Ordering {
    natord::compare(a, b).then_with(|| a.cmp(b))
}

/// One image file of a folder: its name as the file system has it, and as shown to the user.
pub(crate) struct FolderImage {
    pub name: OsString,
    /// The name decoded lossily (U+FFFD for bytes that are not UTF-8).
    pub shown: String,
}

/// The image files directly in a folder (hidden files and subfolders skipped), sorted naturally.
///
/// Only the folder itself is listed, never its subfolders, so a symlink to a parent folder
/// cannot make a loop. A link to an image is an image; a link named like an image that leads
/// nowhere (dangling, or a loop of links) is kept as a slide, so that the run reports it like
/// any other missing image instead of silently dropping a slide. Names need not be UTF-8:
/// the file is opened by its own name and shown lossily.
pub(crate) fn image_names(dir: &Path) -> Result<Vec<FolderImage>, ReadError> {
    let cannot = |source: std::io::Error| ReadError::Unreadable {
        path: dir.to_path_buf(),
        action: "read folder",
        source,
    };
    let mut images = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let name = entry.file_name();
        let shown = name.to_string_lossy().into_owned();
        if shown.starts_with('.') || !is_image_name(&shown) {
            continue;
        }
        let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
        if !is_dir {
            images.push(FolderImage { name, shown });
        }
    }
    images.sort_by(|a, b| natural_order(&a.shown, &b.shown).then_with(|| a.name.cmp(&b.name)));
    Ok(images)
}

/// The folder's own name, also for `.` or a path ending in `/`.
pub(crate) fn folder_name(dir: &Path) -> Option<String> {
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    name(dir).or_else(|| std::fs::canonicalize(dir).ok().as_deref().and_then(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_puts_4_before_10() {
        let mut names = vec!["s_10.png", "s_4.png", "s_9.PNG", "s_11.png"];
        names.sort_by(|a, b| natural_order(a, b));
        assert_eq!(names, ["s_4.png", "s_9.PNG", "s_10.png", "s_11.png"]);
    }

    #[test]
    fn image_extensions() {
        assert!(is_image_name("a.JPEG"));
        assert!(is_image_name("a.tif"));
        assert!(!is_image_name("a.md"));
        assert!(!is_image_name("png"));
        assert!(!is_image_name(".png"));
    }
}
