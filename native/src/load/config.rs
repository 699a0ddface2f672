//! The load run's configuration: the object JavaScript passes (`LoadRunConfig`), checked once into a
//! `RunConfig` the engine trusts. Every error names the field at fault. The requests are encoded here,
//! once: the engine only copies their bytes.

use super::arrivals::ArrivalProcess;
use super::request::{encode_requests, is_token_byte, parse_url, resolve};
use napi_derive::napi;
use std::collections::HashMap;
use std::net::SocketAddr;

/// How a native load run is configured (`LoadRun.start`). Times are milliseconds unless the name says otherwise.
#[napi(object)]
#[derive(Clone, Default)]
pub struct LoadRunConfig {
    /// Where to send: `http://host[:port][/path][?query]` (plain HTTP/1.1; https is not supported).
    pub url: String,
    /// Request method, e.g. 'GET' or 'POST'. @default 'GET'
    pub method: Option<String>,
    /// Request headers. Host is set from the URL and Content-Length from the body unless given here.
    pub headers: Option<HashMap<String, String>>,
    /// Bodies sent in turn, one per request; none (or empty) for requests without a body.
    pub bodies: Option<Vec<String>>,
    /// 'closed': `connections` keep-alive connections each sending back to back; 'open': arrivals at `rateRps`.
    #[napi(ts_type = "'closed' | 'open'")]
    pub mode: String,
    /// Load applied before the measured window and excluded from every figure. @default 0
    pub warmup_ms: Option<f64>,
    /// Length of the measured window. Required, except in closed mode with `amount` (then the longest the
    /// window may last; @default 600000 there).
    pub duration_ms: Option<f64>,
    /// A request without a complete response this long after it was sent is a timeout. @default 10000
    pub timeout_ms: Option<f64>,
    /// Width of the latency time-series bins. @default 1000
    pub bin_ms: Option<f64>,
    /// Threads that generate the load, each with its own share of the connections (closed) or arrivals
    /// (open). @default 1
    pub threads: Option<f64>,
    /// Closed mode: keep-alive connections, at least `threads`.
    pub connections: Option<f64>,
    /// Closed mode: requests in flight on each connection (written before their answers are read). @default 1
    pub pipelining: Option<f64>,
    /// Closed mode: end the window once this many requests have completed or failed in it.
    pub amount: Option<f64>,
    /// Open mode: target arrival rate, requests per second.
    pub rate_rps: Option<f64>,
    /// Open mode: exponential gaps ('poisson') or equal ones ('constant'). @default 'poisson'
    #[napi(ts_type = "'poisson' | 'constant'")]
    pub arrivals: Option<String>,
    /// Open mode: seed of the Poisson arrivals (same seed, same schedule as servebench's JS engine). @default 1
    pub seed: Option<f64>,
    /// Open mode: requests in flight at once (one connection each), at least `threads`; later arrivals wait
    /// and their wait counts in their latency. @default 256
    pub max_in_flight: Option<f64>,
    /// Open mode: a send later than this after its scheduled time counts as late, microseconds. @default 5000
    pub late_tolerance_us: Option<f64>,
}

/// A configuration error: the field at fault and what is wrong with it.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.message)
    }
}

/// Closed or open loop, with the settings of each.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    Closed {
        connections: u32,
        pipelining: u32,
        amount: Option<u64>,
    },
    Open {
        rate_rps: f64,
        arrivals: ArrivalProcess,
        seed: u32,
        max_in_flight: u32,
        late_tolerance_ns: u64,
    },
}

/// A checked configuration.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub addr: SocketAddr,
    /// The encoded requests, one per body (sent in turn).
    pub requests: Vec<Vec<u8>>,
    /// HEAD requests: responses carry no body.
    pub head: bool,
    pub warmup_ns: u64,
    pub duration_ns: u64,
    pub timeout_ns: u64,
    pub bin_ns: u64,
    pub threads: u32,
    pub mode: Mode,
}

const MS: u64 = 1_000_000;
/// Longest window with an amount and no duration (autocannon's "amount" cap in the JS engine).
const AMOUNT_CAP_MS: f64 = 600_000.0;
const MAX_MS: f64 = 86_400_000.0;

pub(super) fn err(field: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field,
        message: message.into(),
    }
}

/// A millisecond figure in [min, MAX_MS], or the default when absent.
fn ms(
    field: &'static str,
    v: Option<f64>,
    default: Option<f64>,
    min: f64,
) -> Result<u64, ConfigError> {
    let v = match (v, default) {
        (Some(v), _) => v,
        (None, Some(d)) => d,
        (None, None) => return Err(err(field, "is required")),
    };
    if !v.is_finite() || v < min || v > MAX_MS {
        return Err(err(
            field,
            format!("must be a number of milliseconds between {min} and {MAX_MS}, got {v}"),
        ));
    }
    Ok((v * MS as f64).round() as u64)
}

