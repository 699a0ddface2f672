//! What both loops' threads have in common: the poller and its precise alarm, the window's bounds as this
//! thread sees them (and its CPU time over the window), the rotation of request bodies, the live second
//! published for snapshots, and the thread's recorder.

use super::clock::{fine_timer_slack, mono_ns, thread_cpu_ns};
use super::recorder::{coarse_histogram, us_of, Recorder};
use super::report::ThreadResult;
use super::run::Shared;
use hdrhistogram::Histogram;
use mio::{Events, Poll, Token, Waker};
use std::io;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Duration;

/// The token of the waker (cancel) and of the alarm; connections use the tokens below them.
pub const WAKE: Token = Token(usize::MAX - 1);
#[cfg(target_os = "linux")]
const ALARM: Token = Token(usize::MAX - 2);
/// Longest wait without a deadline: the live second and progress are published at least this often.
const BACKSTOP: Duration = Duration::from_millis(100);

pub struct Base<'a> {
    pub shared: &'a Shared,
    pub index: usize,
    pub poll: Poll,
    #[cfg(target_os = "linux")]
    alarm: super::clock::Alarm,
    pub rec: Recorder,
    body: usize,
    cpu_start: Option<u64>,
    cpu_end: Option<u64>,
    live_sec: u64,
    live_successes: u64,
    live: Histogram<u32>,
    /// Open loop: requests of the window sent late, in total, behind the in-flight bound, and by the generator.
    pub late: [u64; 3],
    pub scheduled: u64,
}

impl<'a> Base<'a> {
    pub fn new(shared: &'a Shared, index: usize) -> io::Result<Base<'a>> {
        fine_timer_slack();
        let poll = Poll::new()?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKE)?);
        shared
            .wakers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(waker);
        #[cfg(target_os = "linux")]
        let alarm = {
            let alarm = super::clock::Alarm::new()?;
            let fd = alarm.raw_fd();
            poll.registry().register(
                &mut mio::unix::SourceFd(&fd),
                ALARM,
                mio::Interest::READABLE,
            )?;
            alarm
        };
        Ok(Base {
            shared,
            index,
            poll,
            #[cfg(target_os = "linux")]
            alarm,
            rec: Recorder::new(shared.cfg.bin_ns),
            body: index,
            cpu_start: None,
            cpu_end: None,
            live_sec: 0,
            live_successes: 0,
            live: coarse_histogram(),
            late: [0; 3],
            scheduled: 0,
        })
    }

    /// Wait for events, or until `deadline_ns` (monotonic) at the latest.
    pub fn wait(&mut self, events: &mut Events, deadline_ns: Option<u64>) -> io::Result<()> {
        let now = mono_ns();
        let timeout = match deadline_ns {
            Some(d) if d <= now => Some(Duration::ZERO),
            #[cfg(target_os = "linux")]
            Some(d) => {
                // epoll waits in whole milliseconds; the timerfd alarm rings within microseconds.
                self.alarm.arm(d);
                Some(BACKSTOP)
            }
            #[cfg(not(target_os = "linux"))]
            Some(d) => Some(Duration::from_nanos(d - now).min(BACKSTOP)),
            None => Some(BACKSTOP),
        };
        match self.poll.poll(events, timeout) {
            Err(e) if e.kind() != io::ErrorKind::Interrupted => return Err(e),
            _ => {}
        }
        #[cfg(target_os = "linux")]
        if events.iter().any(|e| e.token() == ALARM) {
            self.alarm.rang();
        }
        Ok(())
    }

    /// The next request's bytes (bodies in turn; threads start at different bodies).
    pub fn next_request(&mut self) -> &'a [u8] {
        let requests = &self.shared.cfg.requests;
        let r = &requests[self.body % requests.len()];
        self.body = self.body.wrapping_add(1);
        r
    }

    /// Note the time: the window's start and end (CPU time stamps), the live second's rotation, and the
    /// progress published for snapshots.
    pub fn tick(&mut self, now: u64) {
        let s = self.shared;
        if self.cpu_start.is_none() && now >= s.window_start && now < s.window_end() {
            self.cpu_start = Some(thread_cpu_ns());
        }
        if self.cpu_start.is_some() && self.cpu_end.is_none() && now >= s.window_end() {
            self.cpu_end = Some(thread_cpu_ns());
        }
        self.rotate(now);
        let p = &s.progress[self.index];
        p.completed.store(self.rec.completed, Relaxed);
        p.successes.store(self.rec.successes, Relaxed);
        p.failures.store(self.rec.failures(), Relaxed);
        p.late.store(self.late[0], Relaxed);
    }

    /// A success completed at `now` (whatever the phase), for the live figures.
    pub fn live_success(&mut self, now: u64, latency_ns: u64) {
        self.rotate(now);
        self.live_successes += 1;
        self.live.record(us_of(latency_ns)).ok();
    }

    fn rotate(&mut self, now: u64) {
        let sec = now.saturating_sub(self.shared.t0) / 1_000_000_000;
        if sec == self.live_sec {
            return;
        }
        let finished = std::mem::replace(&mut self.live, coarse_histogram());
        // Only a second that just ended is "the last second"; an older one (an idle thread) counts as empty.
        let published = if sec == self.live_sec + 1 {
            (self.live_sec, self.live_successes, finished)
        } else {
            (sec - 1, 0, coarse_histogram())
        };
        *self.shared.progress[self.index]
            .last_second
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(published);
        self.live_sec = sec;
        self.live_successes = 0;
    }

    /// True once the window has ended (planned, cancelled or amount reached). A cancel during the
    /// warm-up ends the run at once: the window never started, there is nothing to wait for.
    pub fn window_over(&self, now: u64) -> bool {
        now >= self.shared.window_end() || self.shared.cancelled.load(Relaxed)
    }

    /// True for a time inside the window.
    pub fn in_window(&self, t: u64) -> bool {
        t >= self.shared.window_start && t < self.shared.window_end()
    }

    pub fn finish(mut self) -> ThreadResult {
        self.tick(mono_ns());
        let cpu_ns = match (self.cpu_start, self.cpu_end) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            (Some(a), None) => thread_cpu_ns().saturating_sub(a),
            _ => 0,
        };
        ThreadResult {
            rec: self.rec,
            cpu_ns,
            scheduled: self.scheduled,
            late: self.late,
        }
    }
}
