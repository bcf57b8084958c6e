//! The receivers' addresses, as policy gives them. Everything goes over
//! TLS, except plain `http://` to a collector on this very computer.

/// A parsed `fleet.otlp_endpoint`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpEndpoint {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    /// The base path; Veil posts to `{path}/v1/logs`.
    pub path: String,
}

impl HttpEndpoint {
    pub fn logs_path(&self) -> String {
        format!("{}/v1/logs", self.path.trim_end_matches('/'))
    }

    /// How it is shown in the status and the log.
    pub fn display(&self) -> String {
        format!(
            "{}://{}:{}{}",
            if self.tls { "https" } else { "http" },
            bracket(&self.host),
            self.port,
            self.logs_path()
        )
    }
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Why a receiver's address from policy cannot be used (the message reads
/// as the end of "key `fleet.otlp_endpoint`: ...").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("\"{0}\" must start with https:// (or http:// to this computer)")]
    NoScheme(String),
    #[error("put credentials in fleet.otlp_headers, not in the URL")]
    Credentials,
    #[error("\"{0}\" is plain http to another computer; use https:// (only a collector on this computer may use http://)")]
    PlainToAnotherComputer(String),
    #[error("the endpoint takes no query or fragment")]
    QueryOrFragment,
    #[error("\"{0}\": unclosed [")]
    UnclosedBracket(String),
    #[error("\"{0}\" has no host")]
    NoHost(String),
    #[error("\"{0}\" is not a port")]
    NotAPort(String),
    #[error("\"{0}\" needs a port, like \"{0}:6514\"")]
    NoPort(String),
}

/// Whether a host name or address is this computer.
pub fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

pub fn parse_url(url: &str) -> Result<HttpEndpoint, EndpointError> {
    let (tls, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return Err(EndpointError::NoScheme(url.into()));
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(EndpointError::Credentials);
    }
    let (host, port) = split_host_port(authority, if tls { 443 } else { 80 })?;
    if !tls && !is_loopback(&host) {
        return Err(EndpointError::PlainToAnotherComputer(url.into()));
    }
    if path.contains(['?', '#']) {
        return Err(EndpointError::QueryOrFragment);
    }
    Ok(HttpEndpoint {
        tls,
        host,
        port,
        path: path.to_string(),
    })
}

/// `host:port` (an IPv6 address in brackets).
pub fn split_host_port(s: &str, default_port: u16) -> Result<(String, u16), EndpointError> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or_else(|| EndpointError::UnclosedBracket(s.into()))?;
        let host = &rest[..end];
        let port = rest[end + 1..].strip_prefix(':');
        (host.to_string(), port)
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (s.to_string(), None),
        }
    };
    if host.is_empty() || host.contains([' ', '/']) {
        return Err(EndpointError::NoHost(s.into()));
    }
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| EndpointError::NotAPort(p.into()))?,
    };
    Ok((host, port))
}

pub fn check_url(v: &str) -> Result<(), EndpointError> {
    if v.is_empty() {
        return Ok(());
    }
    parse_url(v).map(|_| ())
}

pub fn check_host_port(v: &str) -> Result<(), EndpointError> {
    if v.is_empty() {
        return Ok(());
    }
    if !v.contains(':') {
        return Err(EndpointError::NoPort(v.into()));
    }
    split_host_port(v, 6514).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_this_computer() {
        for (url, ok) in [
            ("https://collector.example.com", true),
            ("https://collector.example.com:4318/otel", true),
            ("http://127.0.0.1:4318", true),
            ("http://localhost:4318", true),
            ("http://[::1]:4318", true),
            ("http://collector.example.com:4318", false),
            ("http://10.0.0.5:4318", false),
            ("ftp://x", false),
            ("https://user:pw@collector", false),
            ("https://:443", false),
        ] {
            assert_eq!(parse_url(url).is_ok(), ok, "{url}");
        }
        let e = parse_url("https://c.example.com:4318/otel/").unwrap();
        assert_eq!(e.logs_path(), "/otel/v1/logs");
        assert_eq!(e.display(), "https://c.example.com:4318/otel/v1/logs");
        assert_eq!(parse_url("https://c.example.com").unwrap().port, 443);
    }

    #[test]
    fn syslog_endpoints_need_a_port() {
        assert!(check_host_port("logs.example.com:6514").is_ok());
        assert!(check_host_port("[::1]:6514").is_ok());
        assert!(check_host_port("logs.example.com").is_err());
        assert!(check_host_port("logs.example.com:0").is_err());
        assert!(check_host_port("").is_ok());
    }
}
