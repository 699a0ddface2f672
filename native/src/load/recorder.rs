//! Per-thread figures of a load run: the latency histogram of successes (microseconds, HDR, 3 significant
//! digits), the time-series bins, failures by kind with their codes, throughput per second and bytes.
//! Each engine thread owns one Recorder, without locks; the report adds them up at the end.

use hdrhistogram::Histogram;
use std::collections::HashMap;
use std::io;

/// Highest latency tracked without resizing: 10 minutes in microseconds (the histogram grows beyond if needed).
pub const HIGHEST_US: u64 = 600_000_000;

/// The four kinds of failure (FailureCounts in src/results/load.ts): every failed request is one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Connection refused, protocol and other errors that are neither timeouts nor resets.
    Errors = 0,
    /// No complete response within the request timeout.
    Timeouts = 1,
    /// A complete response with a status outside 2xx.
    Non2xx = 2,
    /// The connection was reset or closed by the server before the response was complete.
    Resets = 3,
}

/// Why one request failed: its kind, and a code for the failureCodes map (an errno name such as
/// ECONNREFUSED, 'timeout', 'closed-by-server', 'EPROTO', 'unfinished', or the HTTP status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure {
    pub kind: Kind,
    pub code: Code,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    Name(&'static str),
    Status(u16),
}

impl Failure {
    pub const TIMEOUT: Failure = Failure {
        kind: Kind::Timeouts,
        code: Code::Name("timeout"),
    };
    pub const UNFINISHED: Failure = Failure {
        kind: Kind::Timeouts,
        code: Code::Name("unfinished"),
    };
    pub const CLOSED: Failure = Failure {
        kind: Kind::Resets,
        code: Code::Name("closed-by-server"),
    };

    pub fn protocol() -> Failure {
        Failure {
            kind: Kind::Errors,
            code: Code::Name("EPROTO"),
        }
    }

    pub fn status(status: u16) -> Failure {
        Failure {
            kind: Kind::Non2xx,
            code: Code::Status(status),
        }
    }

    /// The kind and code of a socket error.
    pub fn from_io(e: &io::Error) -> Failure {
        let (kind, name) = match e.raw_os_error() {
            Some(n) => errno_name(n),
            None => match e.kind() {
                io::ErrorKind::ConnectionRefused => (Kind::Errors, "ECONNREFUSED"),
                io::ErrorKind::ConnectionReset => (Kind::Resets, "ECONNRESET"),
                io::ErrorKind::BrokenPipe => (Kind::Resets, "EPIPE"),
                io::ErrorKind::TimedOut => (Kind::Timeouts, "ETIMEDOUT"),
                _ => (Kind::Errors, "EOTHER"),
            },
        };
        Failure {
            kind,
            code: Code::Name(name),
        }
    }
}

#[cfg(unix)]
fn errno_name(n: i32) -> (Kind, &'static str) {
    use Kind::*;
    match n {
        libc::ECONNREFUSED => (Errors, "ECONNREFUSED"),
        libc::ECONNRESET => (Resets, "ECONNRESET"),
        libc::EPIPE => (Resets, "EPIPE"),
        libc::ECONNABORTED => (Resets, "ECONNABORTED"),
        libc::ETIMEDOUT => (Timeouts, "ETIMEDOUT"),
        libc::EHOSTUNREACH => (Errors, "EHOSTUNREACH"),
        libc::ENETUNREACH => (Errors, "ENETUNREACH"),
        libc::ENETDOWN => (Errors, "ENETDOWN"),
        libc::EADDRNOTAVAIL => (Errors, "EADDRNOTAVAIL"),
        libc::EADDRINUSE => (Errors, "EADDRINUSE"),
        libc::EMFILE => (Errors, "EMFILE"),
        libc::ENFILE => (Errors, "ENFILE"),
        libc::ENOBUFS => (Errors, "ENOBUFS"),
        libc::ENOMEM => (Errors, "ENOMEM"),
        libc::EACCES => (Errors, "EACCES"),
        libc::EPERM => (Errors, "EPERM"),
        _ => (Errors, "EOTHER"),
    }
}

#[cfg(not(unix))]
fn errno_name(_: i32) -> (Kind, &'static str) {
    (Kind::Errors, "EOTHER")
}

/// A latency in nanoseconds as the whole microseconds recorded (at least 1, like the JS engines).
pub fn us_of(ns: u64) -> u64 {
    ((ns + 500) / 1000).max(1)
}

/// A histogram of microseconds with 3 significant digits, as servebench's JS engines keep.
pub fn latency_histogram() -> Histogram<u64> {
    let mut h = Histogram::new_with_bounds(1, HIGHEST_US, 3).expect("valid histogram bounds");
    h.auto(true);
    h
}

/// A small histogram (2 significant digits, grows as needed) for one time-series bin or one live second.
pub fn coarse_histogram() -> Histogram<u32> {
    Histogram::new(2).expect("valid histogram precision")
}

/// One bin of the latency time series.
#[derive(Default)]
pub struct Bin {
    pub latencies: Option<Histogram<u32>>,
    /// Exact, where the histogram keeps 2 significant digits.
    pub max_us: u64,
    pub failures: u64,
}

