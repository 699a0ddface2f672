//! The open loop: requests arrive on a schedule fixed in advance (Poisson or constant at the target rate),
//! whatever the server does, and each one's latency runs from its *scheduled* send time (coordinated
//! omission corrected, as wrk2 and oha do). Each thread keeps a pool of keep-alive connections, opened as
//! needed up to its share of `maxInFlight`, one request on each; when all are busy, arrivals wait in a
//! queue and their wait counts in their latency. A send later than the tolerance after its schedule is
//! late, by cause: the in-flight bound (it waited in the queue) or the generator (it fell behind).
//! An arrival that cannot be sent fails (refused, reset...), it is never dropped; the window's requests
//! still unanswered when the drain ends are counted as unfinished.

use super::arrivals::Schedule;
use super::clock::mono_ns;
use super::closed::share;
use super::config::Mode;
use super::conn::{Conn, InFlight, ReadEnd, Response};
use super::recorder::Failure;
use super::report::ThreadResult;
use super::run::Shared;
use super::worker::{Base, WAKE};
use mio::{Events, Token};
use std::collections::VecDeque;
use std::io;
use std::sync::atomic::Ordering::Relaxed;

const SCAN_NS: u64 = 10_000_000;
/// How long after the window the run waits for its requests, beyond the request timeout.
const DRAIN_EXTRA_NS: u64 = 500_000_000;
/// After a cancel: the longest wait for the requests in flight.
const CANCEL_DRAIN_NS: u64 = 250_000_000;

#[derive(Clone, Copy)]
struct Pending {
    sched: u64,
    measured: bool,
}

struct Open<'a> {
    base: Base<'a>,
    conns: Vec<Option<(Conn, u64)>>,
    free: Vec<usize>,
    idle: Vec<usize>,
    queue: VecDeque<Pending>,
    open_conns: u32,
    max_conns: u32,
    /// Requests of the window not finished yet (queued or on a connection).
    outstanding: u64,
    tolerance_ns: u64,
    answered: Vec<(InFlight, Response)>,
}

pub fn run(shared: &Shared, index: usize) -> io::Result<ThreadResult> {
    let Mode::Open {
        rate_rps,
        arrivals,
        seed,
        max_in_flight,
        late_tolerance_ns,
    } = shared.cfg.mode
    else {
        unreachable!("open::run in closed mode")
    };
    let threads = shared.cfg.threads;
    let mut schedule = Schedule::new(rate_rps, arrivals, seed, index as u32, threads);
    let mut o = Open {
        base: Base::new(shared, index)?,
        conns: Vec::new(),
        free: Vec::new(),
        idle: Vec::new(),
        queue: VecDeque::new(),
        open_conns: 0,
        max_conns: share(max_in_flight, threads, index),
        outstanding: 0,
        tolerance_ns: late_tolerance_ns,
        answered: Vec::new(),
    };
    let scan_every = SCAN_NS.min((shared.cfg.timeout_ns / 4).max(1_000_000));
    let mut next_scan = mono_ns() + scan_every;
    let mut next_at = shared.t0 + schedule.next_ns();
    let mut scheduling = true;
    let mut events = Events::with_capacity(1024);
    loop {
        let now = mono_ns();
        o.base.tick(now);
        // A cancel ends scheduling at once, warm-up included (the window end never precedes its start).
        let window_end = if shared.cancelled.load(Relaxed) {
            now.min(shared.window_end())
        } else {
            shared.window_end()
        };
        while scheduling && next_at <= now {
            if next_at >= window_end {
                scheduling = false;
                break;
            }
            let measured = next_at >= shared.window_start;
            if measured {
                o.base.scheduled += 1;
                o.outstanding += 1;
            }
            o.dispatch(
                Pending {
                    sched: next_at,
                    measured,
                },
                false,
                now,
            );
            next_at = shared.t0 + schedule.next_ns();
        }
        scheduling &= now < window_end;
        let drain_limit = window_end
            + if shared.cancelled.load(Relaxed) {
                CANCEL_DRAIN_NS.min(shared.cfg.timeout_ns)
            } else {
                shared.cfg.timeout_ns + DRAIN_EXTRA_NS
            };
        if !scheduling && (o.outstanding == 0 || now >= drain_limit) {
            break;
        }
        if now >= next_scan {
            o.expire(now);
            next_scan = now + scan_every;
        }
        let mut deadline = next_scan.min(if scheduling {
            next_at.min(window_end)
        } else {
            drain_limit
        });
        if now < shared.window_start {
            deadline = deadline.min(shared.window_start);
        }
        o.base.wait(&mut events, Some(deadline))?;
        for event in events.iter() {
            if event.token() != WAKE && event.token().0 < o.conns.len() {
                o.on_event(event.token().0, event.is_read_closed() || event.is_error());
            }
        }
    }
    o.end(mono_ns());
    Ok(o.base.finish())
}

