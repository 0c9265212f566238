//! Slide sources as written → local paths or http(s) URLs, resolved against the deck.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use url::Url;

use crate::model::SlideSource;

/// What relative sources are resolved against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// A local deck's folder (empty: the current directory).
    Dir(PathBuf),
    /// A remote deck's own URL: it may reference only http(s) resources.
    Url(Url),
}

/// URL schemes that are never a slide image source (and never a Windows drive letter).
const UNSUPPORTED_SCHEMES: &[&str] = &[
    "data",
    "ftp",
    "ftps",
    "sftp",
    "mailto",
    "javascript",
    "about",
    "blob",
    "s3",
    "gs",
    "ssh",
];

/// Resolve one source (Markdown escapes already handled, entities decoded).
pub fn resolve(source: &str, base: &Base) -> Result<SlideSource, String> {
    let source = source.trim();
    if source.is_empty() {
        return Err("empty image source".into());
    }
    if let Ok(url) = Url::parse(source) {
        match url.scheme() {
            "http" | "https" => return Ok(SlideSource::Remote(url)),
            "file" => {
                if matches!(base, Base::Url(_)) {
                    return Err(remote_local_message("a file: URL"));
                }
                return url
                    .to_file_path()
                    .map(SlideSource::Local)
                    .map_err(|()| format!("`{source}` is not a usable file: URL"));
            }
            // `C:\slides\a.png` parses as a URL with scheme `c`.
            scheme if scheme.len() == 1 => {
                if matches!(base, Base::Url(_)) {
                    return Err(remote_local_message("a local path"));
                }
            }
            scheme if UNSUPPORTED_SCHEMES.contains(&scheme) => {
                return Err(format!(
                    "`{scheme}:` sources are not supported (use a file path or an http(s) URL)"
                ));
            }
            _ => {}
        }
    }
    match base {
        Base::Url(deck_url) => {
            if source.starts_with("\\\\") {
                return Err(remote_local_message("a network (UNC) path"));
            }
            let joined = deck_url
                .join(&source.replace('\\', "/"))
                .map_err(|e| format!("cannot resolve against {deck_url}: {e}"))?;
            match joined.scheme() {
                "http" | "https" => Ok(SlideSource::Remote(joined)),
                _ => Err(remote_local_message("a non-http(s) URL")),
            }
        }
        Base::Dir(dir) => {
            // `//host/path` written in a web-oriented deck means the web, not a local path.
            if source.starts_with("//") {
                return Url::parse(&format!("https:{source}"))
                    .map(SlideSource::Remote)
                    .map_err(|e| format!("not a valid URL: {e}"));
            }
            Ok(SlideSource::Local(local_path(source, dir)))
        }
    }
}

fn remote_local_message(what: &str) -> String {
    format!("a remote deck may reference only http(s) resources, not {what}")
}

/// `\` as a separator, percent-encoding decoded (unless only the name as written exists).
fn local_path(source: &str, dir: &Path) -> PathBuf {
    let with_slashes = source.replace('\\', "/");
    let as_written = dir.join(&with_slashes);
    let decoded = match percent_decode_str(&with_slashes).decode_utf8() {
        Ok(d) if d != with_slashes => dir.join(d.as_ref()),
        Ok(_) => return as_written,
        Err(_) => match non_utf8_name(&with_slashes) {
            Some(name) => dir.join(name),
            None => return as_written,
        },
    };
    // A file really named `100%25.png` wins over the decoding only if it exists and the
    // decoded one does not.
    if !decoded.exists() && as_written.exists() {
        as_written
    } else {
        decoded
    }
}

/// A percent-encoded name that is not UTF-8 once decoded (`slide%FF.png`): on Unix, where
/// file names are bytes, that is how a deck can name such a file.
#[cfg(unix)]
fn non_utf8_name(encoded: &str) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    let bytes: Vec<u8> = percent_decode_str(encoded).collect();
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(not(unix))]
fn non_utf8_name(_encoded: &str) -> Option<PathBuf> {
    None
}

/// The file stem of a source (`…/201905130944_4.png` → `201905130944_4`).
pub fn source_stem(source: &SlideSource) -> Option<String> {
    let name = match source {
        SlideSource::Local(p) => p.file_name()?.to_string_lossy().into_owned(),
        SlideSource::Remote(u) => {
            let last = u.path_segments()?.next_back()?;
            percent_decode_str(last).decode_utf8_lossy().into_owned()
        }
        SlideSource::Refused(_) => return None,
    };
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name,
    };
    Some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> Base {
        Base::Dir(PathBuf::from("/decks/qcon"))
    }

    fn remote() -> Base {
        Base::Url(Url::parse("https://example.com/talks/deck.md").unwrap())
    }

    #[test]
    fn local_sources() {
        assert_eq!(
            resolve(r"images\x\a.png", &dir()),
            Ok(SlideSource::Local("/decks/qcon/images/x/a.png".into()))
        );
        assert_eq!(
            resolve("my%20slide.png", &dir()),
            Ok(SlideSource::Local("/decks/qcon/my slide.png".into()))
        );
        assert_eq!(
            resolve("file:///tmp/a%20b.png", &dir()),
            Ok(SlideSource::Local("/tmp/a b.png".into()))
        );
        assert_eq!(
            resolve("/abs/a.png", &dir()),
            Ok(SlideSource::Local("/abs/a.png".into()))
        );
        assert!(resolve("data:image/png;base64,AAAA", &dir()).is_err());
        assert!(resolve("  ", &dir()).is_err());
    }

    #[test]
    fn remote_sources() {
        assert_eq!(
            resolve(r"images\x\a.png", &remote()),
            Ok(SlideSource::Remote(
                Url::parse("https://example.com/talks/images/x/a.png").unwrap()
            ))
        );
        assert_eq!(
            resolve("/img/a b.png", &remote()),
            Ok(SlideSource::Remote(
                Url::parse("https://example.com/img/a%20b.png").unwrap()
            ))
        );
        for local in [
            "file:///etc/passwd",
            r"C:\slides\a.png",
            r"\\server\share\a.png",
        ] {
            let err = resolve(local, &remote()).unwrap_err();
            assert!(err.contains("only http(s)"), "{local}: {err}");
        }
    }

    #[test]
    fn stems() {
        let url = SlideSource::Remote(Url::parse("https://h/x/201905130944_4.png").unwrap());
        assert_eq!(source_stem(&url).as_deref(), Some("201905130944_4"));
        let path = SlideSource::Local("/a/b/slide 7.jpeg".into());
        assert_eq!(source_stem(&path).as_deref(), Some("slide 7"));
    }
}
