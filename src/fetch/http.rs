//! One URL → one cached local file: conditional GET, retries with backoff, streaming to disk
//! with a size cap, and a magic-byte check of what the server actually sent.

use std::hash::{BuildHasher, Hasher};
use std::io::{ErrorKind, Read, Write};
use std::path::PathBuf;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use reqwest::blocking::Response;
use reqwest::header::{self, HeaderMap};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use url::Url;

use super::cache::{Cache, Download, Entry};
use super::error::{CacheError, FetchError, SERVER_DOWN_ATTEMPTS};
use super::policy::{self, Reach, Refusal};
use super::{FetchOptions, ServersDown};
use crate::normalize::sniff;

/// The longest wait a server may ask for with `Retry-After`.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// Bytes looked at to tell what a body is.
const HEAD_LEN: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Image,
    Text,
}

/// Why one attempt failed, and whether another may help.
#[derive(Debug)]
enum Failure {
    Fatal(FetchError),
    Retry {
        error: FetchError,
        /// What the server asked for (`Retry-After`); else exponential backoff.
        wait: Option<Duration>,
    },
}

fn retry(reason: impl Into<String>) -> Failure {
    Failure::Retry {
        error: FetchError::network(reason),
        wait: None,
    }
}

fn fatal(reason: impl Into<String>) -> Failure {
    Failure::Fatal(FetchError::Content(reason.into()))
}

pub(crate) struct Downloader<'a> {
    pub clients: &'a super::Clients,
    pub cache: &'a Cache,
    pub options: &'a FetchOptions,
    /// Servers already found unreachable in this run: their URLs are not tried.
    pub servers_down: Option<&'a ServersDown>,
    pub reach: Reach,
}

