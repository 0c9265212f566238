//! Fetcher: local files as they are, remote ones over HTTP(S) in parallel through a
//! persistent, revalidated cache. Bodies go to disk, never all into memory.

mod cache;
mod error;
mod http;
mod policy;
mod slots;

use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::Duration;

use reqwest::blocking::Client;
use url::Url;

use crate::model::{Deck, DeckOrigin, SlideSource};
use crate::stop::Stop;
use cache::Cache;
pub use cache::{check as check_cache, CacheCheck};
pub use error::{CacheError, FetchError, HttpSetupError, ServerFailure};
use http::{Downloader, Want};
pub use policy::is_public;
use policy::{PublicResolver, Reach};
use slots::DownloadSlots;
pub use slots::FetchTurn;

pub const DEFAULT_CACHE_LIMIT_MIB: u64 = 1024;
/// Slides are a few MB at most: a minute is 50 KB/s for a 3 MB image, and a server slower
/// than that is better reported than waited for.
pub const DEFAULT_DOWNLOAD_TIMEOUT_SECS: u64 = 60;

/// The body file a cache sidecar's bytes name for `url`, if the sidecar is well formed and
/// belongs to `url` (what a cache lookup accepts). Exposed for the fuzz targets.
#[doc(hidden)]
pub fn parse_cache_sidecar(bytes: &[u8], url: &Url) -> Option<String> {
    cache::parse_sidecar(bytes, url)
}

#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub jobs: usize,
    /// `None`: the platform cache folder.
    pub cache_dir: Option<PathBuf>,
    pub offline: bool,
    pub refresh: bool,
    pub connect_timeout: Duration,
    /// Longest wait for the response headers or for any one read of the body.
    pub read_timeout: Duration,
    /// Longest one download attempt may take, headers and whole body: a server trickling
    /// bytes never times out a single read.
    pub download_timeout: Duration,
    /// Extra attempts after the first for transient failures (5xx, 429, 408, resets,
    /// timeouts, truncated bodies).
    pub retries: u32,
    /// First backoff delay; doubled for every further attempt (plus jitter).
    pub retry_delay: Duration,
    pub max_body_bytes: u64,
    /// Bytes of downloads the cache keeps (least recently used evicted first).
    pub cache_limit: u64,
    /// Let a deck read from a URL (and that URL itself) reach loopback, private and
    /// link-local addresses. Off: such a deck may reach public addresses only.
    pub allow_local_network: bool,
    /// Once requested, no download starts and those under way end at their next chunk.
    pub stop: Stop,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            jobs: 8,
            cache_dir: None,
            offline: false,
            refresh: false,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            download_timeout: Duration::from_secs(DEFAULT_DOWNLOAD_TIMEOUT_SECS),
            retries: 3,
            retry_delay: Duration::from_millis(500),
            max_body_bytes: 200 * 1024 * 1024,
            cache_limit: DEFAULT_CACHE_LIMIT_MIB << 20,
            allow_local_network: false,
            stop: Stop::default(),
        }
    }
}

pub struct Fetcher {
    options: FetchOptions,
    clients: Clients,
    cache: Cache,
    /// Why the configured cache folder is not the one in use, until taken.
    cache_warning: std::sync::Mutex<Option<String>>,
    /// Where embedded (`data:`) images become files for the run; removed with the fetcher.
    embedded: OnceLock<std::io::Result<tempfile::TempDir>>,
    /// `jobs` downloads in flight for the whole run, however many decks fetch at once.
    slots: DownloadSlots,
}

/// The HTTP clients, each built on first use: a deck of local files never pays for loading
/// TLS roots or for the client's runtime thread.
#[derive(Default)]
pub(crate) struct Clients {
    /// Keeps connections alive: a new TCP (and TLS) handshake costs round trips.
    kept_alive: OnceLock<Result<Client, HttpSetupError>>,
    /// A fresh connection per request, for servers on this machine or its network.
    nearby: OnceLock<Result<Client, HttpSetupError>>,
    /// Connects to public addresses only, for the links of a deck read from a URL.
    public_only: OnceLock<Result<Client, HttpSetupError>>,
}

