//! Sending to the organization's receivers: OTLP over HTTP(S) and syslog
//! over TLS (RFC 5425). What to send and when is decided in
//! `veil_core::fleet`; this module only moves bytes and names what went
//! wrong. TLS is the OS's own (SChannel on Windows, Secure Transport on
//! macOS, OpenSSL on Linux), so Windows and macOS check certificates the
//! way the rest of the machine does.

pub mod otlp_http;
pub mod syslog_tls;
pub mod tls;

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long a connection may take to open, and a read or write to finish.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const IO_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("{endpoint}: {message}")]
    Connect { endpoint: String, message: String },
    #[error("{endpoint}: TLS: {message}")]
    Tls { endpoint: String, message: String },
    #[error("{file}: {message}")]
    Certificate { file: String, message: String },
    #[error("{endpoint}: {message}")]
    Io { endpoint: String, message: String },
    #[error("{endpoint}: {message}")]
    Protocol { endpoint: String, message: String },
}

impl TransportError {
    /// A mistake in the policy's files or headers: retrying will not help
    /// until policy changes.
    pub fn is_configuration(&self) -> bool {
        matches!(self, TransportError::Certificate { .. })
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            "connection refused (is the receiver running?)".into()
        }
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => "no answer in time".into(),
        std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe => {
            "the receiver closed the connection".into()
        }
        _ => e.to_string(),
    }
}

/// Opens a TCP connection to the first address of `host` that answers.
pub(crate) fn connect_tcp(
    host: &str,
    port: u16,
    endpoint: &str,
) -> Result<TcpStream, TransportError> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| TransportError::Connect {
            endpoint: endpoint.into(),
            message: format!("cannot resolve {host}: {e}"),
        })?
        .collect();
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, CONNECT_TIMEOUT) {
            Ok(s) => {
                // The handshake gets the connect time limit; a
                // receiver that never answers it is not one.
                let _ = s.set_read_timeout(Some(CONNECT_TIMEOUT));
                let _ = s.set_write_timeout(Some(IO_TIMEOUT));
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(TransportError::Connect {
        endpoint: endpoint.into(),
        message: match last {
            Some(e) => io_message(&e),
            None => format!("{host} has no address"),
        },
    })
}
