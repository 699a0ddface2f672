//! Configuration checks: defaults, every refusal names its field, URL forms, request encoding.

use super::*;
use crate::load::request::{encode_requests, parse_url};

fn closed() -> LoadRunConfig {
    LoadRunConfig {
        url: "http://127.0.0.1:8080/x?y=1".into(),
        mode: "closed".into(),
        duration_ms: Some(1000.0),
        connections: Some(4.0),
        ..Default::default()
    }
}

fn open() -> LoadRunConfig {
    LoadRunConfig {
        url: "http://127.0.0.1:8080/".into(),
        mode: "open".into(),
        duration_ms: Some(1000.0),
        rate_rps: Some(100.0),
        ..Default::default()
    }
}

fn field_of(c: LoadRunConfig) -> &'static str {
    validate(&c).expect_err("should be refused").field
}

#[test]
fn defaults() {
    let c = validate(&closed()).unwrap();
    assert_eq!(c.addr, "127.0.0.1:8080".parse().unwrap());
    assert_eq!(
        (
            c.warmup_ns,
            c.duration_ns,
            c.timeout_ns,
            c.bin_ns,
            c.threads
        ),
        (0, 1_000_000_000, 10_000_000_000, 1_000_000_000, 1)
    );
    assert_eq!(
        c.mode,
        Mode::Closed {
            connections: 4,
            pipelining: 1,
            amount: None
        }
    );
    let o = validate(&open()).unwrap();
    assert_eq!(
        o.mode,
        Mode::Open {
            rate_rps: 100.0,
            arrivals: ArrivalProcess::Poisson,
            seed: 1,
            max_in_flight: 256,
            late_tolerance_ns: 5_000_000
        }
    );
}

#[test]
fn each_bad_field_is_named() {
    let cases: Vec<(LoadRunConfig, &str)> = vec![
        (
            LoadRunConfig {
                url: "https://example.com/".into(),
                ..closed()
            },
            "url",
        ),
        (
            LoadRunConfig {
                url: "127.0.0.1:8080".into(),
                ..closed()
            },
            "url",
        ),
        (
            LoadRunConfig {
                url: "http://127.0.0.1:0/".into(),
                ..closed()
            },
            "url",
        ),
        (
            LoadRunConfig {
                url: "http://u:p@127.0.0.1/".into(),
                ..closed()
            },
            "url",
        ),
        (
            LoadRunConfig {
                method: Some("GE T".into()),
                ..closed()
            },
            "method",
        ),
        (
            LoadRunConfig {
                mode: "half-open".into(),
                ..closed()
            },
            "mode",
        ),
        (
            LoadRunConfig {
                duration_ms: None,
                ..closed()
            },
            "durationMs",
        ),
        (
            LoadRunConfig {
                duration_ms: Some(f64::NAN),
                ..closed()
            },
            "durationMs",
        ),
        (
            LoadRunConfig {
                warmup_ms: Some(-1.0),
                ..closed()
            },
            "warmupMs",
        ),
        (
            LoadRunConfig {
                timeout_ms: Some(0.0),
                ..closed()
            },
            "timeoutMs",
        ),
        (
            LoadRunConfig {
                bin_ms: Some(0.0),
                ..closed()
            },
            "binMs",
        ),
        (
            LoadRunConfig {
                threads: Some(0.0),
                ..closed()
            },
            "threads",
        ),
        (
            LoadRunConfig {
                threads: Some(1.5),
                ..closed()
            },
            "threads",
        ),
        (
            LoadRunConfig {
                connections: None,
                ..closed()
            },
            "connections",
        ),
        (
            LoadRunConfig {
                connections: Some(2.0),
                threads: Some(4.0),
                ..closed()
            },
            "connections",
        ),
        (
            LoadRunConfig {
                pipelining: Some(0.0),
                ..closed()
            },
            "pipelining",
        ),
        (
            LoadRunConfig {
                amount: Some(0.0),
                ..closed()
            },
            "amount",
        ),
        (
            LoadRunConfig {
                rate_rps: Some(10.0),
                ..closed()
            },
            "rateRps",
        ),
        (
            LoadRunConfig {
                rate_rps: None,
                ..open()
            },
            "rateRps",
        ),
        (
            LoadRunConfig {
                rate_rps: Some(0.0),
                ..open()
            },
            "rateRps",
        ),
        (
            LoadRunConfig {
                arrivals: Some("bursty".into()),
                ..open()
            },
            "arrivals",
        ),
        (
            LoadRunConfig {
                seed: Some(-1.0),
                ..open()
            },
            "seed",
        ),
        (
            LoadRunConfig {
                max_in_flight: Some(0.0),
                ..open()
            },
            "maxInFlight",
        ),
        (
            LoadRunConfig {
                max_in_flight: Some(1.0),
                threads: Some(2.0),
                ..open()
            },
            "maxInFlight",
        ),
        (
            LoadRunConfig {
                late_tolerance_us: Some(-5.0),
                ..open()
            },
            "lateToleranceUs",
        ),
        (
            LoadRunConfig {
                connections: Some(1.0),
                ..open()
            },
            "connections",
        ),
        (
            LoadRunConfig {
                amount: Some(10.0),
                ..open()
            },
            "amount",
        ),
        (
            LoadRunConfig {
                headers: Some([("bad name".to_owned(), "v".to_owned())].into()),
                ..closed()
            },
            "headers",
        ),
        (
            LoadRunConfig {
                headers: Some([("x".to_owned(), "a\r\nb".to_owned())].into()),
                ..closed()
            },
            "headers",
        ),
        (
            LoadRunConfig {
                headers: Some([("Transfer-Encoding".to_owned(), "chunked".to_owned())].into()),
                ..closed()
            },
            "headers",
        ),
    ];
    for (c, field) in cases {
        let e = validate(&c)
            .err()
            .unwrap_or_else(|| panic!("{field} case accepted"));
        assert_eq!(e.field, field, "{e}");
        assert!(e.to_string().starts_with(field), "{e}");
    }
    assert_eq!(
        field_of(LoadRunConfig {
            url: "http://no-such-host.invalid/".into(),
            ..closed()
        }),
        "url"
    );
}