impl Clients {
    /// The client for `url`'s server, under `reach`.
    pub fn for_url(
        &self,
        url: &Url,
        reach: Reach,
        options: &FetchOptions,
    ) -> Result<&Client, HttpSetupError> {
        // On a kept-alive connection a server without TCP_NODELAY (Python's http.server,
        // many development servers) holds each body back until the client acknowledges the
        // headers, and the client delays that acknowledgement by 40 ms: every request stalls.
        // Nearby, a new connection costs microseconds and starts with immediate ACKs.
        // (Under `PublicOnly` nearby servers are refused before a client is asked for.)
        let (cell, fresh_connections) = if reach == Reach::PublicOnly {
            (&self.public_only, false)
        } else if is_nearby(url) {
            (&self.nearby, true)
        } else {
            (&self.kept_alive, false)
        };
        cell.get_or_init(|| build_client(options, reach, fresh_connections))
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn build_client(
    options: &FetchOptions,
    reach: Reach,
    fresh_connections: bool,
) -> Result<Client, HttpSetupError> {
    // reqwest is built without a crypto provider (Cargo.toml): ring's, unless the program
    // has installed one of its own (then this does nothing).
    let _ = rustls::crypto::ring::default_provider().install_default();
    // Without the `gzip` feature reqwest sends no Accept-Encoding, so the bytes on disk are
    // the image itself (a body encoded anyway is refused, see `http::save`).
    let mut builder = Client::builder()
        .user_agent(concat!("deckconv/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.connect_timeout)
        .timeout(options.read_timeout.min(options.download_timeout))
        .redirect(policy::redirect_policy(reach));
    if fresh_connections {
        builder = builder.pool_max_idle_per_host(0);
    }
    if reach == Reach::PublicOnly {
        builder = builder.dns_resolver(std::sync::Arc::new(PublicResolver::from_env()));
    }
    builder.build().map_err(|e| HttpSetupError::new(&e))
}

impl Fetcher {
    pub fn new(options: FetchOptions) -> Result<Self, CacheError> {
        let dir = options.cache_dir.clone().or_else(|| {
            directories::ProjectDirs::from("", "", "deckconv").map(|d| d.cache_dir().to_path_buf())
        });
        let (cache, cache_warning) = Cache::open(dir)?;
        Ok(Fetcher {
            slots: DownloadSlots::new(options.jobs),
            options,
            clients: Clients::default(),
            cache,
            cache_warning: std::sync::Mutex::new(cache_warning),
            embedded: OnceLock::new(),
        })
    }

    /// Why a temporary folder is in use instead of the configured cache folder (it could
    /// not be created, or writing to it failed during the run): each reason once.
    pub fn take_cache_warnings(&self) -> Vec<String> {
        let opened = self
            .cache_warning
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        opened
            .into_iter()
            .chain(self.cache.take_warnings())
            .collect()
    }

    /// The next fetch's turn, taken in deck order before the fetch begins (on whatever
    /// thread): its downloads take slots once every earlier turn has started all of its own.
    pub fn turn(&self) -> FetchTurn<'_> {
        self.slots.turn()
    }

    /// Downloads in flight at most, for the whole run.
    pub fn jobs(&self) -> usize {
        self.options.jobs.max(1)
    }

    /// Whether the run was asked to stop.
    pub fn stopped(&self) -> bool {
        self.options.stop.requested()
    }

    /// Trim the cache to its size limit after a run that downloaded something; returns the
    /// bytes freed.
    pub fn evict(&self) -> u64 {
        self.cache.evict(self.options.cache_limit)
    }

    /// The cache folder in use (the fallback temporary one if the configured one failed).
    pub fn cache_dir(&self) -> &Path {
        self.cache.dir()
    }

    fn downloader<'a>(
        &'a self,
        servers_down: Option<&'a ServersDown>,
        reach: Reach,
    ) -> Downloader<'a> {
        Downloader {
            clients: &self.clients,
            cache: &self.cache,
            options: &self.options,
            servers_down,
            reach,
        }
    }

    /// `error` with whether `url` is in the cache, when its server could not be reached (so
    /// the user can be told that `--offline` would have it). The lookup counts as a use, which
    /// keeps the copy from eviction just when the user is about to want it offline.
    fn note_cached(&self, url: &Url, mut error: FetchError) -> FetchError {
        if let FetchError::ServerDown { in_cache, .. } = &mut error {
            *in_cache = self.cache.lookup(url).is_some();
        }
        error
    }

    /// What the links of a deck from `origin` may reach: a deck from a URL was written by
    /// someone else and must not reach into this machine or its network.
    fn reach_from(&self, origin: Option<&DeckOrigin>) -> Reach {
        let local_deck = matches!(
            origin,
            Some(DeckOrigin::File(_) | DeckOrigin::Folder(_) | DeckOrigin::Stdin)
        );
        if local_deck || self.options.allow_local_network {
            Reach::Anywhere
        } else {
            Reach::PublicOnly
        }
    }

    /// Text of a remote deck (Markdown or list), cached and revalidated like the slides.
    /// Public addresses only, unless `allow_local_network`: what the deck links to is
    /// held to the same rule, and the deck's URL may itself be a redirect's target.
    pub fn fetch_text(&self, url: &Url) -> Result<String, FetchError> {
        let bytes = self.fetch_bytes(url)?;
        let text =
            String::from_utf8(bytes).map_err(|_| FetchError::Content("not UTF-8 text".into()))?;
        Ok(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        })
    }

