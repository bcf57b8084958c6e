//! OTLP logs over HTTP: one POST of a gzip'd protobuf
//! `ExportLogsServiceRequest` to `/v1/logs`, one connection a batch
//! (`Connection: close`), so no state lingers between batches and a
//! receiver that went away is noticed on the next send.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use flate2::write::GzEncoder;
use flate2::Compression;
use native_tls::{TlsConnector, TlsStream};
use veil_core::fleet::endpoint::HttpEndpoint;

use super::{connect_tcp, io_message, tls, TransportError};

/// A response bigger than this is cut (only its status and start matter).
const RESPONSE_MAX_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub retry_after: Option<Duration>,
    /// The body as it came (at most the response cap): a protobuf
    /// `ExportLogsServiceResponse`, or an error's text.
    pub body: Vec<u8>,
}

pub struct OtlpClient {
    endpoint: HttpEndpoint,
    headers: Vec<(String, String)>,
    connector: Option<TlsConnector>,
    user_agent: String,
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// Header names are HTTP tokens; values carry no line breaks.
fn check_header(name: &str, value: &str) -> Result<(), String> {
    let token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !token {
        return Err(format!("fleet.otlp_headers: `{name}` is not a header name"));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(format!(
            "fleet.otlp_headers: the value of `{name}` has a line break"
        ));
    }
    for reserved in [
        "host",
        "content-length",
        "content-type",
        "content-encoding",
        "connection",
        "transfer-encoding",
    ] {
        if name.eq_ignore_ascii_case(reserved) {
            return Err(format!("fleet.otlp_headers: `{name}` is set by Veil"));
        }
    }
    Ok(())
}

impl OtlpClient {
    pub fn new(
        endpoint: HttpEndpoint,
        headers: &BTreeMap<String, String>,
        files: &tls::TlsFiles,
        version: &str,
    ) -> Result<OtlpClient, TransportError> {
        for (k, v) in headers {
            check_header(k, v).map_err(|message| TransportError::Certificate {
                file: "policy".into(),
                message,
            })?;
        }
        let connector = if endpoint.tls {
            Some(tls::connector(files)?)
        } else {
            None
        };
        Ok(OtlpClient {
            endpoint,
            headers: headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            connector,
            user_agent: format!("veil/{version}"),
        })
    }

    pub fn endpoint(&self) -> String {
        self.endpoint.display()
    }

    fn open(&self) -> Result<Stream, TransportError> {
        let shown = self.endpoint();
        let tcp = connect_tcp(&self.endpoint.host, self.endpoint.port, &shown)?;
        match &self.connector {
            None => {
                let _ = tcp.set_read_timeout(Some(super::IO_TIMEOUT));
                Ok(Stream::Plain(tcp))
            }
            Some(c) => c
                .connect(&self.endpoint.host, tcp)
                .map(|s| {
                    let _ = s.get_ref().set_read_timeout(Some(super::IO_TIMEOUT));
                    Stream::Tls(Box::new(s))
                })
                .map_err(|e| TransportError::Tls {
                    endpoint: shown,
                    message: tls::handshake_message(&e),
                }),
        }
    }

    /// Posts one protobuf request (gzip'd here) and reads the answer.
    pub fn post(&self, protobuf: &[u8]) -> Result<Response, TransportError> {
        let shown = self.endpoint();
        let io = |e: std::io::Error| TransportError::Io {
            endpoint: shown.clone(),
            message: io_message(&e),
        };
        let mut gz = GzEncoder::new(Vec::with_capacity(protobuf.len() / 3), Compression::fast());
        gz.write_all(protobuf).map_err(io)?;
        let body = gz.finish().map_err(io)?;
        let default_port = if self.endpoint.tls { 443 } else { 80 };
        let host = if self.endpoint.port == default_port {
            self.endpoint.host.clone()
        } else if self.endpoint.host.contains(':') {
            format!("[{}]:{}", self.endpoint.host, self.endpoint.port)
        } else {
            format!("{}:{}", self.endpoint.host, self.endpoint.port)
        };
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {}\r\nContent-Type: application/x-protobuf\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.endpoint.logs_path(),
            self.user_agent,
            body.len()
        );
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let mut stream = self.open()?;
        stream.write_all(head.as_bytes()).map_err(io)?;
        stream.write_all(&body).map_err(io)?;
        stream.flush().map_err(io)?;
        let mut raw = Vec::new();
        let mut buf = [0u8; 16 * 1024];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    raw.extend_from_slice(&buf[..n]);
                    if raw.len() >= RESPONSE_MAX_BYTES || response_complete(&raw) {
                        break;
                    }
                }
                // A TLS peer that closes without close_notify: what came is the answer.
                Err(_) if response_complete(&raw) => break,
                Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(io(e)),
            }
        }
        parse_response(&raw).ok_or_else(|| TransportError::Protocol {
            endpoint: shown,
            message: if raw.is_empty() {
                "the receiver closed the connection without an answer".into()
            } else {
                "the answer is not HTTP".into()
            },
        })
    }
}

fn header_end(raw: &[u8]) -> Option<usize> {
    raw.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// Headers seen and, with a Content-Length, the whole body.
fn response_complete(raw: &[u8]) -> bool {
    let Some(end) = header_end(raw) else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]);
    match header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        Some(n) => raw.len() >= end + n,
        None => false,
    }
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

pub fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = header_end(raw)?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let status_line = head.lines().next()?;
    let mut parts = status_line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let status: u16 = parts.next()?.parse().ok()?;
    let retry_after =
        header(&head, "retry-after").and_then(veil_core::fleet::retry::parse_retry_after);
    let body = raw[end..].to_vec();
    Some(Response {
        status,
        retry_after,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read() {
        let r = parse_response(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 4\r\n\r\nbusy",
        )
        .unwrap();
        assert_eq!(r.status, 503);
        assert_eq!(r.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(r.body, b"busy");
        assert!(response_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        ));
        assert!(!response_complete(
            b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab"
        ));
        assert_eq!(parse_response(b"SSH-2.0\r\n\r\n"), None);
    }

    #[test]
    fn headers_cannot_smuggle_lines() {
        assert!(check_header("Authorization", "Bearer x").is_ok());
        assert!(check_header("X-Token", "a\r\nHost: evil").is_err());
        assert!(check_header("Bad Name", "v").is_err());
        assert!(check_header("Content-Length", "1").is_err());
    }
}