/// An integer in [min, max], or the default when absent.
fn int(
    field: &'static str,
    v: Option<f64>,
    default: Option<f64>,
    min: f64,
    max: f64,
) -> Result<u64, ConfigError> {
    let v = match (v, default) {
        (Some(v), _) => v,
        (None, Some(d)) => d,
        (None, None) => return Err(err(field, "is required")),
    };
    if !v.is_finite() || v.fract() != 0.0 || v < min || v > max {
        return Err(err(
            field,
            format!("must be an integer between {min} and {max}, got {v}"),
        ));
    }
    Ok(v as u64)
}

/// Refuse a field that belongs to the other mode: it would be silently ignored otherwise.
fn forbid(field: &'static str, v: &Option<impl Sized>, mode: &str) -> Result<(), ConfigError> {
    match v {
        Some(_) => Err(err(field, format!("does not apply to mode '{mode}'"))),
        None => Ok(()),
    }
}

/// Check `c` and encode its requests.
pub fn validate(c: &LoadRunConfig) -> Result<RunConfig, ConfigError> {
    let url = parse_url(&c.url)?;
    let method = c.method.clone().unwrap_or_else(|| "GET".to_owned());
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(err(
            "method",
            format!("must be an HTTP method such as GET or POST, got {method:?}"),
        ));
    }
    let threads = int("threads", c.threads, Some(1.0), 1.0, 256.0)? as u32;
    let mode = match c.mode.as_str() {
        "closed" => closed_mode(c, threads)?,
        "open" => open_mode(c, threads)?,
        other => {
            return Err(err(
                "mode",
                format!("must be 'closed' or 'open', got {other:?}"),
            ))
        }
    };
    let amount_given = matches!(
        mode,
        Mode::Closed {
            amount: Some(_),
            ..
        }
    );
    let duration_default = if amount_given {
        Some(AMOUNT_CAP_MS)
    } else {
        None
    };
    let headers = c.headers.clone().unwrap_or_default();
    let bodies = c.bodies.clone().unwrap_or_default();
    Ok(RunConfig {
        addr: resolve(&url.host, url.port)?,
        requests: encode_requests(&method, &url, &headers, &bodies)?,
        head: method.eq_ignore_ascii_case("HEAD"),
        warmup_ns: ms("warmupMs", c.warmup_ms, Some(0.0), 0.0)?,
        duration_ns: ms("durationMs", c.duration_ms, duration_default, 1.0)?,
        timeout_ns: ms("timeoutMs", c.timeout_ms, Some(10_000.0), 1.0)?,
        bin_ns: ms("binMs", c.bin_ms, Some(1000.0), 1.0)?,
        threads,
        mode,
    })
}

fn closed_mode(c: &LoadRunConfig, threads: u32) -> Result<Mode, ConfigError> {
    forbid("rateRps", &c.rate_rps, "closed")?;
    forbid("arrivals", &c.arrivals, "closed")?;
    forbid("seed", &c.seed, "closed")?;
    forbid("maxInFlight", &c.max_in_flight, "closed")?;
    forbid("lateToleranceUs", &c.late_tolerance_us, "closed")?;
    let connections = int("connections", c.connections, None, 1.0, 100_000.0)? as u32;
    if connections < threads {
        return Err(err(
            "connections",
            format!("must be at least threads ({threads}), got {connections}"),
        ));
    }
    let pipelining = int("pipelining", c.pipelining, Some(1.0), 1.0, 1024.0)? as u32;
    let amount = match c.amount {
        None => None,
        Some(a) => Some(int("amount", Some(a), None, 1.0, 1e12)?),
    };
    Ok(Mode::Closed {
        connections,
        pipelining,
        amount,
    })
}

fn open_mode(c: &LoadRunConfig, threads: u32) -> Result<Mode, ConfigError> {
    forbid("connections", &c.connections, "open")?;
    forbid("pipelining", &c.pipelining, "open")?;
    forbid("amount", &c.amount, "open")?;
    let rate_rps = match c.rate_rps {
        Some(r) if r.is_finite() && r > 0.0 && r <= 10_000_000.0 => r,
        Some(r) => {
            return Err(err(
                "rateRps",
                format!("must be a rate above 0 and at most 1e7 requests per second, got {r}"),
            ))
        }
        None => return Err(err("rateRps", "is required in mode 'open'")),
    };
    let arrivals = match c.arrivals.as_deref() {
        None | Some("poisson") => ArrivalProcess::Poisson,
        Some("constant") => ArrivalProcess::Constant,
        Some(other) => {
            return Err(err(
                "arrivals",
                format!("must be 'poisson' or 'constant', got {other:?}"),
            ))
        }
    };
    let seed = int("seed", c.seed, Some(1.0), 0.0, u32::MAX as f64)? as u32;
    let max_in_flight = int("maxInFlight", c.max_in_flight, Some(256.0), 1.0, 100_000.0)? as u32;
    if max_in_flight < threads {
        return Err(err(
            "maxInFlight",
            format!("must be at least threads ({threads}), got {max_in_flight}"),
        ));
    }
    let late_tolerance_ns = int(
        "lateToleranceUs",
        c.late_tolerance_us.map(f64::round),
        Some(5000.0),
        0.0,
        60e6,
    )? * 1000;
    Ok(Mode::Open {
        rate_rps,
        arrivals,
        seed,
        max_in_flight,
        late_tolerance_ns,
    })
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
