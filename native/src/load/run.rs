//! A load run as a whole: the state its threads share (the window's bounds, cancel, progress for live
//! snapshots), the threads themselves, and the coordinator thread that waits for them, assembles the report
//! and hands it to whoever waits for it. Nothing here runs on the JavaScript thread except `cancel`,
//! `snapshot` and `when_done`, which only touch atomics and short locks.

use super::clock::mono_ns;
use super::config::{Mode, RunConfig};
use super::recorder::coarse_histogram;
use super::report::{assemble, LoadRunReport, LoadRunSnapshot, RunFacts, ThreadResult};
use super::{closed, open};
use hdrhistogram::Histogram;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::thread;

/// What every thread of a run shares.
pub struct Shared {
    pub cfg: RunConfig,
    /// Start of the run (of the warm-up), monotonic ns.
    pub t0: u64,
    pub window_start: u64,
    /// End of the window: planned at the start, brought forward by `cancel` or a reached `amount`.
    pub window_end: AtomicU64,
    pub cancelled: AtomicBool,
    /// Closed loop with an amount: requests completed or failed in the window so far, all threads.
    pub amount_done: AtomicU64,
    /// Open loop: requests on a connection now, all threads, and the highest such count.
    pub in_flight: AtomicI64,
    pub peak_in_flight: AtomicI64,
    pub progress: Vec<Progress>,
    /// Each thread's waker, to interrupt its wait on cancel.
    pub wakers: Mutex<Vec<Arc<mio::Waker>>>,
}

impl Shared {
    pub fn window_end(&self) -> u64 {
        self.window_end.load(Relaxed)
    }

    /// End the window at `at_ns` unless it already ended earlier.
    pub fn end_window_at(&self, at_ns: u64) {
        self.window_end
            .fetch_min(at_ns.max(self.window_start), Relaxed);
    }
}

/// One thread's progress, published as it runs, for `snapshot`.
#[derive(Default)]
pub struct Progress {
    pub completed: AtomicU64,
    pub successes: AtomicU64,
    pub failures: AtomicU64,
    pub late: AtomicU64,
    /// Successes of the last whole second the thread finished (seconds since the run's start) and their latencies.
    pub last_second: Mutex<Option<(u64, u64, Histogram<u32>)>>,
}

type Outcome = Result<LoadRunReport, String>;
type Waiter = Box<dyn FnOnce(&Outcome) + Send>;

enum Done {
    Running(Vec<Waiter>),
    Finished(Box<Outcome>),
}

/// A started run: cancel it, look at its progress, or wait for its report.
pub struct RunHandle {
    shared: Arc<Shared>,
    done: Arc<Mutex<Done>>,
}

/// Start the run's threads and its coordinator; returns at once.
pub fn start(cfg: RunConfig) -> std::io::Result<RunHandle> {
    let threads = cfg.threads as usize;
    let t0 = mono_ns();
    let window_start = t0 + cfg.warmup_ns;
    let shared = Arc::new(Shared {
        window_end: AtomicU64::new(window_start + cfg.duration_ns),
        cfg,
        t0,
        window_start,
        cancelled: AtomicBool::new(false),
        amount_done: AtomicU64::new(0),
        in_flight: AtomicI64::new(0),
        peak_in_flight: AtomicI64::new(0),
        progress: (0..threads).map(|_| Progress::default()).collect(),
        wakers: Mutex::new(Vec::new()),
    });
    let mut workers = Vec::with_capacity(threads);
    for i in 0..threads {
        let s = Arc::clone(&shared);
        let spawned = thread::Builder::new()
            .name(format!("sb-load-{i}"))
            .spawn(move || match s.cfg.mode {
                Mode::Closed { .. } => closed::run(&s, i),
                Mode::Open { .. } => open::run(&s, i),
            });
        match spawned {
            Ok(h) => workers.push(h),
            Err(e) => {
                // Stop the threads already started; they end within a wait.
                cancel(&shared);
                return Err(e);
            }
        }
    }
    let done = Arc::new(Mutex::new(Done::Running(Vec::new())));
    let (s, d) = (Arc::clone(&shared), Arc::clone(&done));
    thread::Builder::new()
        .name("sb-load-report".into())
        .spawn(move || {
            let mut parts = Vec::with_capacity(workers.len());
            let mut failure = None;
            for w in workers {
                match w.join() {
                    Ok(Ok(part)) => parts.push(part),
                    Ok(Err(e)) => failure = Some(format!("load thread failed: {e}")),
                    Err(_) => failure = Some("load thread panicked".to_owned()),
                }
            }
            let outcome = match failure {
                Some(m) => Err(m),
                None => Ok(report(&s, parts)),
            };
            finish(&d, outcome);
        })?;
    Ok(RunHandle { shared, done })
}

