//! The TLS settings of `fleet.*`: the organization's CA (only it is
//! trusted when set), and an optional client certificate for mutual TLS.

use std::path::Path;

use native_tls::{Certificate, Identity, Protocol, TlsConnector};

use super::TransportError;
use crate::files::{read_text, ReadError};

/// PEM files are small; anything bigger is not one.
const PEM_MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    /// Empty: the OS's trusted roots.
    pub ca_file: String,
    pub client_cert_file: String,
    pub client_key_file: String,
}

fn read_pem(file: &str) -> Result<String, TransportError> {
    let err = |message: String| TransportError::Certificate {
        file: file.into(),
        message,
    };
    match read_text(Path::new(file), PEM_MAX_BYTES) {
        Ok(t) => Ok(t),
        Err(ReadError::Missing) => Err(err("does not exist".into())),
        Err(e) => Err(err(e.to_string())),
    }
}

/// Every `-----BEGIN CERTIFICATE-----` block of a bundle.
fn certificate_blocks(pem: &str) -> Vec<String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find(BEGIN) {
        let Some(len) = rest[start..].find(END) else {
            break;
        };
        let end = start + len + END.len();
        out.push(rest[start..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// Builds the connector the transports share.
pub fn connector(files: &TlsFiles) -> Result<TlsConnector, TransportError> {
    let mut b = TlsConnector::builder();
    b.min_protocol_version(Some(Protocol::Tlsv12));
    if !files.ca_file.is_empty() {
        let pem = read_pem(&files.ca_file)?;
        let blocks = certificate_blocks(&pem);
        if blocks.is_empty() {
            return Err(TransportError::Certificate {
                file: files.ca_file.clone(),
                message: "holds no PEM certificate".into(),
            });
        }
        // The organization's CA only: a certificate some public CA issued
        // for the receiver's name is not enough.
        b.disable_built_in_roots(true);
        for block in blocks {
            let cert = Certificate::from_pem(block.as_bytes()).map_err(|e| {
                TransportError::Certificate {
                    file: files.ca_file.clone(),
                    message: format!("not a certificate Veil can read: {e}"),
                }
            })?;
            b.add_root_certificate(cert);
        }
    }
    match (
        files.client_cert_file.is_empty(),
        files.client_key_file.is_empty(),
    ) {
        (true, true) => {}
        (false, false) => {
            let cert = read_pem(&files.client_cert_file)?;
            let key = read_pem(&files.client_key_file)?;
            if certificate_blocks(&cert).is_empty() {
                return Err(TransportError::Certificate {
                    file: files.client_cert_file.clone(),
                    message: "holds no PEM certificate".into(),
                });
            }
            if !key.contains("-----BEGIN PRIVATE KEY-----") {
                return Err(TransportError::Certificate {
                    file: files.client_key_file.clone(),
                    message: "is not an unencrypted PKCS#8 key (\"BEGIN PRIVATE KEY\"); convert it with `openssl pkcs8 -topk8 -nocrypt`".into(),
                });
            }
            let identity = Identity::from_pkcs8(cert.as_bytes(), key.as_bytes()).map_err(|e| {
                TransportError::Certificate {
                    file: files.client_cert_file.clone(),
                    message: format!("the certificate and key do not make a client identity: {e}"),
                }
            })?;
            b.identity(identity);
        }
        (true, false) => {
            return Err(TransportError::Certificate {
                file: files.client_key_file.clone(),
                message: "a client key without fleet.client_cert_file".into(),
            })
        }
        (false, true) => {
            return Err(TransportError::Certificate {
                file: files.client_cert_file.clone(),
                message: "a client certificate without fleet.client_key_file".into(),
            })
        }
    }
    b.build().map_err(|e| TransportError::Certificate {
        file: files.ca_file.clone(),
        message: e.to_string(),
    })
}

/// A handshake failure in words IT can act on (the library's own text
/// after it).
pub(crate) fn handshake_message<S>(e: &native_tls::HandshakeError<S>) -> String {
    let raw = match e {
        native_tls::HandshakeError::Failure(e) => e.to_string(),
        native_tls::HandshakeError::WouldBlock(_) => "the handshake did not finish in time".into(),
    };
    let lower = raw.to_lowercase();
    let hint = if lower.contains("expired") {
        "the receiver's certificate has expired"
    } else if lower.contains("not yet valid") {
        "the receiver's certificate is not valid yet"
    } else if lower.contains("hostname mismatch") || lower.contains("name mismatch") {
        "the receiver's certificate is for another name"
    } else if lower.contains("unable to get local issuer")
        || lower.contains("self-signed")
        || lower.contains("self signed")
        || lower.contains("unknown ca")
        || lower.contains("untrusted")
    {
        "the receiver's certificate is not signed by the CA in fleet.ca_file"
    } else if lower.contains("certificate required") || lower.contains("bad certificate") {
        "the receiver refused Veil's client certificate"
    } else {
        "the TLS handshake failed"
    };
    format!("{hint} ({raw})")
}