/// Everything one thread measured over the window.
pub struct Recorder {
    pub histogram: Histogram<u64>,
    pub bins: Vec<Bin>,
    bin_ns: u64,
    /// Failures by kind, indexed by `Kind as usize`.
    pub kinds: [u64; 4],
    pub codes: HashMap<Code, u64>,
    /// Responses of any status (successes and non-2xx).
    pub completed: u64,
    pub successes: u64,
    pub bytes: u64,
    /// Successes completed in each whole second of the window (by completion time, whichever request).
    pub per_second: Vec<u64>,
    /// Open loop: requests of the window unanswered at the end, and their elapsed times (ns) then.
    pub unfinished: u64,
    pub unfinished_ns: ElapsedStats,
}

/// Min, max and sum of a set of elapsed times, ns.
#[derive(Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElapsedStats {
    pub min: u64,
    pub max: u64,
    pub sum: u64,
}

impl ElapsedStats {
    pub fn add(&mut self, ns: u64, first: bool) {
        self.min = if first { ns } else { self.min.min(ns) };
        self.max = self.max.max(ns);
        self.sum += ns;
    }
}

impl Recorder {
    pub fn new(bin_ns: u64) -> Recorder {
        Recorder {
            histogram: latency_histogram(),
            bins: Vec::new(),
            bin_ns: bin_ns.max(1),
            kinds: [0; 4],
            codes: HashMap::new(),
            completed: 0,
            successes: 0,
            bytes: 0,
            per_second: Vec::new(),
            unfinished: 0,
            unfinished_ns: ElapsedStats::default(),
        }
    }

    fn bin(&mut self, at_ns: u64) -> &mut Bin {
        let i = (at_ns / self.bin_ns) as usize;
        if self.bins.len() <= i {
            self.bins.resize_with(i + 1, Bin::default);
        }
        &mut self.bins[i]
    }

    /// A success: its latency, and `bin_at_ns` (from the window's start) for the time series.
    pub fn success(&mut self, latency_ns: u64, bin_at_ns: u64, bytes: u64) {
        let us = us_of(latency_ns);
        self.histogram.record(us).ok();
        self.completed += 1;
        self.successes += 1;
        self.bytes += bytes;
        let bin = self.bin(bin_at_ns);
        bin.latencies
            .get_or_insert_with(coarse_histogram)
            .record(us)
            .ok();
        bin.max_us = bin.max_us.max(us);
    }

    /// A failure; a non-2xx response also counts as completed, and its bytes as received.
    pub fn failure(&mut self, f: Failure, bin_at_ns: u64, bytes: u64) {
        self.kinds[f.kind as usize] += 1;
        *self.codes.entry(f.code).or_insert(0) += 1;
        if f.kind == Kind::Non2xx {
            self.completed += 1;
        }
        self.bytes += bytes;
        self.bin(bin_at_ns).failures += 1;
    }

    /// A success completed `at_ns` after the window's start, for rps and rpsSeries.
    pub fn success_at(&mut self, at_ns: u64) {
        let s = (at_ns / 1_000_000_000) as usize;
        if self.per_second.len() <= s {
            self.per_second.resize(s + 1, 0);
        }
        self.per_second[s] += 1;
    }

    /// A request of the window still unanswered when the run ended, `elapsed_ns` after its scheduled time.
    pub fn unfinished(&mut self, elapsed_ns: u64, bin_at_ns: u64) {
        self.unfinished_ns.add(elapsed_ns, self.unfinished == 0);
        self.unfinished += 1;
        self.failure(Failure::UNFINISHED, bin_at_ns, 0);
    }

    pub fn failures(&self) -> u64 {
        self.kinds.iter().sum()
    }

    /// Add another thread's figures to these.
    pub fn merge(&mut self, other: Recorder) {
        self.histogram
            .add(&other.histogram)
            .expect("histograms of the same precision add");
        if self.bins.len() < other.bins.len() {
            self.bins.resize_with(other.bins.len(), Bin::default);
        }
        for (into, b) in self.bins.iter_mut().zip(other.bins) {
            into.failures += b.failures;
            into.max_us = into.max_us.max(b.max_us);
            if let Some(h) = b.latencies {
                match &mut into.latencies {
                    Some(mine) => mine.add(&h).expect("histograms of the same precision add"),
                    None => into.latencies = Some(h),
                }
            }
        }
        for k in 0..4 {
            self.kinds[k] += other.kinds[k];
        }
        for (code, n) in other.codes {
            *self.codes.entry(code).or_insert(0) += n;
        }
        self.completed += other.completed;
        self.successes += other.successes;
        self.bytes += other.bytes;
        if self.per_second.len() < other.per_second.len() {
            self.per_second.resize(other.per_second.len(), 0);
        }
        for (into, n) in self.per_second.iter_mut().zip(other.per_second) {
            *into += n;
        }
        if other.unfinished > 0 {
            let first = self.unfinished == 0;
            self.unfinished_ns.add(other.unfinished_ns.min, first);
            self.unfinished_ns.max = self.unfinished_ns.max.max(other.unfinished_ns.max);
            // add() counted the min once more in the sum: take it out and add the other's sum instead.
            self.unfinished_ns.sum =
                self.unfinished_ns.sum - other.unfinished_ns.min + other.unfinished_ns.sum;
            self.unfinished += other.unfinished;
        }
    }
}
