//! A small synchronous WebDriver client: the handful of W3C WebDriver
//! commands the browser test sends to chromedriver, as JSON over plain
//! HTTP/1.1 on a local socket (one request per connection), with
//! `std::net` and `serde_json`. Every read and write has a timeout, so a
//! browser that stops answering fails the test instead of hanging it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

/// Longer than any command the test sends takes (WebDriver's own script
/// timeout is 30 s), short enough that a stuck browser fails the test.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(90);

/// A WebDriver session on the driver listening on `127.0.0.1:port`.
pub struct Session {
    port: u16,
    id: String,
}

impl Session {
    /// Start a browser with `capabilities` (W3C `alwaysMatch`).
    pub fn start(port: u16, capabilities: Value) -> Result<Session, String> {
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let value = request(port, "POST", "/session", Some(&body))?;
        let id = value["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no sessionId in {value}"))?
            .to_string();
        Ok(Session { port, id })
    }

    /// Send one command of this session and return its `value`.
    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        request(
            self.port,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
    }

    /// Resize the window to `width` × `height` CSS pixels.
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<(), String> {
        let rect = json!({ "width": width, "height": height });
        self.command("POST", "/window/rect", Some(&rect)).map(drop)
    }

    /// Load `url` and wait until the page has loaded.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.command("POST", "/url", Some(&json!({ "url": url })))
            .map(drop)
    }

    /// Run `script` in the page; it reports its result by calling its last
    /// argument, as WebDriver's "execute async script" has it.
    pub fn execute_async(&self, script: &str) -> Result<Value, String> {
        let body = json!({ "script": script, "args": [] });
        self.command("POST", "/execute/async", Some(&body))
    }

    /// A PNG of the window as shown.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        let value = self.command("GET", "/screenshot", None)?;
        let encoded = value.as_str().ok_or("the screenshot is not a string")?;
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|e| format!("the screenshot is not base64: {e}"))
    }

    /// End the session, which closes the browser.
    pub fn close(self) -> Result<(), String> {
        self.command("DELETE", "", None).map(drop)
    }
}

/// One request to the driver. The reply's `value`, or its WebDriver error.
fn request(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    for timeout in [
        stream.set_read_timeout(Some(SOCKET_TIMEOUT)),
        stream.set_write_timeout(Some(SOCKET_TIMEOUT)),
    ] {
        timeout.map_err(|e| format!("socket timeout: {e}"))?;
    }
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("{method} {path}: {e}"))?;
    let (status, reply) = read_response(stream).map_err(|e| format!("{method} {path}: {e}"))?;
    let reply: Value = serde_json::from_slice(&reply)
        .map_err(|e| format!("{method} {path}: HTTP {status}, not JSON: {e}"))?;
    if status != 200 {
        return Err(format!(
            "{method} {path}: HTTP {status}: {}",
            reply["value"]
        ));
    }
    Ok(reply["value"].clone())
}

/// The status code and the body of an HTTP/1.1 response, whole.
fn read_response(stream: TcpStream) -> std::io::Result<(u16, Vec<u8>)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid(format!("status line {line:?}")))?;
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').unwrap_or((header, ""));
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.parse().map_err(|_| invalid(format!("{header:?}")))?);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.eq_ignore_ascii_case("chunked");
        }
    }
    let mut body = Vec::new();
    if chunked {
        read_chunks(&mut reader, &mut body)?;
    } else if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else {
        reader.read_to_end(&mut body)?;
    }
    Ok((status, body))
}

/// A chunked body: hexadecimal sizes, each followed by that many bytes,
/// up to a size of zero.
fn read_chunks(reader: &mut impl BufRead, body: &mut Vec<u8>) -> std::io::Result<()> {
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let size = line.trim().split(';').next().unwrap_or("");
        let size =
            usize::from_str_radix(size, 16).map_err(|_| invalid(format!("chunk size {line:?}")))?;
        if size == 0 {
            return Ok(());
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        line.clear();
        reader.read_line(&mut line)?;
    }
}

fn invalid(what: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what)
}