    /// The body of a remote deck as sent, cached and revalidated like the slides.
    pub fn fetch_bytes(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        let path = self
            .downloader(None, self.reach_from(None))
            .fetch(url, Want::Text)
            .map_err(|e| self.note_cached(url, e))?;
        fs::read(&path).map_err(|e| {
            FetchError::Cache(CacheError::Store {
                path,
                reason: format!("cannot read the cached copy: {e}"),
            })
        })
    }

    /// Fetch every slide, calling `arrived(index, result)` as soon as slide `index` is on disk
    /// or has failed, from whichever thread got it, so later stages can start on the first
    /// slides while the rest download. Local slides and slides the reader refused are
    /// reported first; then downloads in deck order, at most `jobs` in flight for the whole
    /// run (decks fetching at once share them, the earlier deck first). Once `cancel` is set
    /// no new download starts; the slides left are reported as not fetched. Once a
    /// server cannot be reached at all (DNS, refused, unreachable), its other URLs fail at
    /// once with the same cause instead of each retrying; other servers go on.
    pub fn fetch_each_with(
        &self,
        deck: &Deck,
        turn: FetchTurn<'_>,
        cancel: &AtomicBool,
        arrived: &(dyn Fn(usize, Result<PathBuf, FetchError>) + Sync),
    ) {
        // Each distinct URL is downloaded once, however often the deck repeats it.
        let mut urls: Vec<(&Url, Vec<usize>)> = Vec::new();
        let mut url_index: HashMap<&Url, usize> = HashMap::new();
        for (index, slide) in deck.slides.iter().enumerate() {
            let local = match &slide.source {
                SlideSource::Local(path) => check_local(path),
                SlideSource::Data(bytes) => self.embedded_file(index, bytes),
                SlideSource::Refused(reason) => Err(FetchError::Refused(reason.clone())),
                SlideSource::Remote(url) => {
                    let at = *url_index.entry(url).or_insert_with(|| {
                        urls.push((url, Vec::new()));
                        urls.len() - 1
                    });
                    urls[at].1.push(index);
                    continue;
                }
            };
            arrived(index, local);
        }
        if urls.is_empty() {
            return;
        }
        let order = turn.order();
        let next = AtomicUsize::new(0);
        let workers = self.options.jobs.clamp(1, urls.len());
        let servers_down = ServersDown::default();
        let reach = self.reach_from(Some(&deck.origin));
        thread::scope(|scope| {
            for _ in 0..workers {
                let (next, urls, servers_down, turn) = (&next, &urls, &servers_down, &turn);
                scope.spawn(move || {
                    let downloader = self.downloader(Some(servers_down), reach);
                    // A slot is held for as long as this deck has URLs left: given back
                    // between downloads, it could go to a later deck's waiting worker
                    // before this one asked again, and this deck would wait a round.
                    let slot = self.slots.acquire(order, cancel, &self.options.stop);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i + 1 == urls.len() {
                            turn.all_started();
                        }
                        let Some((url, slides)) = urls.get(i) else {
                            break;
                        };
                        let result = if slot.is_none() || cancel.load(Ordering::Relaxed) {
                            Err(FetchError::Stopped)
                        } else {
                            downloader.fetch(url, Want::Image).map_err(|e| {
                                servers_down.record(url, &e);
                                self.note_cached(url, e)
                            })
                        };
                        for &index in slides {
                            arrived(index, result.clone());
                        }
                    }
                });
            }
        });
    }
}

