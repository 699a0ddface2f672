//! Open-loop arrival schedules: when each request is due, fixed in advance and independent of the responses,
//! so a slow server cannot slow the arrivals down (no coordinated omission).
//!
//! The sequences are those of servebench's JavaScript open-loop engine (src/load/arrivals.ts): the same
//! mulberry32 generator and the same exponential gaps, so a seed gives the same arrival times in both.
//! With several threads, arrival k goes to thread k mod T: the threads together follow exactly the
//! one-thread schedule whatever T is.

/// Poisson arrivals (exponential gaps, seeded) or constant ones (exactly 1/rate apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrivalProcess {
    Poisson,
    Constant,
}

/// mulberry32: a small seeded generator of uniform numbers in [0, 1), bit for bit the JavaScript one.
#[derive(Clone, Debug)]
pub struct Mulberry32 {
    state: u32,
}

impl Mulberry32 {
    pub fn new(seed: u32) -> Mulberry32 {
        Mulberry32 { state: seed }
    }

    pub fn next_f64(&mut self) -> f64 {
        self.state = self.state.wrapping_add(0x6d2b_79f5);
        let mut t = self.state;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
}

/// One thread's share of an arrival schedule: send times in nanoseconds from the start of the run.
#[derive(Clone, Debug)]
pub struct Schedule {
    process: ArrivalProcess,
    gap_ms: f64,
    rng: Mulberry32,
    /// Index of the next arrival of the whole (all-thread) schedule.
    index: u64,
    /// Poisson: the time of arrival `index - 1`, ms.
    t_ms: f64,
    thread: u64,
    threads: u64,
}

impl Schedule {
    /// Thread `thread` of `threads` of the schedule at `rate_rps` (> 0, finite).
    pub fn new(
        rate_rps: f64,
        process: ArrivalProcess,
        seed: u32,
        thread: u32,
        threads: u32,
    ) -> Schedule {
        debug_assert!(rate_rps > 0.0 && rate_rps.is_finite() && threads >= 1 && thread < threads);
        Schedule {
            process,
            gap_ms: 1000.0 / rate_rps,
            rng: Mulberry32::new(seed),
            index: 0,
            t_ms: 0.0,
            thread: u64::from(thread),
            threads: u64::from(threads),
        }
    }

    /// The next arrival of the whole schedule (whichever thread it belongs to), ms from the start. The
    /// first arrival is at 0 for constant arrivals and one random gap in for Poisson ones.
    fn next_global_ms(&mut self) -> f64 {
        let i = self.index;
        self.index += 1;
        match self.process {
            // Multiplying (not adding) keeps rounding errors from accumulating over long runs.
            ArrivalProcess::Constant => i as f64 * self.gap_ms,
            ArrivalProcess::Poisson => {
                // 1 - u is in (0, 1], so the log is finite.
                self.t_ms += -self.gap_ms * (1.0 - self.rng.next_f64()).ln();
                self.t_ms
            }
        }
    }

    /// This thread's next send time, ns from the start of the run.
    pub fn next_ns(&mut self) -> u64 {
        loop {
            let owner = self.index % self.threads;
            let at_ms = self.next_global_ms();
            if owner == self.thread {
                return (at_ms * 1e6) as u64;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mulberry32_matches_the_javascript_generator() {
        // createRng(42) in src/stats/random.ts: its first three draws.
        let mut r = Mulberry32::new(42);
        assert_eq!(r.next_f64(), 0.6011037519201636);
        assert_eq!(r.next_f64(), 0.44829055899754167);
        assert_eq!(r.next_f64(), 0.8524657934904099);
    }

    #[test]
    fn poisson_times_match_the_javascript_schedule() {
        // createArrivals(250, 'poisson', 7): 0.04709517213937048, 0.30293848992515726, 15.375951047540482 ms.
        let mut s = Schedule::new(250.0, ArrivalProcess::Poisson, 7, 0, 1);
        let want = [0.04709517213937048, 0.30293848992515726, 15.375951047540482];
        for w in want {
            let got = s.next_ns() as f64 / 1e6;
            assert!((got - w).abs() < 1e-6, "{got} vs {w}");
        }
    }

    #[test]
    fn constant_arrivals_are_exactly_one_gap_apart() {
        let mut s = Schedule::new(20_000.0, ArrivalProcess::Constant, 1, 0, 1);
        for i in 0..100_000u64 {
            let at = s.next_ns();
            assert!(at.abs_diff(i * 50_000) <= 1, "arrival {i} at {at}");
        }
    }

    #[test]
    fn poisson_arrivals_hold_the_rate_and_have_exponential_gaps() {
        let rate = 20_000.0;
        let n = 200_000u64;
        let mut s = Schedule::new(rate, ArrivalProcess::Poisson, 12345, 0, 1);
        let mut prev = 0u64;
        let mut gaps = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let at = s.next_ns();
            assert!(at >= prev, "arrivals must not go back in time");
            gaps.push((at - prev) as f64);
            prev = at;
        }
        let achieved = n as f64 / (prev as f64 / 1e9);
        assert!((achieved / rate - 1.0).abs() < 0.01, "rate {achieved}");
        // Exponential: the coefficient of variation is 1, and about 1 - 1/e of the gaps are below the mean.
        let mean = gaps.iter().sum::<f64>() / n as f64;
        let sd = (gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!((sd / mean - 1.0).abs() < 0.02, "cv {}", sd / mean);
        let below = gaps.iter().filter(|&&g| g < mean).count() as f64 / n as f64;
        assert!(
            (below - (1.0 - (-1.0f64).exp())).abs() < 0.01,
            "share below the mean {below}"
        );
    }

    #[test]
    fn threads_together_follow_the_one_thread_schedule() {
        for process in [ArrivalProcess::Poisson, ArrivalProcess::Constant] {
            let mut whole = Schedule::new(5_000.0, process, 9, 0, 1);
            let want: Vec<u64> = (0..3000).map(|_| whole.next_ns()).collect();
            let mut parts: Vec<Schedule> = (0..3)
                .map(|t| Schedule::new(5_000.0, process, 9, t, 3))
                .collect();
            let mut got: Vec<u64> = (0..1000)
                .flat_map(|_| parts.iter_mut().map(|p| p.next_ns()).collect::<Vec<_>>())
                .collect();
            got.sort_unstable();
            assert_eq!(got, want);
        }
    }
}
