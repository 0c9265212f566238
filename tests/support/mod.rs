//! A loopback HTTP/1.1 server for tests, on raw sockets so it can misbehave on purpose:
//! latency, truncated bodies, hang-ups, close-delimited bodies. It logs every request and
//! how many body bytes it sent, and tracks the peak number of requests in flight.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use url::Url;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Announce the whole body's length but send only this many bytes, then close.
    pub send_only: Option<usize>,
    /// No Content-Length: the body ends when the connection closes.
    pub close_delimited: bool,
    /// Close the connection without answering at all.
    pub hang_up: bool,
    /// Send this many body bytes, then wait this long before the rest (a stalled transfer).
    pub stall: Option<(usize, Duration)>,
}

impl Reply {
    pub fn ok(body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body,
            delay: Duration::ZERO,
            send_only: None,
            close_delimited: false,
            hang_up: false,
            stall: None,
        }
    }
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            ..Reply::ok(Vec::new())
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
    pub fn truncated(mut self, bytes: usize) -> Reply {
        self.send_only = Some(bytes);
        self
    }
    pub fn stall_after(mut self, bytes: usize, wait: Duration) -> Reply {
        self.stall = Some((bytes, wait));
        self
    }
    pub fn close_delimited(mut self) -> Reply {
        self.close_delimited = true;
        self
    }
    pub fn hang_up() -> Reply {
        Reply {
            hang_up: true,
            ..Reply::status(0)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Logged {
    pub request: Request,
    pub status: u16,
    /// Body bytes the reply carries (a truncated reply: only those sent; a 304: none).
    pub body_bytes_sent: usize,
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

struct Shared {
    handler: Box<Handler>,
    log: Mutex<Vec<Logged>>,
    per_path: Mutex<HashMap<String, usize>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    stopped: AtomicBool,
}

pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Serve on 127.0.0.1, a free port. `handler(request, n)` answers the `n`th (1-based)
    /// request for that path.
    pub fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            log: Mutex::new(Vec::new()),
            per_path: Mutex::new(HashMap::new()),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        });
        let for_acceptor = shared.clone();
        let acceptor = thread::spawn(move || {
            for stream in listener.incoming() {
                if for_acceptor.stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = for_acceptor.clone();
                thread::spawn(move || serve_connection(stream, &shared));
            }
        });
        Server {
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{}", self.addr, path)).unwrap()
    }

    pub fn log(&self) -> Vec<Logged> {
        self.shared.log.lock().unwrap().clone()
    }

    pub fn clear_log(&self) {
        self.shared.log.lock().unwrap().clear();
    }

    pub fn requests_for(&self, path: &str) -> usize {
        self.log().iter().filter(|l| l.request.path == path).count()
    }

    pub fn peak_in_flight(&self) -> usize {
        self.shared.peak.load(Ordering::SeqCst)
    }

    /// Stop accepting; the port refuses connections afterwards and open ones get no answers.
    pub fn stop(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            self.shared.stopped.store(true, Ordering::SeqCst);
            let _ = TcpStream::connect(self.addr);
            let _ = acceptor.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve_connection(stream: TcpStream, shared: &Shared) {
    // Idle keep-alive connections wake up now and then to notice a stop.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    let Ok(writer) = stream.try_clone() else {
        return;
    };
    let mut writer = writer;
    let mut reader = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut reader, shared) else {
            return;
        };
        if shared.stopped.load(Ordering::SeqCst) {
            return;
        }
        let nth = {
            let mut counts = shared.per_path.lock().unwrap();
            let n = counts.entry(request.path.clone()).or_insert(0);
            *n += 1;
            *n
        };
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.peak.fetch_max(now, Ordering::SeqCst);
        let reply = (shared.handler)(&request, nth);
        // Logged on arrival, so a client that has its answer (or gave up) finds it there.
        shared.log.lock().unwrap().push(Logged {
            request: request.clone(),
            status: reply.status,
            body_bytes_sent: body_to_send(&request, &reply).len(),
        });
        thread::sleep(reply.delay);
        // Out of flight before the answer goes: a client that has it may send its next
        // request at once, and counting this one until the write returned would see both
        // (a peak of 3 for 2 jobs under load).
        shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        let keep_open = write_reply(&mut writer, &request, &reply);
        if !keep_open {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
    }
}

fn read_line(reader: &mut BufReader<TcpStream>, shared: &Shared) -> Option<String> {
    let mut line = String::new();
    loop {
        match reader.read_line(&mut line) {
            Ok(0) => return None,
            Ok(_) => return Some(line.trim_end_matches(['\r', '\n']).to_string()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if shared.stopped.load(Ordering::SeqCst) {
                    return None;
                }
            }
            Err(_) => return None,
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>, shared: &Shared) -> Option<Request> {
    let first = read_line(reader, shared)?;
    let mut parts = first.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, shared)?;
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    Some(Request {
        method,
        path,
        headers,
        at: Instant::now(),
    })
}

fn bodiless(request: &Request, reply: &Reply) -> bool {
    reply.hang_up || reply.status == 304 || reply.status == 204 || request.method == "HEAD"
}

fn body_to_send<'a>(request: &Request, reply: &'a Reply) -> &'a [u8] {
    if bodiless(request, reply) {
        return &[];
    }
    match reply.send_only {
        Some(n) => &reply.body[..n.min(reply.body.len())],
        None => &reply.body[..],
    }
}

/// Returns whether the connection may serve another request.
fn write_reply(writer: &mut TcpStream, request: &Request, reply: &Reply) -> bool {
    if reply.hang_up {
        return false;
    }
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.close_delimited {
        head.push_str("Connection: close\r\n");
    } else if !bodiless(request, reply) {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    let body = body_to_send(request, reply);
    let (first, rest) = match reply.stall {
        Some((bytes, _)) => body.split_at(bytes.min(body.len())),
        None => (body, &[][..]),
    };
    if writer.write_all(head.as_bytes()).is_err() || writer.write_all(first).is_err() {
        return false;
    }
    if let Some((_, wait)) = reply.stall {
        let _ = writer.flush();
        thread::sleep(wait);
    }
    if writer.write_all(rest).is_err() {
        return false;
    }
    let _ = writer.flush();
    let wants_close = request
        .header("connection")
        .is_some_and(|v| v.eq_ignore_ascii_case("close"));
    reply.send_only.is_none() && !reply.close_delimited && !wants_close
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// The bundled example deck.
pub fn example_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/qcon-shanghai-2018")
}

/// The example deck under /talks/, every file with an ETag (a matching `If-None-Match` gets
/// 304) and every image `delay`ed.
pub fn serve_example_with_etags(delay: Duration) -> Server {
    Server::start(move |request, _| {
        let path = request.path.trim_start_matches('/');
        let Some(rest) = path.strip_prefix("talks/") else {
            return Reply::status(404);
        };
        let etag = format!("\"{rest}\"");
        if request.header("if-none-match") == Some(etag.as_str()) {
            return Reply::status(304).header("ETag", &etag);
        }
        let Ok(bytes) = std::fs::read(example_dir().join(rest)) else {
            return Reply::status(404);
        };
        let reply = Reply::ok(bytes).header("ETag", &etag);
        if rest.ends_with(".md") {
            reply
        } else {
            reply.delay(delay)
        }
    })
}
