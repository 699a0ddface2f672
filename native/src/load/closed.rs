//! The closed loop: each thread keeps its share of the `connections` keep-alive connections busy, each
//! with `pipelining` requests in flight, sending the next request as soon as a response arrives. Latency
//! runs from the write of a request to the end of its response. A failed connection is reopened (after a
//! short pause that doubles while connecting keeps failing, so a refused port is not hammered).

use super::clock::mono_ns;
use super::config::Mode;
use super::conn::{Conn, InFlight, ReadEnd, Response};
use super::recorder::Failure;
use super::report::ThreadResult;
use super::run::Shared;
use super::worker::{Base, WAKE};
use mio::{Events, Token};
use std::io;
use std::sync::atomic::Ordering::Relaxed;

/// A request queued on a connection, not yet written (its times are set when it is).
const FRESH: InFlight = InFlight {
    start_ns: 0,
    sent_ns: 0,
    measured: true,
    from_queue: false,
};
/// How often connections are checked for timed-out requests, at most.
const SCAN_NS: u64 = 10_000_000;
const RETRY_MIN_NS: u64 = 1_000_000;
const RETRY_MAX_NS: u64 = 100_000_000;

struct Slot {
    conn: Option<Conn>,
    opened_ns: u64,
    retry_at: u64,
    failed_connects: u32,
}

/// This thread's share of `total` (the first `total % threads` threads take one more).
pub fn share(total: u32, threads: u32, index: usize) -> u32 {
    total / threads + u32::from((index as u32) < total % threads)
}

struct Closed<'a> {
    base: Base<'a>,
    slots: Vec<Slot>,
    pipelining: u32,
    amount: Option<u64>,
    /// The amount was reached: stop.
    stop: bool,
    /// Responses read from one connection, before they are recorded (kept to reuse its memory).
    answered: Vec<(InFlight, Response)>,
    /// Slots without a connection, to (re)open at their `retry_at`.
    down: Vec<usize>,
}

pub fn run(shared: &Shared, index: usize) -> io::Result<ThreadResult> {
    let Mode::Closed {
        connections,
        pipelining,
        amount,
    } = shared.cfg.mode
    else {
        unreachable!("closed::run in open mode")
    };
    let mine = share(connections, shared.cfg.threads, index);
    let slots = (0..mine)
        .map(|_| Slot {
            conn: None,
            opened_ns: 0,
            retry_at: 0,
            failed_connects: 0,
        })
        .collect();
    let mut c = Closed {
        base: Base::new(shared, index)?,
        slots,
        pipelining,
        amount,
        stop: false,
        answered: Vec::new(),
        down: (0..mine as usize).collect(),
    };
    let scan_every = SCAN_NS.min((shared.cfg.timeout_ns / 4).max(1_000_000));
    let mut next_scan = mono_ns() + scan_every;
    let mut events = Events::with_capacity(1024);
    loop {
        let now = mono_ns();
        c.base.tick(now);
        if c.stop || c.base.window_over(now) {
            break;
        }
        c.reconnect_due(now);
        if now >= next_scan {
            c.expire(now);
            next_scan = now + scan_every;
        }
        let retry = c.down.iter().map(|&i| c.slots[i].retry_at).min();
        let mut deadline = next_scan
            .min(shared.window_end())
            .min(retry.unwrap_or(u64::MAX));
        if now < shared.window_start {
            deadline = deadline.min(shared.window_start);
        }
        c.base.wait(&mut events, Some(deadline))?;
        for event in events.iter() {
            if event.token() == WAKE || event.token().0 >= c.slots.len() {
                continue;
            }
            c.on_event(event.token().0, event.is_read_closed() || event.is_error());
            if c.stop {
                break;
            }
        }
    }
    let registry = c.base.poll.registry();
    for s in &mut c.slots {
        if let Some(conn) = s.conn.take() {
            conn.close(registry);
        }
    }
    Ok(c.base.finish())
}

