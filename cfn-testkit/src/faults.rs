//! Fault injection for peer tests: a small HTTP proxy on 127.0.0.1 in front of moto that can answer one
//! call with an error, refuse a call, stop listening after a call (the
//! server gone mid-wait) or hold every call after one (a wait that does not
//! end); and a private moto server with its own environment, killed on drop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the proxy does besides forwarding.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Answer the first call of this action with (status, body).
    pub fail_once: Option<(&'static str, u16, String)>,
    /// Answer every call of this action with (status, body), never forwarded.
    pub refuse: Option<(&'static str, u16, String)>,
    /// Stop listening once this action was answered (connection refused after).
    pub stop_after: Option<&'static str>,
    /// Hold every call after this action was answered, until the proxy is
    /// dropped (at most 60 s).
    pub stall_after: Option<&'static str>,
}

#[derive(Default)]
struct State {
    actions: Mutex<Vec<String>>,
    failed_once: AtomicBool,
    stopped: AtomicBool,
    stalling: AtomicBool,
    stalled_calls: Mutex<Vec<String>>,
    shutdown: AtomicBool,
}

/// A proxy in front of `upstream` (`http://127.0.0.1:PORT`).
pub struct Proxy {
    /// `http://127.0.0.1:PORT` of the proxy.
    pub url: String,
    state: Arc<State>,
}

impl Proxy {
    pub fn start(upstream: &str, faults: Faults) -> Proxy {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(State::default());
        let s = Arc::clone(&state);
        std::thread::spawn(move || {
            let started = Instant::now();
            while !s.stopped.load(Ordering::SeqCst)
                && !s.shutdown.load(Ordering::SeqCst)
                && started.elapsed() < Duration::from_secs(300)
            {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (s, f, u) = (Arc::clone(&s), faults.clone(), upstream.clone());
                        std::thread::spawn(move || handle(stream, &s, &f, &u));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            // the listener is dropped here: connections are refused
        });
        Proxy { url, state }
    }

    /// The actions received, in order (`CreateChangeSet`, ...; `S3` for S3 calls).
    pub fn actions(&self) -> Vec<String> {
        self.state.actions.lock().unwrap().clone()
    }

    /// Whether a call is being held (see [`Faults::stall_after`]).
    pub fn is_stalling_a_call(&self) -> bool {
        !self.state.stalled_calls.lock().unwrap().is_empty()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.shutdown.store(true, Ordering::SeqCst);
    }
}

fn handle(mut client: TcpStream, s: &State, f: &Faults, upstream: &str) {
    let _ = client.set_nonblocking(false);
    let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
    let Some((head, body)) = read_request(&client) else {
        return;
    };
    let text = String::from_utf8_lossy(&body);
    let action = text
        .split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .unwrap_or("S3")
        .to_owned();
    s.actions.lock().unwrap().push(action.clone());
    if s.stalling.load(Ordering::SeqCst) {
        s.stalled_calls.lock().unwrap().push(action);
        let started = Instant::now();
        while !s.shutdown.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(20));
        }
        return;
    }
    if let Some((a, status, body)) = &f.fail_once {
        if *a == action && !s.failed_once.swap(true, Ordering::SeqCst) {
            respond(&mut client, *status, body);
            return;
        }
    }
    if let Some((a, status, body)) = &f.refuse {
        if *a == action {
            respond(&mut client, *status, body);
            return;
        }
    }
    let Some(response) = forward(upstream, &head, &body) else {
        return;
    };
    if f.stop_after == Some(action.as_str()) {
        s.stopped.store(true, Ordering::SeqCst);
    }
    if f.stall_after == Some(action.as_str()) {
        s.stalling.store(true, Ordering::SeqCst);
    }
    let _ = client.write_all(&response);
}

/// The request head (lines, without the blank line) and its body.
fn read_request(stream: &TcpStream) -> Option<(Vec<String>, Vec<u8>)> {
    let mut reader = BufReader::new(stream);
    let mut head = Vec::new();
    let mut len = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if line == "\r\n" {
            break;
        }
        let l = line.to_ascii_lowercase();
        if let Some(v) = l.strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        head.push(line.trim_end().to_owned());
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((head, body))
}

/// Sends one request upstream with `Connection: close` and returns the
/// whole response, marked `Connection: close` too (never pooled).
fn forward(upstream: &str, head: &[String], body: &[u8]) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(upstream).ok()?;
    let mut req = String::new();
    for l in head {
        if !l.to_ascii_lowercase().starts_with("connection:") {
            req.push_str(l);
            req.push_str("\r\n");
        }
    }
    req.push_str("Connection: close\r\n\r\n");
    up.write_all(req.as_bytes()).ok()?;
    up.write_all(body).ok()?;
    let mut response = Vec::new();
    up.read_to_end(&mut response).ok()?;
    let end = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&response[..end]).into_owned();
    let mut out = String::new();
    for l in head.split("\r\n") {
        if !l.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&response[end + 4..]);
    Some(bytes)
}

fn respond(stream: &mut TcpStream, status: u16, body: &str) {
    let kind = if body.starts_with('<') && body.contains("<html") {
        "text/html; charset=utf-8"
    } else {
        "text/xml"
    };
    let resp = format!(
        "HTTP/1.1 {status} Error\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(resp.as_bytes());
}

/// The page moto's server (werkzeug) sends with an HTTP 500.
pub const HTML_500: &str = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request.</p>\n";

/// A CloudFormation (awsQuery) error body.
pub fn aws_error(code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
    )
}

/// A moto server of the test's own, on a free 127.0.0.1 port, in a
/// temporary directory; killed on drop.
pub struct PrivateMoto {
    pub url: String,
    child: Child,
    dir: std::path::PathBuf,
}

impl PrivateMoto {
    /// Starts `$PEER_PYTHON -m moto.server` with `env`. `None` (and a
    /// loud note) when PEER_PYTHON is unset, unless PEERS_REQUIRED=1.
    pub fn start(env: &[(&str, &str)]) -> Option<PrivateMoto> {
        let python = match std::env::var("PEER_PYTHON") {
            Ok(p) if !p.is_empty() => p,
            _ if std::env::var("PEERS_REQUIRED").as_deref() == Ok("1") => {
                panic!("PEER_PYTHON is not set; run the tests through scripts/test.sh")
            }
            _ => {
                eprintln!(
                    "SKIPPING: PEER_PYTHON is not set: no private moto server (scripts/test.sh sets it)"
                );
                return None;
            }
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("cfn-moto-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut cmd = Command::new(&python);
        cmd.args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start moto's server with PEER_PYTHON");
        let moto = PrivateMoto {
            url: format!("http://127.0.0.1:{port}"),
            child,
            dir,
        };
        let started = Instant::now();
        while moto.get("/moto-api/").is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the private moto server did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        Some(moto)
    }

    /// GET a path; the body of a 200 answer.
    pub fn get(&self, path: &str) -> Option<String> {
        let mut s = TcpStream::connect(self.url.trim_start_matches("http://")).ok()?;
        let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
        // HTTP/1.0: never chunked
        write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        let (head, body) = out.split_once("\r\n\r\n")?;
        (head.split(' ').nth(1) == Some("200")).then(|| body.to_owned())
    }
}

impl Drop for PrivateMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
