//! Clocks of the load engine: one monotonic clock in nanoseconds for every timestamp (the same clock the
//! Linux timerfd alarm is armed on, so a deadline means the same instant to both), each thread's own CPU
//! time (the generator-load figures), and fine timer slack for the engine's threads.

use std::io;

/// Nanoseconds on the monotonic clock (CLOCK_MONOTONIC on Unix), comparable across the engine's threads.
#[cfg(unix)]
pub fn mono_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own; CLOCK_MONOTONIC always exists on Unix.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

#[cfg(not(unix))]
pub fn mono_ns() -> u64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static BASE: OnceLock<Instant> = OnceLock::new();
    // Offset by one second so that no timestamp is 0 (0 means "not yet" in a few places).
    BASE.get_or_init(Instant::now).elapsed().as_nanos() as u64 + 1_000_000_000
}

/// CPU time (user + system) the calling thread has used, nanoseconds; 0 where the platform has no such clock.
#[cfg(unix)]
pub fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: as above; CLOCK_THREAD_CPUTIME_ID is the calling thread's CPU clock.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

#[cfg(not(unix))]
pub fn thread_cpu_ns() -> u64 {
    0
}

/// Ask the kernel to wake this thread's timers on time: the default slack (50 us) would make every
/// scheduled send up to 50 us late. Linux only; elsewhere a no-op.
pub fn fine_timer_slack() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_TIMERSLACK takes a plain integer and affects only the calling thread.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0);
    }
}

/// A one-shot alarm at an absolute monotonic time, as a file descriptor the poller watches (Linux timerfd):
/// wakes a waiting thread within microseconds of the deadline, where epoll's own timeout has 1 ms steps.
#[cfg(target_os = "linux")]
pub struct Alarm {
    fd: libc::c_int,
    armed_at: u64,
}

#[cfg(target_os = "linux")]
impl Alarm {
    pub fn new() -> io::Result<Alarm> {
        // SAFETY: timerfd_create has no memory arguments; the fd is owned by the Alarm and closed on drop.
        let fd = unsafe {
            libc::timerfd_create(
                libc::CLOCK_MONOTONIC,
                libc::TFD_NONBLOCK | libc::TFD_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Alarm { fd, armed_at: 0 })
    }

    pub fn raw_fd(&self) -> libc::c_int {
        self.fd
    }

    /// Ring at `deadline_ns` (monotonic); re-arming at the same time is free.
    pub fn arm(&mut self, deadline_ns: u64) {
        if deadline_ns == self.armed_at {
            return;
        }
        self.armed_at = deadline_ns;
        // A zero it_value would disarm the timer: a deadline in the past rings at once instead.
        let at = deadline_ns.max(1);
        let spec = libc::itimerspec {
            it_interval: libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: libc::timespec {
                tv_sec: (at / 1_000_000_000) as libc::time_t,
                tv_nsec: (at % 1_000_000_000) as libc::c_long,
            },
        };
        // SAFETY: the itimerspec lives for the call; a null old_value is allowed.
        unsafe {
            libc::timerfd_settime(
                self.fd,
                libc::TFD_TIMER_ABSTIME,
                &spec,
                std::ptr::null_mut(),
            )
        };
    }

    /// The alarm rang: forget its deadline so the next `arm` sets one. No read of the expiry count is
    /// needed: the next timerfd_settime resets it, and edge-triggered epoll reports every expiry.
    pub fn rang(&mut self) {
        self.armed_at = 0;
    }
}

#[cfg(target_os = "linux")]
impl Drop for Alarm {
    fn drop(&mut self) {
        // SAFETY: the fd is ours and closed once.
        unsafe { libc::close(self.fd) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn monotonic_clock_moves_forward() {
        let a = mono_ns();
        std::thread::sleep(Duration::from_millis(2));
        let b = mono_ns();
        assert!(b > a && b - a >= 2_000_000);
    }

    #[test]
    fn thread_cpu_clock_counts_work() {
        let a = thread_cpu_ns();
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(thread_cpu_ns() >= a);
    }
}