impl Downloader<'_> {
    /// A local file holding `url`'s current body: from the cache when still valid.
    pub fn fetch(&self, url: &Url, want: Want) -> Result<PathBuf, FetchError> {
        if self.options.stop.requested() {
            return Err(FetchError::Stopped);
        }
        if self.options.offline {
            return self
                .cache
                .lookup(url)
                .map(|entry| entry.path)
                .ok_or(FetchError::NotCached);
        }
        let cached = if self.options.refresh {
            None
        } else {
            self.cache.lookup(url)
        };
        let mut attempts = 0u32;
        let mut spilled = false;
        loop {
            if let Some(down) = self.servers_down.and_then(|s| s.failure(url)) {
                return Err(down);
            }
            attempts += 1;
            match self.attempt(url, cached.as_ref(), want) {
                Ok(path) => return Ok(path),
                // The cache folder is full or read-only: once more, into a temporary one.
                Err(Failure::Fatal(FetchError::Cache(error)))
                    if !spilled && self.cache.spill(&error) =>
                {
                    spilled = true;
                    attempts -= 1;
                }
                Err(Failure::Fatal(error)) => return Err(error),
                Err(Failure::Retry { error, wait }) => {
                    let retries = if error.is_server_down() {
                        self.options.retries.min(SERVER_DOWN_ATTEMPTS - 1)
                    } else {
                        self.options.retries
                    };
                    if attempts > retries {
                        return Err(error.after(attempts));
                    }
                    self.pause(
                        wait.unwrap_or_else(|| backoff(self.options.retry_delay, attempts)),
                    )?;
                }
            }
        }
    }

    /// Sleep before a retry, ending early if the run is stopped.
    fn pause(&self, wait: Duration) -> Result<(), FetchError> {
        let until = std::time::Instant::now() + wait;
        loop {
            if self.options.stop.requested() {
                return Err(FetchError::Stopped);
            }
            let left = until.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            thread::sleep(left.min(Duration::from_millis(50)));
        }
    }

    fn attempt(&self, url: &Url, cached: Option<&Entry>, want: Want) -> Result<PathBuf, Failure> {
        if self.reach == Reach::PublicOnly {
            policy::check_url(url)
                .map_err(|e| Failure::Fatal(FetchError::LocalNetwork(e.to_string())))?;
        }
        let deadline = Instant::now() + self.options.download_timeout;
        let client = self
            .clients
            .for_url(url, self.reach, self.options)
            .map_err(|e| Failure::Fatal(e.into()))?;
        let mut request = client.get(url.clone());
        if let Some(entry) = cached {
            if let Some(etag) = &entry.meta.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(date) = &entry.meta.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, date);
            }
        }
        let response = request.send().map_err(|e| self.classify(e))?;
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return match cached {
                Some(entry) => {
                    let (etag, last_modified) = validators(response.headers());
                    self.cache
                        .refresh_validators(url, entry, etag, last_modified);
                    Ok(entry.path.clone())
                }
                None => Err(fatal(
                    "server answered 304 Not Modified to an unconditional request",
                )),
            };
        }
        if status.is_success() {
            return self.save(url, response, want, deadline);
        }
        let error = FetchError::Status {
            status: status.to_string(),
            attempts: 1,
        };
        let transient = status.is_server_error()
            || status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::REQUEST_TIMEOUT;
        if transient {
            Err(Failure::Retry {
                error,
                wait: retry_after(response.headers(), SystemTime::now()),
            })
        } else {
            Err(Failure::Fatal(error))
        }
    }

    /// Stream the body into a temporary file in the cache, checking it as it comes.
    fn save(
        &self,
        url: &Url,
        mut response: Response,
        want: Want,
        deadline: Instant,
    ) -> Result<PathBuf, Failure> {
        let limit = self.options.max_body_bytes;
        let declared = response.content_length();
        // deckconv sends no Accept-Encoding, so an encoded body was not asked for; it is
        // refused rather than decoded, so a small gzip bomb cannot become gigabytes (and an
        // encoded image would fail the magic-byte check less clearly).
        if let Some(encoding) = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
            .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("identity"))
        {
            return Err(fatal(format!(
                "server sent a body compressed with {encoding} (Content-Encoding), which deckconv did not ask for"
            )));
        }
        if let Some(length) = declared {
            if length > limit {
                return Err(fatal(format!(
                    "body too large: {length} bytes (limit {limit})"
                )));
            }
        }
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let (etag, last_modified) = validators(response.headers());
        // The folder the body goes to, as it was when the file was made: the cache may
        // spill to another one meanwhile, after another download's write failed.
        let dir = self.cache.write_dir().to_path_buf();
        let cache_failure = |e: std::io::Error| {
            Failure::Fatal(FetchError::Cache(CacheError::Write {
                dir: dir.clone(),
                reason: e.to_string(),
            }))
        };
        let mut file = self.cache.temp_file_in(&dir).map_err(&cache_failure)?;
        let mut hasher = Sha256::new();
        let mut head: Vec<u8> = Vec::with_capacity(HEAD_LEN);
        let mut extension = None;
        let mut total: u64 = 0;
        let mut buf = vec![0u8; 64 * 1024];
        let too_slow = |received| {
            Failure::Fatal(FetchError::TooSlow {
                seconds: self.options.download_timeout.as_secs(),
                received,
                expected: declared,
            })
        };
        loop {
            // Each read is bounded by the read timeout; the deadline bounds their sum.
            if Instant::now() >= deadline {
                return Err(too_slow(total));
            }
            if self.options.stop.requested() {
                return Err(Failure::Fatal(FetchError::Stopped));
            }
            let n = match response.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) if Instant::now() >= deadline => return Err(too_slow(total)),
                Err(e) => {
                    let of = declared.map(|l| format!(" of {l}")).unwrap_or_default();
                    let what = if e.kind() == ErrorKind::TimedOut {
                        format!("timed out after {total}{of} bytes")
                    } else if let Some(length) = declared {
                        format!(
                            "body cut short: connection broken after {total} of the {length} bytes its Content-Length announced: {}",
                            chain(&e)
                        )
                    } else {
                        format!("connection broken after {total} bytes: {}", chain(&e))
                    };
                    return Err(retry(what));
                }
            };
            total += n as u64;
            if total > limit {
                return Err(fatal(format!(
                    "body exceeds the size limit of {limit} bytes"
                )));
            }
            if head.len() < HEAD_LEN {
                let take = n.min(HEAD_LEN - head.len());
                head.extend_from_slice(&buf[..take]);
                if want == Want::Image && head.len() == HEAD_LEN {
                    extension = Some(check_image(&head, content_type.as_deref())?);
                }
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).map_err(&cache_failure)?;
        }
        if let Some(length) = declared {
            if total != length {
                return Err(retry(format!(
                    "truncated body: got {total} of {length} bytes"
                )));
            }
        }
        let extension = match want {
            Want::Text => "txt",
            Want::Image => match extension {
                Some(ext) => ext,
                None => check_image(&head, content_type.as_deref())?,
            },
        };
        file.flush().map_err(&cache_failure)?;
        let download = Download {
            file,
            content_hash: hex::encode(hasher.finalize()),
            extension,
            size: total,
            etag,
            last_modified,
        };
        self.cache
            .commit(url, download)
            .map_err(|e| Failure::Fatal(e.into()))
    }

    fn classify(&self, e: reqwest::Error) -> Failure {
        match policy::refusal(&e) {
            Some(Refusal::NotPublic(host)) => {
                return Failure::Fatal(FetchError::LocalNetwork(host.to_string()))
            }
            Some(Refusal::Redirect(redirect)) => {
                return Failure::Fatal(FetchError::Redirect(redirect.to_string()))
            }
            None => {}
        }
        if e.is_builder() || e.is_redirect() {
            Failure::Fatal(FetchError::network(chain(&e.without_url())))
        } else if let Some(error) = e.url().and_then(|url| FetchError::server_down(&e, url)) {
            Failure::Retry { error, wait: None }
        } else if e.is_timeout() {
            retry(format!(
                "timed out (no answer within {:?})",
                self.options.read_timeout
            ))
        } else {
            // Refused, reset, DNS hiccups, TLS handshakes cut short: all worth another try.
            retry(chain(&e.without_url()))
        }
    }
}

