//! The report of a load run, as JavaScript receives it: the threads' recorders added up into the figures
//! of servebench's LoadMeasurement (src/results/load.ts), the latency histogram serialized in HdrHistogram's
//! V2 compressed form (base64, so it merges with every other engine's), and the live snapshot's shape.

use super::hdr_codec::encode_compressed_base64;
use super::recorder::{Code, ElapsedStats, Recorder};
use hdrhistogram::Histogram;
use napi_derive::napi;
use std::collections::HashMap;

/// What one engine thread measured.
pub struct ThreadResult {
    pub rec: Recorder,
    /// CPU time of the thread over the window, ns.
    pub cpu_ns: u64,
    /// Open loop: arrivals scheduled in the window.
    pub scheduled: u64,
    /// Open loop: late sends in total, behind the in-flight bound, by the generator.
    pub late: [u64; 3],
}

/// Facts of the whole run the threads do not know.
pub struct RunFacts {
    pub window_ns: u64,
    pub bin_ns: u64,
    pub threads: u32,
    /// Open loop: target rate and late tolerance (ns).
    pub open: Option<(f64, u64)>,
    pub pipelining: u32,
    pub peak_in_flight: u64,
    pub interrupted: bool,
}

/// Responses received in the window (any status), and the 2xx among them.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadRequestCounts {
    pub completed: f64,
    pub successes: f64,
}

/// Failed requests by kind; the kinds add up to the total.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadFailureKinds {
    /// Connection refused, protocol (EPROTO) and other errors that are neither timeouts nor resets.
    pub errors: f64,
    /// No complete response within the timeout (and, open loop, the window's requests unfinished at the end).
    pub timeouts: f64,
    /// A complete response with a status outside 2xx.
    #[napi(js_name = "non2xx")]
    pub non2xx: f64,
    /// The connection was reset or closed by the server before the response was complete.
    pub resets: f64,
}

#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadFailureCounts {
    pub total: f64,
    pub by_kind: LoadFailureKinds,
}

/// Latency of the successes, microseconds (from the HDR histogram: 3 significant digits).
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadLatencyUs {
    pub min: f64,
    pub mean: f64,
    pub stdev: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

/// How latency was timed.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadLatencyResolution {
    pub resolution_us: f64,
    pub source: String,
}

/// Latency over one bin of the window: by completion time (closed loop) or scheduled send time (open loop).
/// p50 and p99 from a per-bin histogram with 2 significant digits; the max is exact.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadLatencyBin {
    pub start_ms: f64,
    pub duration_ms: f64,
    pub completed: f64,
    pub failures: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
}

#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadLateCauses {
    /// It waited for a free connection: all `maxInFlight` were busy.
    pub in_flight_bound: f64,
    /// The generator itself fell behind its schedule.
    pub generator: f64,
}

#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadLateSends {
    pub total: f64,
    pub tolerance_us: f64,
    pub by_cause: LoadLateCauses,
}

/// Elapsed time of the window's requests unanswered at the end (from their scheduled time to the end), us.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadElapsedUs {
    pub min: f64,
    pub mean: f64,
    pub max: f64,
}

/// Open loop: how faithfully the schedule was kept.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadOpenFacts {
    pub target_rps: f64,
    /// Requests whose scheduled time fell in the window.
    pub scheduled: f64,
    pub late_sends: LoadLateSends,
    /// Highest number of requests on a connection at once (all threads, warm-up included).
    pub peak_in_flight: f64,
    /// The window's requests still queued or unanswered when the drain ended (counted as timeouts,
    /// code 'unfinished', and not in the latency histogram).
    pub unfinished: f64,
    pub unfinished_elapsed_us: LoadElapsedUs,
}

/// The engine's own CPU use over the window, from its threads' CPU clocks.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadGeneratorCpu {
    pub threads: f64,
    /// CPU time of all the engine's threads over the window, microseconds (cores used = cpuUs / (windowMs * 1000)).
    pub cpu_us: f64,
    /// The same, per thread.
    pub thread_cpu_us: Vec<f64>,
}

