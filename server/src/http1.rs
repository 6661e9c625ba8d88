//! A minimal HTTP/1.1 client for the benchmarks' load generators: requests on one kept-alive connection, reading
//! `Content-Length` or chunked bodies. Small and predictable on purpose: the generator must cost the machine far
//! less than the server it measures, and report exactly what the server did with each connection.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What the server answered.
pub struct Answer {
    pub status: u16,
    /// Header lines, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The server said `Connection: close`: this answer is complete, but the connection cannot be reused.
    pub closing: bool,
}

impl Answer {
    /// Every value of a header that may repeat (`set-cookie`).
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

pub struct HttpConn {
    stream: TcpStream,
    buf: Vec<u8>,
    host: String,
}

impl HttpConn {
    pub async fn connect(addr: SocketAddr) -> std::io::Result<HttpConn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(HttpConn { stream, buf: Vec::with_capacity(16 * 1024), host: addr.to_string() })
    }

    /// A GET as a browser's `fetch` sends it (JSON, brotli/gzip accepted when `compressed`). An answer with
    /// `Connection: close` is an error here: the benchmark's connections are meant to stay open.
    pub async fn get(&mut self, path: &str, compressed: bool) -> std::io::Result<(u16, Vec<u8>)> {
        let encoding = if compressed { "Accept-Encoding: br, gzip\r\n" } else { "" };
        let head = format!("Accept: application/json\r\n{encoding}");
        let answer = self.send("GET", path, &head, b"").await?;
        if answer.closing {
            return Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "server closed the connection"));
        }
        Ok((answer.status, answer.body))
    }

    /// Sends one request (`headers`: complete `Name: value\r\n` lines, `Host` and `Content-Length` added) and
    /// reads its answer.
    pub async fn send(&mut self, method: &str, path: &str, headers: &str, body: &[u8]) -> std::io::Result<Answer> {
        let length = if body.is_empty() && method == "GET" {
            String::new()
        } else {
            format!("Content-Length: {}\r\n", body.len())
        };
        let host = &self.host;
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n{headers}{length}\r\n").into_bytes();
        request.extend_from_slice(body);
        self.stream.write_all(&request).await?;
        self.answer().await
    }

    async fn answer(&mut self) -> std::io::Result<Answer> {
        let head_end = self.until(b"\r\n\r\n").await?;
        let head = String::from_utf8_lossy(&self.buf[..head_end]).to_string();
        self.buf.drain(..head_end + 4);
        let status = head.get(9..12).and_then(|s| s.parse().ok()).ok_or_else(|| invalid("no status"))?;
        let headers: Vec<(String, String)> = head
            .lines()
            .skip(1)
            .filter_map(|line| {
                let (key, value) = line.split_once(':')?;
                Some((key.trim().to_ascii_lowercase(), value.trim().to_owned()))
            })
            .collect();
        let header =
            |name: &str| headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.to_ascii_lowercase());
        let mut body = Vec::new();
        if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            loop {
                let line_end = self.until(b"\r\n").await?;
                let size_text = String::from_utf8_lossy(&self.buf[..line_end]).to_string();
                let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| invalid("bad chunk size"))?;
                self.buf.drain(..line_end + 2);
                if size == 0 {
                    // Trailers, if any, end with an empty line.
                    loop {
                        let end = self.until(b"\r\n").await?;
                        self.buf.drain(..end + 2);
                        if end == 0 {
                            break;
                        }
                    }
                    break;
                }
                self.fill_to(size + 2).await?;
                body.extend_from_slice(&self.buf[..size]);
                self.buf.drain(..size + 2);
            }
        } else {
            let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
            self.fill_to(length).await?;
            body.extend(self.buf.drain(..length));
        }
        let closing = header("connection").is_some_and(|v| v == "close");
        Ok(Answer { status, headers, body, closing })
    }

    /// Reads until `pattern` is buffered; returns where it starts.
    async fn until(&mut self, pattern: &[u8]) -> std::io::Result<usize> {
        let mut from = 0;
        loop {
            if let Some(at) = self.buf[from..].windows(pattern.len()).position(|w| w == pattern) {
                return Ok(from + at);
            }
            from = self.buf.len().saturating_sub(pattern.len() - 1);
            self.fill().await?;
        }
    }

    async fn fill_to(&mut self, len: usize) -> std::io::Result<()> {
        while self.buf.len() < len {
            self.fill().await?;
        }
        Ok(())
    }

    async fn fill(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let read = self.stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        self.buf.extend_from_slice(&chunk[..read]);
        Ok(())
    }
}

fn invalid(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned())
}