/// An error and its causes, `outer: inner: root`, without repeats.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if parts.last().is_none_or(|last| !last.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

fn validators(headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let get = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    (get(header::ETAG), get(header::LAST_MODIFIED))
}

/// `Retry-After` as seconds or an HTTP date, capped.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at = httpdate::parse_http_date(value).ok()?;
            at.duration_since(now).unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

/// `base · 2^(attempt-1)` plus up to half of `base` of jitter (so parallel workers that
/// failed together do not retry in lockstep), capped.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let exponential = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    let half_ms = (base.as_millis() / 2).max(1) as u64;
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(attempt);
    let jitter = Duration::from_millis(hasher.finish() % half_ms);
    (exponential + jitter).min(MAX_RETRY_AFTER)
}

/// The body's file extension if it starts like an image deckconv reads; else what it is.
fn check_image(head: &[u8], content_type: Option<&str>) -> Result<&'static str, Failure> {
    match sniff(head) {
        Some(format) => Ok(format.extension()),
        None => {
            let mut message = describe_non_image(head);
            if let Some(ct) = content_type {
                message.push_str(&format!(" (Content-Type {ct})"));
            }
            Err(fatal(message))
        }
    }
}

fn describe_non_image(head: &[u8]) -> String {
    if head.is_empty() {
        return "server sent an empty body, not an image".into();
    }
    let text = String::from_utf8_lossy(head);
    let start = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    let what = if start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<head")
        || start.starts_with("<body")
        || (start.starts_with('<') && start.contains("<html"))
    {
        "HTML"
    } else if start.starts_with("<svg") || (start.starts_with("<?xml") && start.contains("<svg")) {
        "SVG (deckconv reads raster images only)"
    } else if start.starts_with("<?xml") {
        "XML"
    } else if start.starts_with('{') || start.starts_with('[') {
        "JSON"
    } else if std::str::from_utf8(head).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || c.is_ascii_whitespace())
    }) {
        "text"
    } else {
        let bytes: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
        return format!(
            "server sent data of an unknown format, not an image (starts with {})",
            bytes.join(" ")
        );
    };
    format!("server sent {what}, not an image")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_seconds_dates_and_cap() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(1)));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("86400"));
        assert_eq!(retry_after(&headers, now), Some(MAX_RETRY_AFTER));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(5));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(5)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_millis(100);
        let first = backoff(base, 1);
        assert!(first >= base && first < base + base / 2);
        let third = backoff(base, 3);
        assert!(third >= base * 4 && third < base * 4 + base / 2);
        assert_eq!(backoff(base, 40), MAX_RETRY_AFTER);
    }

    #[test]
    fn non_images_are_described() {
        let html = b"  <!DOCTYPE html><html><body>Not found</body></html>";
        let Err(Failure::Fatal(message)) = check_image(html, Some("text/html; charset=utf-8"))
        else {
            panic!("HTML accepted as an image");
        };
        assert_eq!(
            message.to_string(),
            "server sent HTML, not an image (Content-Type text/html; charset=utf-8)"
        );
        assert!(describe_non_image(b"{\"error\":1}").contains("JSON"));
        assert!(describe_non_image(b"<?xml version=\"1.0\"?><svg/>").contains("SVG"));
        assert!(describe_non_image(b"Access denied\n").contains("text"));
        assert!(describe_non_image(&[0, 1, 2, 0xfe]).contains("00 01 02 fe"));
        assert!(describe_non_image(b"").contains("empty"));
        assert_eq!(
            check_image(b"\x89PNG\r\n\x1a\n....", None).ok(),
            Some("png")
        );
        assert_eq!(
            check_image(&[0xFF, 0xD8, 0xFF, 0xE0], None).ok(),
            Some("jpg")
        );
    }
}