/// Servers found unreachable during one fetch, shared by its workers, each with the failure
/// of the URL that found it.
#[derive(Default)]
pub(crate) struct ServersDown {
    down: Mutex<HashMap<(String, u16), FetchError>>,
}

impl ServersDown {
    /// Scheme's default port included: `http://h` and `https://h` are different servers.
    fn key(url: &Url) -> Option<(String, u16)> {
        Some((url.host_str()?.to_string(), url.port_or_known_default()?))
    }

    /// The failure `url`'s server is known for, as that of a URL not tried.
    pub fn failure(&self, url: &Url) -> Option<FetchError> {
        let key = Self::key(url)?;
        let down = self.down.lock().unwrap_or_else(|e| e.into_inner());
        down.get(&key).cloned().map(|e| e.after(0))
    }

    /// Remember `url`'s server as down if `error` says so about that very server (a redirect
    /// to a dead server says nothing about the one that redirected).
    pub fn record(&self, url: &Url, error: &FetchError) {
        let FetchError::ServerDown { server, .. } = error else {
            return;
        };
        let Some(key) = Self::key(url).filter(|_| *server == error::server_name(url)) else {
            return;
        };
        let mut down = self.down.lock().unwrap_or_else(|e| e.into_inner());
        down.entry(key).or_insert_with(|| error.clone());
    }
}

/// A local slide is used in place once it is known to exist and be readable.
impl Fetcher {
    /// An embedded image as a file of the run's own folder, within the download size limit
    /// (it is read like any other image after that: probe, limits, decoder guard).
    fn embedded_file(&self, index: usize, bytes: &[u8]) -> Result<PathBuf, FetchError> {
        let local = |reason: String| FetchError::Local {
            path: PathBuf::from(format!("(embedded image of slide {})", index + 1)),
            reason,
        };
        if bytes.len() as u64 > self.options.max_body_bytes {
            return Err(local(format!(
                "{} bytes, more than the {} a slide image may have",
                bytes.len(),
                self.options.max_body_bytes
            )));
        }
        let dir = self
            .embedded
            .get_or_init(|| {
                tempfile::Builder::new()
                    .prefix(".deckconv-embedded-")
                    .tempdir()
            })
            .as_ref()
            .map_err(|e| local(format!("no folder to put it in ({e})")))?;
        // Named by content: decks of one run never overwrite each other's images.
        use sha2::Digest;
        let name = hex::encode(&sha2::Sha256::digest(bytes)[..16]);
        let path = dir.path().join(name);
        fs::write(&path, bytes).map_err(|e| local(format!("cannot write it ({e})")))?;
        Ok(path)
    }
}

