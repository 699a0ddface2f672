//! Report assembly from synthetic thread results, and the histogram's V2 compressed encoding.

use super::*;
use crate::load::recorder::{Failure, Kind};

const MS: u64 = 1_000_000;

fn thread(latencies_us: &[u64], at_ms: u64) -> ThreadResult {
    let mut rec = Recorder::new(1000 * MS);
    for &us in latencies_us {
        rec.success(us * 1000, at_ms * MS, 100);
        rec.success_at(at_ms * MS);
    }
    ThreadResult {
        rec,
        cpu_ns: 250 * MS,
        scheduled: latencies_us.len() as u64,
        late: [2, 1, 1],
    }
}

fn facts(window_ms: u64, open: bool) -> RunFacts {
    RunFacts {
        window_ns: window_ms * MS,
        bin_ns: 1000 * MS,
        threads: 2,
        open: open.then_some((500.0, 5_000_000)),
        pipelining: 1,
        peak_in_flight: 7,
        interrupted: false,
    }
}

#[test]
fn threads_add_up() {
    let mut a = thread(&[100, 200, 300], 100);
    a.rec.failure(Failure::status(503), 200 * MS, 50);
    a.rec.failure(Failure::TIMEOUT, 1500 * MS, 0);
    let mut b = thread(&[400], 1200);
    b.rec.failure(
        Failure {
            kind: Kind::Errors,
            code: crate::load::recorder::Code::Name("ECONNREFUSED"),
        },
        100,
        0,
    );
    let r = assemble(vec![a, b], &facts(2000, false));
    assert_eq!(r.window_ms, 2000.0);
    assert_eq!(
        r.requests,
        LoadRequestCounts {
            completed: 5.0,
            successes: 4.0
        }
    );
    assert_eq!(r.failures.total, 3.0);
    assert_eq!(
        r.failures.by_kind,
        LoadFailureKinds {
            errors: 1.0,
            timeouts: 1.0,
            non2xx: 1.0,
            resets: 0.0
        }
    );
    assert_eq!(r.failure_codes.get("503"), Some(&1.0));
    assert_eq!(r.failure_codes.get("timeout"), Some(&1.0));
    assert_eq!(r.failure_codes.get("ECONNREFUSED"), Some(&1.0));
    assert_eq!(r.rps, 2.0);
    assert_eq!(r.rps_series, vec![3.0, 1.0]);
    assert_eq!(
        (r.latency_us.min, r.latency_us.max, r.latency_us.p50),
        (100.0, 400.0, 200.0)
    );
    assert_eq!(r.latency_us.mean, 250.0);
    assert_eq!(r.bytes_received, 450.0);
    assert_eq!(r.latency_series.len(), 2);
    assert_eq!(
        (
            r.latency_series[0].completed,
            r.latency_series[0].failures,
            r.latency_series[0].max_us
        ),
        (3.0, 2.0, 300.0)
    );
    assert_eq!(
        (
            r.latency_series[1].completed,
            r.latency_series[1].failures,
            r.latency_series[1].start_ms
        ),
        (1.0, 1.0, 1000.0)
    );
    assert_eq!(r.generator.cpu_us, 500_000.0);
    assert_eq!(r.generator.thread_cpu_us, vec![250_000.0, 250_000.0]);
    assert!(r.open.is_none());
    assert!(r.latency_histogram_us.is_some());
}

#[test]
fn open_facts_and_unfinished() {
    let mut a = thread(&[100], 0);
    a.rec.unfinished(3_000 * MS, 900 * MS);
    let mut b = thread(&[], 0);
    b.rec.unfinished(1_000 * MS, 950 * MS);
    b.rec.unfinished(2_000 * MS, 950 * MS);
    let r = assemble(vec![a, b], &facts(1000, true));
    let o = r.open.unwrap();
    assert_eq!(
        (o.target_rps, o.scheduled, o.peak_in_flight, o.unfinished),
        (500.0, 1.0, 7.0, 3.0)
    );
    assert_eq!(
        o.late_sends,
        LoadLateSends {
            total: 4.0,
            tolerance_us: 5000.0,
            by_cause: LoadLateCauses {
                in_flight_bound: 2.0,
                generator: 2.0
            }
        }
    );
    assert_eq!(
        o.unfinished_elapsed_us,
        LoadElapsedUs {
            min: 1_000_000.0,
            mean: 2_000_000.0,
            max: 3_000_000.0
        }
    );
    assert_eq!(r.failures.by_kind.timeouts, 3.0);
    assert_eq!(r.failure_codes.get("unfinished"), Some(&3.0));
}

#[test]
fn series_bins_fold_the_tail_into_the_last_bin() {
    // A window of 2.3 s with 1 s bins: 2 bins, the last 1.3 s long; a request binned at 2.9 s joins it.
    let mut a = thread(&[50], 2900);
    a.rec.success(70_000, 100 * MS, 0);
    let r = assemble(vec![a], &facts(2300, true));
    assert_eq!(r.latency_series.len(), 2);
    assert_eq!(
        (
            r.latency_series[1].duration_ms,
            r.latency_series[1].completed
        ),
        (1300.0, 1.0)
    );
    assert_eq!(r.rps_series.len(), 2);
}

#[test]
fn empty_run() {
    let r = assemble(vec![thread(&[], 0)], &facts(0, false));
    assert_eq!((r.window_ms, r.rps, r.requests.completed), (0.0, 0.0, 0.0));
    assert!(r.latency_histogram_us.is_none());
    assert_eq!(r.latency_us, LoadLatencyUs::default());
    assert_eq!(r.latency_series.len(), 1);
    assert!(r.rps_series.is_empty());
}