/// The figures of a load run (the engine's part of servebench's LoadMeasurement).
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadRunReport {
    /// Length of the measured window, ms (shorter than planned after a cancel or a reached amount).
    pub window_ms: f64,
    /// Closed loop: responses in the window; open loop: responses to the requests scheduled in it.
    pub requests: LoadRequestCounts,
    pub failures: LoadFailureCounts,
    /// Error codes and non-2xx statuses with counts, e.g. { ECONNREFUSED: 3, '503': 12, timeout: 1 }.
    #[napi(ts_type = "Record<string, number>")]
    pub failure_codes: HashMap<String, f64>,
    /// Successful responses completed in the window, per second.
    pub rps: f64,
    /// Successful responses completed in each whole second of the window.
    pub rps_series: Vec<f64>,
    pub latency_us: LoadLatencyUs,
    /// The successes' latencies (us) as an HdrHistogram, V2 compressed, base64 (decodeFromCompressedBase64
    /// of hdr-histogram-js reads it). Absent when nothing succeeded.
    pub latency_histogram_us: Option<String>,
    pub latency_resolution: LoadLatencyResolution,
    pub latency_series: Vec<LoadLatencyBin>,
    /// Bytes of the responses counted (status line, headers and body).
    pub bytes_received: f64,
    /// Open loop only.
    pub open: Option<LoadOpenFacts>,
    pub generator: LoadGeneratorCpu,
    /// The run was cancelled: the figures cover what ran.
    pub interrupted: bool,
}