fn report(s: &Shared, parts: Vec<ThreadResult>) -> LoadRunReport {
    let window_ns = s.window_end().saturating_sub(s.window_start);
    let open = match s.cfg.mode {
        Mode::Open {
            rate_rps,
            late_tolerance_ns,
            ..
        } => Some((rate_rps, late_tolerance_ns)),
        Mode::Closed { .. } => None,
    };
    let facts = RunFacts {
        window_ns,
        bin_ns: s.cfg.bin_ns,
        threads: s.cfg.threads,
        open,
        pipelining: match s.cfg.mode {
            Mode::Closed { pipelining, .. } => pipelining,
            Mode::Open { .. } => 1,
        },
        peak_in_flight: s.peak_in_flight.load(Relaxed).max(0) as u64,
        interrupted: s.cancelled.load(Relaxed),
    };
    assemble(parts, &facts)
}

fn finish(done: &Mutex<Done>, outcome: Outcome) {
    let waiters = {
        let mut d = done.lock().unwrap_or_else(|p| p.into_inner());
        match std::mem::replace(&mut *d, Done::Running(Vec::new())) {
            Done::Running(w) => {
                *d = Done::Finished(Box::new(outcome.clone()));
                w
            }
            Done::Finished(o) => {
                *d = Done::Finished(o);
                Vec::new()
            }
        }
    };
    for w in waiters {
        w(&outcome);
    }
}

fn cancel(s: &Shared) {
    s.cancelled.store(true, Relaxed);
    s.end_window_at(mono_ns());
    for w in s.wakers.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        let _ = w.wake();
    }
}

impl RunHandle {
    /// Stop the run: the window ends now; what was measured is reported, marked interrupted.
    pub fn cancel(&self) {
        if !self.is_done() {
            cancel(&self.shared);
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(
            *self.done.lock().unwrap_or_else(|p| p.into_inner()),
            Done::Finished(_)
        )
    }

    /// Call `f` with the outcome once the run has ended (at once if it has).
    pub fn when_done(&self, f: impl FnOnce(&Outcome) + Send + 'static) {
        let mut d = self.done.lock().unwrap_or_else(|p| p.into_inner());
        match &mut *d {
            Done::Running(w) => w.push(Box::new(f)),
            Done::Finished(o) => {
                let o = Outcome::clone(o);
                drop(d);
                f(&o);
            }
        }
    }

    /// Progress so far.
    pub fn snapshot(&self) -> LoadRunSnapshot {
        let s = &self.shared;
        let now = mono_ns();
        let elapsed_s = now.saturating_sub(s.t0) / 1_000_000_000;
        let mut snap = LoadRunSnapshot {
            phase: phase(s, now, self.is_done()).to_owned(),
            elapsed_ms: (now.saturating_sub(s.t0) / 1000) as f64 / 1000.0,
            ..LoadRunSnapshot::default()
        };
        let mut last = coarse_histogram();
        let mut last_successes = 0;
        for p in &s.progress {
            snap.completed += p.completed.load(Relaxed) as f64;
            snap.successes += p.successes.load(Relaxed) as f64;
            snap.failures += p.failures.load(Relaxed) as f64;
            snap.late_sends += p.late.load(Relaxed) as f64;
            let slot = p.last_second.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((sec, n, h)) = slot.as_ref() {
                if *sec + 1 == elapsed_s {
                    last_successes += n;
                    let _ = last.add(h);
                }
            }
        }
        snap.current_rps = last_successes as f64;
        snap.current_p99_us = if last.is_empty() {
            0.0
        } else {
            last.value_at_quantile(0.99) as f64
        };
        snap.in_flight = s.in_flight.load(Relaxed).max(0) as f64;
        snap
    }
}

fn phase(s: &Shared, now: u64, done: bool) -> &'static str {
    if done {
        "done"
    } else if now < s.window_start {
        "warmup"
    } else if now < s.window_end() {
        "window"
    } else {
        "drain"
    }
}