fn check_local(path: &Path) -> Result<PathBuf, FetchError> {
    let local = |reason: String| FetchError::Local {
        path: path.to_path_buf(),
        reason,
    };
    match fs::File::open(path).and_then(|f| f.metadata()) {
        Ok(meta) if meta.is_dir() => Err(local("a folder, not an image".into())),
        Ok(_) => Ok(path.to_path_buf()),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(local("file not found".into())),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => Err(local("permission denied".into())),
        Err(e) => Err(local(format!("cannot read ({e})"))),
    }
}

/// A server on this machine or its local network (by address; names other than `localhost`
/// are not resolved for this).
pub(crate) fn is_nearby(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback() || ip.is_private() || ip.is_link_local(),
        Some(url::Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.is_unique_local() || ip.is_unicast_link_local()
        }
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    /// A loopback server answering every request with a redirect to `/inside` on itself;
    /// returns its port and the paths it was asked for.
    fn redirecting_server() -> (u16, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let paths = Arc::new(Mutex::new(Vec::new()));
        let seen = paths.clone();
        thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut lines = BufReader::new(stream.try_clone().unwrap()).lines();
                let first = lines.next().and_then(Result::ok).unwrap_or_default();
                let path = first.split(' ').nth(1).unwrap_or_default().to_string();
                while lines
                    .next()
                    .and_then(Result::ok)
                    .is_some_and(|l| !l.is_empty())
                {}
                seen.lock().unwrap().push(path);
                let reply = format!(
                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}/inside\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        (port, paths)
    }

    #[test]
    fn the_public_only_client_follows_no_local_redirect_and_connects_to_no_local_name() {
        // Straight to the client, past `Downloader::attempt`'s check of the URL, to test the
        // safeguards that hold for redirects and host names: the policy and the resolver.
        let (port, paths) = redirecting_server();
        let options = FetchOptions::default();
        let clients = Clients::default();
        let start = Url::parse(&format!("http://127.0.0.1:{port}/start")).unwrap();
        let client = clients
            .for_url(&start, Reach::PublicOnly, &options)
            .unwrap();
        let error = client.get(start.clone()).send().unwrap_err();
        match policy::refusal(&error) {
            Some(policy::Refusal::NotPublic(refused)) => assert_eq!(refused.host, "127.0.0.1"),
            _ => panic!("redirect to loopback followed or not named: {error:?}"),
        }
        assert_eq!(*paths.lock().unwrap(), ["/start"]);

        let by_name = Url::parse(&format!("http://localhost:{port}/by-name")).unwrap();
        let error = client.get(by_name.clone()).send().unwrap_err();
        match policy::refusal(&error) {
            Some(policy::Refusal::NotPublic(refused)) => {
                assert_eq!(refused.host, "localhost");
                assert!(refused.address.is_some_and(|ip| ip.is_loopback()));
            }
            _ => panic!("a name resolving to loopback was connected to: {error:?}"),
        }
        assert_eq!(*paths.lock().unwrap(), ["/start"]);

        // The same requests from a local deck's client reach the server.
        let anywhere = clients
            .for_url(&by_name, Reach::Anywhere, &options)
            .unwrap();
        let _ = anywhere.get(by_name).send();
        assert_eq!(paths.lock().unwrap()[1..3], ["/by-name", "/inside"]);
    }

    #[test]
    fn nearby_servers_by_address() {
        let nearby = |u: &str| is_nearby(&Url::parse(u).unwrap());
        assert!(nearby("http://127.0.0.1:8080/a.png"));
        assert!(nearby("http://localhost/a.png"));
        assert!(nearby("http://192.168.1.20/a.png"));
        assert!(nearby("http://10.0.0.2/a.png"));
        assert!(nearby("http://[::1]/a.png"));
        assert!(nearby("http://[fd00::1]/a.png"));
        assert!(!nearby("https://raw.githubusercontent.com/a.png"));
        assert!(!nearby("http://8.8.8.8/a.png"));
        assert!(!nearby("http://[2001:db8::1]/a.png"));
    }
}