/// Progress of a running load, for a live status line.
#[napi(object)]
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadRunSnapshot {
    #[napi(ts_type = "'warmup' | 'window' | 'drain' | 'done'")]
    pub phase: String,
    /// Since the start of the run (warm-up included), ms.
    pub elapsed_ms: f64,
    /// Window figures so far (as in the report).
    pub completed: f64,
    pub successes: f64,
    pub failures: f64,
    /// Successes in the last whole second of the run (any phase), and their p99 latency (us, 2 digits).
    pub current_rps: f64,
    pub current_p99_us: f64,
    /// Open loop: requests on a connection now, and late sends of the window so far.
    pub in_flight: f64,
    pub late_sends: f64,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn latency_summary(h: &Histogram<u64>) -> LoadLatencyUs {
    if h.is_empty() {
        return LoadLatencyUs::default();
    }
    let q = |p: f64| h.value_at_quantile(p) as f64;
    LoadLatencyUs {
        min: h.min_nz() as f64,
        mean: round1(h.mean()),
        stdev: round1(h.stdev()),
        p50: q(0.5),
        p90: q(0.9),
        p99: q(0.99),
        p999: q(0.999),
        max: h.max() as f64,
    }
}

/// The time series over the window: `round(window / bin)` bins (at least one); what falls after the last
/// (the last sliver of the window, or open-loop requests completed after it) joins the last bin.
fn series(rec: &mut Recorder, window_ns: u64, bin_ns: u64) -> Vec<LoadLatencyBin> {
    let n = ((window_ns as f64 / bin_ns as f64).round() as usize).max(1);
    let mut bins = std::mem::take(&mut rec.bins);
    while bins.len() > n {
        let extra = bins.pop().expect("more bins than n");
        let last = bins.last_mut().expect("n >= 1");
        last.failures += extra.failures;
        last.max_us = last.max_us.max(extra.max_us);
        if let Some(h) = extra.latencies {
            match &mut last.latencies {
                Some(l) => l.add(&h).expect("same precision"),
                None => last.latencies = Some(h),
            }
        }
    }
    bins.resize_with(n, Default::default);
    let ms = |ns: u64| ns as f64 / 1e6;
    bins.into_iter()
        .enumerate()
        .map(|(i, b)| {
            let start = i as u64 * bin_ns;
            let h = b.latencies.filter(|h| !h.is_empty());
            LoadLatencyBin {
                start_ms: ms(start),
                duration_ms: (ms(if i + 1 == n {
                    window_ns.saturating_sub(start)
                } else {
                    bin_ns
                }))
                .round(),
                completed: h.as_ref().map_or(0.0, |h| h.len() as f64),
                failures: b.failures as f64,
                p50_us: h.as_ref().map_or(0.0, |h| h.value_at_quantile(0.5) as f64),
                p99_us: h.as_ref().map_or(0.0, |h| h.value_at_quantile(0.99) as f64),
                max_us: b.max_us as f64,
            }
        })
        .collect()
}

fn source(facts: &RunFacts) -> String {
    match facts.open {
        Some(_) => "native open loop (Rust): scheduled send time -> last byte of the response, CLOCK_MONOTONIC".to_owned(),
        None => format!("native closed loop (Rust): request written -> last byte of the response, CLOCK_MONOTONIC (pipelining {})", facts.pipelining),
    }
}

/// Add up the threads' figures into the report.
pub fn assemble(parts: Vec<ThreadResult>, facts: &RunFacts) -> LoadRunReport {
    let mut rec = Recorder::new(facts.bin_ns);
    let mut thread_cpu_us = Vec::with_capacity(parts.len());
    let (mut scheduled, mut late) = (0u64, [0u64; 3]);
    for p in parts {
        thread_cpu_us.push((p.cpu_ns / 1000) as f64);
        scheduled += p.scheduled;
        for (into, n) in late.iter_mut().zip(p.late) {
            *into += n;
        }
        rec.merge(p.rec);
    }
    let window_ms = facts.window_ns as f64 / 1e6;
    let whole_seconds = (window_ms / 1000.0 + 1e-9).floor() as usize;
    let in_window: u64 = rec.per_second.iter().sum();
    let f = |x: u64| x as f64;
    let failure_codes = rec
        .codes
        .iter()
        .map(|(code, &n)| {
            let name = match code {
                Code::Name(s) => (*s).to_owned(),
                Code::Status(s) => s.to_string(),
            };
            (name, f(n))
        })
        .collect();
    let open = facts.open.map(|(target_rps, tolerance_ns)| LoadOpenFacts {
        target_rps,
        scheduled: f(scheduled),
        late_sends: LoadLateSends {
            total: f(late[0]),
            tolerance_us: (tolerance_ns / 1000) as f64,
            by_cause: LoadLateCauses {
                in_flight_bound: f(late[1]),
                generator: f(late[2]),
            },
        },
        peak_in_flight: f(facts.peak_in_flight),
        unfinished: f(rec.unfinished),
        unfinished_elapsed_us: elapsed_us(rec.unfinished_ns, rec.unfinished),
    });
    LoadRunReport {
        window_ms: round1(window_ms),
        requests: LoadRequestCounts {
            completed: f(rec.completed),
            successes: f(rec.successes),
        },
        failures: LoadFailureCounts {
            total: f(rec.failures()),
            by_kind: LoadFailureKinds {
                errors: f(rec.kinds[0]),
                timeouts: f(rec.kinds[1]),
                non2xx: f(rec.kinds[2]),
                resets: f(rec.kinds[3]),
            },
        },
        failure_codes,
        rps: if window_ms > 0.0 {
            round1(in_window as f64 * 1000.0 / window_ms)
        } else {
            0.0
        },
        rps_series: (0..whole_seconds)
            .map(|i| f(rec.per_second.get(i).copied().unwrap_or(0)))
            .collect(),
        latency_us: latency_summary(&rec.histogram),
        latency_histogram_us: (!rec.histogram.is_empty())
            .then(|| encode_compressed_base64(&rec.histogram)),
        latency_resolution: LoadLatencyResolution {
            resolution_us: 1.0,
            source: source(facts),
        },
        latency_series: series(&mut rec, facts.window_ns, facts.bin_ns),
        bytes_received: f(rec.bytes),
        open,
        generator: LoadGeneratorCpu {
            threads: f64::from(facts.threads),
            cpu_us: thread_cpu_us.iter().sum(),
            thread_cpu_us,
        },
        interrupted: facts.interrupted,
    }
}

fn elapsed_us(s: ElapsedStats, n: u64) -> LoadElapsedUs {
    if n == 0 {
        return LoadElapsedUs::default();
    }
    LoadElapsedUs {
        min: (s.min / 1000) as f64,
        mean: round1(s.sum as f64 / n as f64 / 1000.0),
        max: (s.max / 1000) as f64,
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
