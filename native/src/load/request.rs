//! The request side of the configuration: the http:// URL taken apart, the host resolved, and the
//! requests encoded once as the bytes the engine writes (it only copies them).

use super::config::{err, ConfigError};
use std::collections::HashMap;
use std::net::{SocketAddr, ToSocketAddrs};

/// The parts of an http:// URL the engine uses.
#[derive(Debug, PartialEq, Eq)]
pub struct HttpUrl {
    pub host: String,
    pub port: u16,
    /// The Host header: host, and the port unless it is 80.
    pub authority: String,
    /// Path and query, at least "/".
    pub target: String,
}

pub fn parse_url(url: &str) -> Result<HttpUrl, ConfigError> {
    let bad = |why: &str| err("url", format!("{why}, got {url:?}"));
    let Some(scheme_end) = url.find("://") else {
        return Err(bad(
            "must be an absolute http:// URL (http://host:port/path)",
        ));
    };
    if !url[..scheme_end].eq_ignore_ascii_case("http") {
        return Err(bad(
            "must use http:// (the native engine speaks plain HTTP/1.1 only)",
        ));
    }
    let rest = &url[scheme_end + 3..];
    let rest = rest.split('#').next().unwrap_or("");
    let (authority, target) = match rest.find(['/', '?']) {
        Some(i) if rest.as_bytes()[i] == b'?' => (&rest[..i], format!("/{}", &rest[i..])),
        Some(i) => (&rest[..i], rest[i..].to_owned()),
        None => (rest, "/".to_owned()),
    };
    if authority.contains('@') {
        return Err(bad("must not carry a user name or password"));
    }
    if target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(bad(
            "must not contain spaces or control characters in its path",
        ));
    }
    let (host, port) = split_host_port(authority)
        .ok_or_else(|| bad("must name a host and an optional port (1-65535)"))?;
    if host.is_empty() {
        return Err(bad("must name a host"));
    }
    let authority = if port == 80 {
        authority.trim_end_matches(":80").to_owned()
    } else {
        authority.to_owned()
    };
    Ok(HttpUrl {
        host,
        port,
        authority,
        target,
    })
}

fn split_host_port(authority: &str) -> Option<(String, u16)> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']')?;
        let after = &v6[end + 1..];
        let port = if after.is_empty() {
            None
        } else {
            Some(after.strip_prefix(':')?)
        };
        (v6[..end].to_owned(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (authority.to_owned(), None),
        }
    };
    let port = match port {
        None => 80,
        Some(p) => p.parse::<u16>().ok().filter(|&p| p > 0)?,
    };
    Some((host, port))
}

/// The host's address; IPv4 first when it has both (a server listening on 127.0.0.1 only is common).
pub fn resolve(host: &str, port: u16) -> Result<SocketAddr, ConfigError> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| err("url", format!("host {host:?} cannot be resolved: {e}")))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| err("url", format!("host {host:?} has no address")))
}

pub fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// One encoded request per body (or one without a body).
pub fn encode_requests(
    method: &str,
    url: &HttpUrl,
    headers: &HashMap<String, String>,
    bodies: &[String],
) -> Result<Vec<Vec<u8>>, ConfigError> {
    let mut names: Vec<&String> = headers.keys().collect();
    // A fixed order: the same bytes on every run.
    names.sort();
    let mut common = format!("{method} {} HTTP/1.1\r\n", url.target);
    let mut has_host = false;
    for name in names {
        let value = &headers[name];
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(err(
                "headers",
                format!("has an invalid header name {name:?}"),
            ));
        }
        if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
            return Err(err(
                "headers",
                format!("has a line break or NUL in the value of {name:?}"),
            ));
        }
        if name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(err(
                "headers",
                "must not set transfer-encoding (bodies are sent with a Content-Length)",
            ));
        }
        has_host |= name.eq_ignore_ascii_case("host");
        common.push_str(&format!("{name}: {value}\r\n"));
    }
    if !has_host {
        common.push_str(&format!("Host: {}\r\n", url.authority));
    }
    if bodies.is_empty() {
        common.push_str("\r\n");
        return Ok(vec![common.into_bytes()]);
    }
    Ok(bodies
        .iter()
        .map(|body| {
            let mut r = format!("{common}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
            r.extend_from_slice(body.as_bytes());
            r
        })
        .collect())
}
