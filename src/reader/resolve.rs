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

/// Why a slide's source was refused before any fetch; the slide fails with it, listed with
/// every other failure of the run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("empty image source")]
    Empty,
    /// A remote deck reaching for something that is not http(s): `what` it was.
    #[error("a remote deck may reference only http(s) resources, not {what}")]
    NotHttp { what: &'static str },
    #[error("`{0}` is not a usable file: URL")]
    FileUrl(String),
    #[error("`{0}:` sources are not supported (use a file path or an http(s) URL)")]
    Scheme(String),
    #[error("cannot resolve against {base}: {reason}")]
    Unresolvable { base: String, reason: String },
    #[error("not a valid URL: {0}")]
    InvalidUrl(String),
    #[error("a data: URL without `,` before its data")]
    DataWithoutComma,
    #[error("a data: URL whose base64 does not decode")]
    DataBase64,
}

/// Resolve one source (Markdown escapes already handled, entities decoded).
pub fn resolve(source: &str, base: &Base) -> Result<SlideSource, Refusal> {
    let source = source.trim();
    if source.is_empty() {
        return Err(Refusal::Empty);
    }
    // An embedded image is the deck's own content, whatever the deck's origin.
    if source
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"))
    {
        return data_image(source).map(|bytes| SlideSource::Data(std::sync::Arc::new(bytes)));
    }
    if let Ok(url) = Url::parse(source) {
        match url.scheme() {
            "http" | "https" => return Ok(SlideSource::Remote(url)),
            "file" => {
                if matches!(base, Base::Url(_)) {
                    return Err(Refusal::NotHttp {
                        what: "a file: URL",
                    });
                }
                return url
                    .to_file_path()
                    .map(SlideSource::Local)
                    .map_err(|()| Refusal::FileUrl(source.to_string()));
            }
            // `C:\slides\a.png` parses as a URL with scheme `c`.
            scheme if scheme.len() == 1 => {
                if matches!(base, Base::Url(_)) {
                    return Err(Refusal::NotHttp {
                        what: "a local path",
                    });
                }
            }
            scheme if UNSUPPORTED_SCHEMES.contains(&scheme) => {
                return Err(Refusal::Scheme(scheme.to_string()));
            }
            _ => {}
        }
    }
    match base {
        Base::Url(deck_url) => {
            if source.starts_with("\\\\") {
                return Err(Refusal::NotHttp {
                    what: "a network (UNC) path",
                });
            }
            let joined =
                deck_url
                    .join(&source.replace('\\', "/"))
                    .map_err(|e| Refusal::Unresolvable {
                        base: deck_url.to_string(),
                        reason: e.to_string(),
                    })?;
            match joined.scheme() {
                "http" | "https" => Ok(SlideSource::Remote(joined)),
                _ => Err(Refusal::NotHttp {
                    what: "a non-http(s) URL",
                }),
            }
        }
        Base::Dir(dir) => {
            // `//host/path` written in a web-oriented deck means the web, not a local path.
            if source.starts_with("//") {
                return Url::parse(&format!("https:{source}"))
                    .map(SlideSource::Remote)
                    .map_err(|e| Refusal::InvalidUrl(e.to_string()));
            }
            Ok(SlideSource::Local(local_path(source, dir)))
        }
    }
}

/// The bytes of a `data:` URL (RFC 2397): base64 (`;base64,`) or percent-encoded. Messages
/// say what is wrong without repeating the data.
fn data_image(source: &str) -> Result<Vec<u8>, Refusal> {
    let Some((header, data)) = source[5..].split_once(',') else {
        return Err(Refusal::DataWithoutComma);
    };
    let base64 = header
        .rsplit(';')
        .next()
        .is_some_and(|p| p.eq_ignore_ascii_case("base64"));
    if !base64 {
        return Ok(percent_decode_str(data).collect());
    }
    // Editors wrap long data; spaces, line breaks and percent-encoded padding are not data.
    let data = percent_decode_str(data).decode_utf8_lossy();
    decode_base64(data.as_bytes()).ok_or(Refusal::DataBase64)
}

/// Standard and URL-safe base64, padding optional, whitespace ignored; `None` on anything
/// else.
fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    let mut padding = false;
    for &c in text {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            b'=' => {
                padding = true;
                continue;
            }
            _ if padding => return None,
            _ => {}
        }
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Six leftover bits cannot end a valid encoding.
    (bits < 6).then_some(out)
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
        SlideSource::Refused(_) | SlideSource::Data(_) => return None,
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
        assert_eq!(
            resolve("data:image/png;base64,iVBO\nRw0K", &dir()),
            Ok(SlideSource::Data(std::sync::Arc::new(vec![
                0x89, b'P', b'N', b'G', 0x0d, 0x0a
            ])))
        );
        assert_eq!(
            resolve("DATA:image/svg+xml,%3Csvg%3E", &dir()),
            Ok(SlideSource::Data(std::sync::Arc::new(b"<svg>".to_vec())))
        );
        assert!(resolve("data:image/png;base64,!!!!", &dir()).is_err());
        assert!(resolve("data:image/png;base64", &dir()).is_err());
        assert_eq!(decode_base64(b"TWFu"), Some(b"Man".to_vec()));
        assert_eq!(decode_base64(b"TWE="), Some(b"Ma".to_vec()));
        assert_eq!(decode_base64(b"TQ=="), Some(b"M".to_vec()));
        assert_eq!(decode_base64(b"T"), None);
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
            assert!(matches!(err, Refusal::NotHttp { .. }), "{local}: {err}");
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