impl Closed<'_> {
    /// Count one request's outcome at `now`, if in the window (and within the amount).
    fn record(&mut self, now: u64, req: InFlight, outcome: Result<Response, Failure>) {
        let ok = matches!(outcome, Ok(r) if (200..300).contains(&r.status));
        let latency = now.saturating_sub(req.start_ns);
        if ok {
            self.base.live_success(now, latency);
        }
        if self.stop || !self.base.in_window(now) {
            return;
        }
        let shared = self.base.shared;
        if let Some(amount) = self.amount {
            let k = shared.amount_done.fetch_add(1, Relaxed);
            if k >= amount {
                self.stop = true;
                return;
            }
            if k + 1 == amount {
                // The window ends just after this request, which it still holds.
                shared.end_window_at(now + 1);
                self.stop = true;
            }
        }
        let at = now - shared.window_start;
        let rec = &mut self.base.rec;
        match outcome {
            Ok(r) if ok => {
                rec.success(latency, at, r.bytes);
                rec.success_at(at);
            }
            Ok(r) => rec.failure(Failure::status(r.status), at, r.bytes),
            Err(f) => rec.failure(f, at, 0),
        }
    }

    /// Open the connections that are due (again); a connection starts with its `pipelining` requests queued.
    fn reconnect_due(&mut self, now: u64) {
        let mut down = std::mem::take(&mut self.down);
        down.retain(|&i| self.slots[i].retry_at > now || !self.reopen(i, now));
        down.append(&mut self.down);
        self.down = down;
    }

    /// Open slot `i`'s connection: true when the socket is on its way (it may still fail to connect).
    fn reopen(&mut self, i: usize, now: u64) -> bool {
        match Conn::open(
            self.base.shared.cfg.addr,
            self.base.poll.registry(),
            Token(i),
        ) {
            Ok(mut conn) => {
                for _ in 0..self.pipelining {
                    conn.push(self.base.next_request(), FRESH);
                }
                let s = &mut self.slots[i];
                s.conn = Some(conn);
                s.opened_ns = now;
                true
            }
            Err(e) => {
                let f = Failure::from_io(&e);
                for _ in 0..self.pipelining {
                    self.record(
                        now,
                        InFlight {
                            start_ns: now,
                            ..FRESH
                        },
                        Err(f),
                    );
                }
                self.connect_failed(i, now);
                false
            }
        }
    }

    fn connect_failed(&mut self, i: usize, now: u64) {
        let s = &mut self.slots[i];
        s.failed_connects = s.failed_connects.saturating_add(1);
        let pause = RETRY_MIN_NS << (s.failed_connects - 1).min(20);
        s.retry_at = now + pause.min(RETRY_MAX_NS);
    }

    /// Close connection `i`, failing what it had in flight with `failure` (None: drop them uncounted, as
    /// after a response that announced the close), and reopen it at `retry_at`.
    fn drop_conn(&mut self, i: usize, failure: Option<Failure>, now: u64) {
        let Some(conn) = self.slots[i].conn.take() else {
            return;
        };
        let lost = conn.close(self.base.poll.registry());
        if let Some(f) = failure {
            for req in lost {
                self.record(now, req, Err(f));
            }
        }
        self.slots[i].retry_at = now;
        self.down.push(i);
    }

    /// Fail the requests of connections that have waited longer than the timeout.
    fn expire(&mut self, now: u64) {
        let timeout = self.base.shared.cfg.timeout_ns;
        for i in 0..self.slots.len() {
            let s = &self.slots[i];
            let Some(conn) = &s.conn else { continue };
            let Some(front) = conn.inflight.front() else {
                continue;
            };
            let since = if front.sent_ns > 0 {
                front.sent_ns
            } else {
                s.opened_ns
            };
            if now >= since + timeout {
                self.drop_conn(i, Some(Failure::TIMEOUT), now);
            }
        }
    }

    fn on_event(&mut self, i: usize, to_end: bool) {
        let head = self.base.shared.cfg.head;
        let Some(conn) = self.slots[i].conn.as_mut() else {
            return;
        };
        if !conn.connected {
            match conn.finish_connect() {
                Ok(true) => self.slots[i].failed_connects = 0,
                Ok(false) => return,
                Err(e) => {
                    let now = mono_ns();
                    self.drop_conn(i, Some(Failure::from_io(&e)), now);
                    self.connect_failed(i, now);
                    return;
                }
            }
        }
        let now = mono_ns();
        let mut answered = std::mem::take(&mut self.answered);
        let conn = self.slots[i].conn.as_mut().expect("connection present");
        let end = conn.read(head, to_end, |req, r| answered.push((req, r)));
        let replies = answered.len();
        for &(req, r) in &answered {
            self.record(now, req, Ok(r));
        }
        answered.clear();
        self.answered = answered;
        let conn = self.slots[i].conn.as_mut().expect("connection present");
        match end {
            ReadEnd::Open if !conn.closing => {}
            ReadEnd::Open | ReadEnd::Closed(None) => return self.drop_conn(i, None, now),
            ReadEnd::Closed(Some(f)) => return self.drop_conn(i, Some(f), now),
        }
        if !self.stop {
            for _ in 0..replies {
                conn.push(self.base.next_request(), FRESH);
            }
        }
        if let Err(e) = conn.flush(mono_ns(), true) {
            self.drop_conn(i, Some(Failure::from_io(&e)), mono_ns());
        }
    }
}