impl Open<'_> {
    /// Send `p` on an idle connection, or a new one, or queue it behind the in-flight bound.
    fn dispatch(&mut self, p: Pending, from_queue: bool, now: u64) {
        if !self.queue.is_empty() && !from_queue {
            self.queue.push_back(p);
            return;
        }
        while let Some(i) = self.idle.pop() {
            if self.conns[i].is_some() {
                return self.send_on(i, p, from_queue);
            }
        }
        if self.open_conns >= self.max_conns {
            // It waits for a free connection: front of the queue if it came from there.
            if from_queue {
                self.queue.push_front(p);
            } else {
                self.queue.push_back(p);
            }
            return;
        }
        let i = self.free.pop().unwrap_or_else(|| {
            self.conns.push(None);
            self.conns.len() - 1
        });
        match Conn::open(
            self.base.shared.cfg.addr,
            self.base.poll.registry(),
            Token(i),
        ) {
            Ok(conn) => {
                self.conns[i] = Some((conn, now));
                self.open_conns += 1;
                self.send_on(i, p, from_queue);
            }
            Err(e) => {
                self.free.push(i);
                self.in_flight(1);
                let req = InFlight {
                    start_ns: p.sched,
                    sent_ns: 0,
                    measured: p.measured,
                    from_queue,
                };
                self.complete(now, req, Err(Failure::from_io(&e)));
            }
        }
    }

    fn in_flight(&self, delta: i64) {
        let s = self.base.shared;
        let v = s.in_flight.fetch_add(delta, Relaxed) + delta;
        if delta > 0 {
            s.peak_in_flight.fetch_max(v, Relaxed);
        }
    }

    fn send_on(&mut self, i: usize, p: Pending, from_queue: bool) {
        let bytes = self.base.next_request();
        let (conn, _) = self.conns[i].as_mut().expect("open connection");
        conn.push(
            bytes,
            InFlight {
                start_ns: p.sched,
                sent_ns: 0,
                measured: p.measured,
                from_queue,
            },
        );
        self.in_flight(1);
        self.flush(i);
    }

    /// Write what connection `i` has queued; check the lateness of what went out.
    fn flush(&mut self, i: usize) {
        let now = mono_ns();
        let (conn, _) = self.conns[i].as_mut().expect("open connection");
        match conn.flush(now, false) {
            Ok(0) => {}
            Ok(n) => {
                let len = conn.inflight.len();
                for r in conn.inflight.range(len - n..) {
                    if r.measured && r.sent_ns.saturating_sub(r.start_ns) > self.tolerance_ns {
                        let late = &mut self.base.late;
                        late[0] += 1;
                        late[if r.from_queue { 1 } else { 2 }] += 1;
                    }
                }
            }
            Err(e) => self.fail_conn(i, Failure::from_io(&e), now),
        }
    }

    /// One request finished at `now`, answered or failed.
    fn complete(&mut self, now: u64, req: InFlight, outcome: Result<Response, Failure>) {
        self.in_flight(-1);
        let ok = matches!(outcome, Ok(r) if (200..300).contains(&r.status));
        let latency = now.saturating_sub(req.start_ns);
        if ok {
            self.base.live_success(now, latency);
            if self.base.in_window(now) {
                let at = now - self.base.shared.window_start;
                self.base.rec.success_at(at);
            }
        }
        if !req.measured {
            return;
        }
        self.outstanding -= 1;
        // Binned by scheduled time: what a request arriving then went through.
        let at = req.start_ns.saturating_sub(self.base.shared.window_start);
        let rec = &mut self.base.rec;
        match outcome {
            Ok(r) if ok => rec.success(latency, at, r.bytes),
            Ok(r) => rec.failure(Failure::status(r.status), at, r.bytes),
            Err(f) => rec.failure(f, at, 0),
        }
    }

    /// Close connection `i`; what it had in flight fails with `f` (None: nothing was lost).
    fn close_conn(&mut self, i: usize, f: Option<Failure>, now: u64) {
        let Some((conn, _)) = self.conns[i].take() else {
            return;
        };
        let lost = conn.close(self.base.poll.registry());
        self.open_conns -= 1;
        self.free.push(i);
        self.idle.retain(|&j| j != i);
        for req in lost {
            self.complete(now, req, Err(f.unwrap_or(Failure::CLOSED)));
        }
        // A connection slot is free: the queue's head may go now (on a new connection).
        if let Some(p) = self.queue.pop_front() {
            self.dispatch(p, true, now);
        }
    }

    fn fail_conn(&mut self, i: usize, f: Failure, now: u64) {
        self.close_conn(i, Some(f), now);
    }

    /// Connection `i` is free again: the queue's head goes on it, or it waits idle.
    fn release(&mut self, i: usize) {
        match self.queue.pop_front() {
            Some(p) => self.send_on(i, p, true),
            None => self.idle.push(i),
        }
    }

    fn expire(&mut self, now: u64) {
        let timeout = self.base.shared.cfg.timeout_ns;
        for i in 0..self.conns.len() {
            let Some((conn, opened)) = &self.conns[i] else {
                continue;
            };
            let Some(front) = conn.inflight.front() else {
                continue;
            };
            let since = if front.sent_ns > 0 {
                front.sent_ns
            } else {
                *opened
            };
            if now >= since + timeout {
                self.fail_conn(i, Failure::TIMEOUT, now);
            }
        }
    }

    fn on_event(&mut self, i: usize, to_end: bool) {
        let head = self.base.shared.cfg.head;
        let Some((conn, _)) = self.conns[i].as_mut() else {
            return;
        };
        if !conn.connected {
            match conn.finish_connect() {
                Ok(true) => return self.flush(i),
                Ok(false) => return,
                Err(e) => return self.fail_conn(i, Failure::from_io(&e), mono_ns()),
            }
        }
        let now = mono_ns();
        let mut answered = std::mem::take(&mut self.answered);
        let end = conn.read(head, to_end, |req, r| answered.push((req, r)));
        let closing = conn.closing;
        for &(req, r) in &answered {
            self.complete(now, req, Ok(r));
        }
        let replied = !answered.is_empty();
        answered.clear();
        self.answered = answered;
        match end {
            ReadEnd::Open if !closing => {
                if replied {
                    self.release(i);
                }
            }
            ReadEnd::Open | ReadEnd::Closed(None) => self.close_conn(i, None, now),
            ReadEnd::Closed(Some(f)) => self.fail_conn(i, f, now),
        }
    }

    /// The drain is over: the window's requests still queued or in flight are unfinished.
    fn end(&mut self, now: u64) {
        let ws = self.base.shared.window_start;
        let unfinished = |rec: &mut super::recorder::Recorder, sched: u64| {
            rec.unfinished(now.saturating_sub(sched), sched.saturating_sub(ws))
        };
        for p in std::mem::take(&mut self.queue) {
            if p.measured {
                unfinished(&mut self.base.rec, p.sched);
            }
        }
        for slot in &mut self.conns {
            if let Some((conn, _)) = slot.take() {
                let lost = conn.close(self.base.poll.registry());
                self.base
                    .shared
                    .in_flight
                    .fetch_sub(lost.len() as i64, Relaxed);
                for req in lost.into_iter().filter(|r| r.measured) {
                    unfinished(&mut self.base.rec, req.start_ns);
                }
            }
        }
    }
}