#[test]
fn amount_makes_the_duration_a_cap() {
    let c = validate(&LoadRunConfig {
        duration_ms: None,
        amount: Some(500.0),
        ..closed()
    })
    .unwrap();
    assert_eq!(c.duration_ns, 600_000 * 1_000_000);
    assert_eq!(
        c.mode,
        Mode::Closed {
            connections: 4,
            pipelining: 1,
            amount: Some(500)
        }
    );
}

#[test]
fn url_forms() {
    let u = parse_url("http://localhost").unwrap();
    assert_eq!(
        (
            u.host.as_str(),
            u.port,
            u.authority.as_str(),
            u.target.as_str()
        ),
        ("localhost", 80, "localhost", "/")
    );
    let u = parse_url("HTTP://[::1]:9000?q=2#frag").unwrap();
    assert_eq!(
        (
            u.host.as_str(),
            u.port,
            u.authority.as_str(),
            u.target.as_str()
        ),
        ("::1", 9000, "[::1]:9000", "/?q=2")
    );
    let u = parse_url("http://h:80/a/b").unwrap();
    assert_eq!((u.authority.as_str(), u.target.as_str()), ("h", "/a/b"));
    assert!(parse_url("http://h:99999/").is_err());
    assert!(parse_url("http:///path").is_err());
}

#[test]
fn requests_are_encoded_once_per_body() {
    let url = parse_url("http://127.0.0.1:8080/score").unwrap();
    let headers: HashMap<String, String> = [
        ("content-type".to_owned(), "application/json".to_owned()),
        ("Content-Length".to_owned(), "999".to_owned()),
    ]
    .into();
    let rs = encode_requests("POST", &url, &headers, &["{}".to_owned(), "[1]".to_owned()]).unwrap();
    assert_eq!(rs.len(), 2);
    assert_eq!(
        String::from_utf8(rs[1].clone()).unwrap(),
        "POST /score HTTP/1.1\r\ncontent-type: application/json\r\nHost: 127.0.0.1:8080\r\nContent-Length: 3\r\n\r\n[1]"
    );
    let get = encode_requests("GET", &url, &HashMap::new(), &[]).unwrap();
    assert_eq!(
        get,
        vec![b"GET /score HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".to_vec()]
    );
}
