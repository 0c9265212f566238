//! A folder of slide images in natural order.

use std::cmp::Ordering;
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

/// The image files directly in a folder (hidden files and subfolders skipped), sorted naturally.
pub(crate) fn image_names(dir: &Path) -> Result<Vec<String>, ReadError> {
    let cannot = |source: std::io::Error| ReadError::Unreadable {
        path: dir.to_path_buf(),
        action: "read folder",
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let Ok(name) = entry.file_name().into_string() else {
            // A name that is not Unicode cannot be a slide of a published deck; skip it.
            continue;
        };
        if name.starts_with('.') || !is_image_name(&name) {
            continue;
        }
        // Follows symlinks: a link to an image is an image.
        if std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
            names.push(name);
        }
    }
    names.sort_by(|a, b| natural_order(a, b));
    Ok(names)
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
