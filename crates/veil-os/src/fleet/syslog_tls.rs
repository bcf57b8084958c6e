//! RFC 5425: syslog over TLS, one long-lived connection carrying
//! octet-counted frames. Syslog has no acknowledgement: a batch counts as
//! delivered once TLS has taken it and the socket is flushed (README, what
//! that guarantees). Before each batch the connection is checked for a
//! close from the receiver, so a restarted receiver is reconnected to
//! instead of written into the void.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use native_tls::{TlsConnector, TlsStream};

use super::{connect_tcp, io_message, tls, TransportError};

/// How long a new connection is watched for the receiver's refusal.
const ACCEPT_WAIT: Duration = Duration::from_millis(300);

pub struct SyslogClient {
    host: String,
    port: u16,
    connector: TlsConnector,
    stream: Option<TlsStream<TcpStream>>,
    has_client_certificate: bool,
}

impl SyslogClient {
    pub fn new(
        host: &str,
        port: u16,
        files: &tls::TlsFiles,
    ) -> Result<SyslogClient, TransportError> {
        Ok(SyslogClient {
            host: host.into(),
            port,
            connector: tls::connector(files)?,
            stream: None,
            has_client_certificate: !files.client_cert_file.is_empty(),
        })
    }

    pub fn endpoint(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    pub fn connected(&self) -> bool {
        self.stream.is_some()
    }

    /// Drops the connection (the next send opens a new one).
    pub fn disconnect(&mut self) {
        if let Some(mut s) = self.stream.take() {
            let _ = s.shutdown();
        }
    }

    /// Reads what the receiver sent, if anything, without waiting longer
    /// than `wait` (None: not at all). A syslog receiver never sends data,
    /// so anything but "nothing yet" is its close or its refusal (a TLS
    /// alert for the client certificate).
    fn probe(stream: &mut TlsStream<TcpStream>, wait: Option<Duration>) -> Result<(), String> {
        let set = match wait {
            None => stream.get_ref().set_nonblocking(true),
            Some(w) => stream.get_ref().set_read_timeout(Some(w)),
        };
        if let Err(e) = set {
            return Err(e.to_string());
        }
        let mut buf = [0u8; 512];
        let result = stream.read(&mut buf);
        let _ = stream.get_ref().set_nonblocking(false);
        let _ = stream.get_ref().set_read_timeout(Some(super::IO_TIMEOUT));
        match result {
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(()),
            Ok(0) => Err("the receiver closed the connection".into()),
            Ok(_) => Ok(()),
            Err(e) => Err(format!("the receiver refused the connection: {e}")),
        }
    }

    fn stream(&mut self) -> Result<&mut TlsStream<TcpStream>, TransportError> {
        if let Some(s) = self.stream.as_mut() {
            if Self::probe(s, None).is_err() {
                self.stream = None;
            }
        }
        if self.stream.is_none() {
            let shown = self.endpoint();
            let tcp = connect_tcp(&self.host, self.port, &shown)?;
            let mut s =
                self.connector
                    .connect(&self.host, tcp)
                    .map_err(|e| TransportError::Tls {
                        endpoint: shown.clone(),
                        message: tls::handshake_message(&e),
                    })?;
            // With TLS 1.3 the receiver checks the client certificate after
            // the client thinks the handshake is done; its refusal comes
            // within moments, before anything is written.
            Self::probe(&mut s, Some(ACCEPT_WAIT)).map_err(|message| TransportError::Tls {
                endpoint: shown,
                message: format!(
                    "{message} as soon as TLS was set up: the receiver does not accept this seat{}",
                    if self.has_client_certificate {
                        "'s client certificate (fleet.client_cert_file)"
                    } else {
                        " without a client certificate (fleet.client_cert_file)"
                    }
                ),
            })?;
            self.stream = Some(s);
        }
        self.stream.as_mut().ok_or_else(|| TransportError::Io {
            endpoint: String::new(),
            message: "no connection".into(),
        })
    }

    /// Writes the frames (already octet-counted) and flushes.
    pub fn send(&mut self, frames: &[u8]) -> Result<(), TransportError> {
        let shown = self.endpoint();
        let stream = self.stream()?;
        let result = stream.write_all(frames).and_then(|_| stream.flush());
        if let Err(e) = result {
            self.stream = None;
            return Err(TransportError::Io {
                endpoint: shown,
                message: io_message(&e),
            });
        }
        Ok(())
    }
}
