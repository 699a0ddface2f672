//! The memory-read bandwidth probe: how fast this machine can read n doubles, so every kernel figure can
//! also be given as a fraction of it (the roofline).
//!
//! The probe reads its own buffer of n 8-byte words with the widest vector loads the CPU has and XORs
//! them into 8 independent vector accumulators: XOR has a latency of one cycle, so the loop is limited by
//! loads (from cache or DRAM), not by arithmetic. Each repeat reads the buffer as many times as it takes
//! to move at least `TARGET_BYTES_PER_REPEAT`, after one untimed warm-up pass, so small buffers are read
//! from cache as a kernel benchmark called in a loop reads them.

use crate::isa::{self, Isa};
use std::hint::black_box;
use std::sync::Barrier;
use std::time::Instant;

/// Bytes each repeat moves at least (per probe, over all threads): long enough for a stable clock reading.
const TARGET_BYTES_PER_REPEAT: u64 = 128 << 20;
/// Upper bounds that keep a mistaken call from running for minutes.
pub const MAX_THREADS: usize = 256;
pub const MAX_REPEATS: usize = 1000;

/// What one probe measured.
#[derive(Clone, Debug)]
pub struct ProbeOutcome {
    /// Read bandwidth of each repeat, bytes per second / 1e9.
    pub gb_per_sec: Vec<f64>,
    /// Full passes over the buffer in each repeat.
    pub passes_per_repeat: u64,
    /// Threads that read (each reads its own contiguous share of the buffer).
    pub threads: usize,
    /// Code path of the read loop.
    pub isa: Isa,
}

/// Portable read loop for targets other than x86_64: `L` independent XOR accumulators.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn read_lanes<const L: usize>(xs: &[u64]) -> u64 {
    let (chunks, rest) = xs.as_chunks::<L>();
    let mut acc = [0u64; L];
    for chunk in chunks {
        for (a, x) in acc.iter_mut().zip(chunk) {
            *a ^= *x;
        }
    }
    let mut out = 0;
    for a in acc {
        out ^= a;
    }
    for x in rest {
        out ^= *x;
    }
    out
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use crate::isa::{prefetch_next_page, split_aligned, PAGE};
    use std::arch::x86_64::*;

    /// One x86 read loop: 8 vector XOR accumulators over a 64-byte-aligned body, then the rest.
    macro_rules! vector_read {
        ($(#[$attr:meta])* $name:ident, $vec:ty, $width:literal, $zero:ident, $load:ident, $xor:ident, $store:ident) => {
            $(#[$attr])*
            pub fn $name(xs: &[u64]) -> u64 {
                const W: usize = $width;
                let (head, body, tail) = split_aligned(xs, 64, 8 * W);
                let mut acc: [$vec; 8] = [$zero(); 8];
                // Four streams side by side, each prefetching its next page, as the mean kernel reads
                // (see mean.rs).
                let part = body.len() / 4;
                if part > 0 {
                    let (q01, q23) = body.split_at(2 * part);
                    let ((q0, q1), (q2, q3)) = (q01.split_at(part), q23.split_at(part));
                    let pages = q0.chunks(PAGE).zip(q1.chunks(PAGE)).zip(q2.chunks(PAGE)).zip(q3.chunks(PAGE));
                    for (((p0, p1), p2), p3) in pages {
                        for page in [p0, p1, p2, p3] {
                            prefetch_next_page(page.as_ptr());
                        }
                        let s0 = p0.chunks_exact(2 * W);
                        let (s1, s2, s3) = (p1.chunks_exact(2 * W), p2.chunks_exact(2 * W), p3.chunks_exact(2 * W));
                        for (((c0, c1), c2), c3) in s0.zip(s1).zip(s2).zip(s3) {
                            for (k, c) in [c0, c1, c2, c3].into_iter().enumerate() {
                                let p = c.as_ptr();
                                // SAFETY: each chunk holds 2*W u64s: elements 0..W and W..2W.
                                acc[2 * k] = $xor(acc[2 * k], unsafe { $load(p.cast()) });
                                acc[2 * k + 1] = $xor(acc[2 * k + 1], unsafe { $load(p.add(W).cast()) });
                            }
                        }
                    }
                }
                let a = $xor($xor(acc[0], acc[1]), $xor(acc[2], acc[3]));
                let b = $xor($xor(acc[4], acc[5]), $xor(acc[6], acc[7]));
                let mut lanes = [0u64; W];
                // SAFETY: lanes holds exactly W u64s.
                unsafe { $store(lanes.as_mut_ptr().cast(), $xor(a, b)) };
                let mut out = 0;
                for x in lanes.iter().chain(head).chain(tail) {
                    out ^= *x;
                }
                out
            }
        };
    }

    vector_read!(
        #[target_feature(enable = "avx512f")]
        read_avx512,
        __m512i,
        8,
        _mm512_setzero_si512,
        _mm512_loadu_si512,
        _mm512_xor_si512,
        _mm512_storeu_si512
    );
    vector_read!(
        #[target_feature(enable = "avx,avx2")]
        read_avx2,
        __m256i,
        4,
        _mm256_setzero_si256,
        _mm256_loadu_si256,
        _mm256_xor_si256,
        _mm256_storeu_si256
    );
    vector_read!(
        #[target_feature(enable = "sse2")]
        read_sse2,
        __m128i,
        2,
        _mm_setzero_si128,
        _mm_loadu_si128,
        _mm_xor_si128,
        _mm_storeu_si128
    );
}

/// One read pass over `xs` on the given code path (an unsupported path falls back to the baseline).
pub fn read_with(isa: Isa, xs: &[u64]) -> u64 {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 if Isa::Avx512.supported() => {
            // SAFETY: the CPU supports AVX-512F (checked on the line above).
            unsafe { x86::read_avx512(xs) }
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 if Isa::Avx2.supported() => {
            // SAFETY: the CPU supports AVX2 (checked on the line above).
            unsafe { x86::read_avx2(xs) }
        }
        // SAFETY: SSE2 is part of the x86_64 baseline.
        #[cfg(target_arch = "x86_64")]
        _ => unsafe { x86::read_sse2(xs) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => read_lanes::<16>(xs),
    }
}

/// Measure the read bandwidth over `n` words with `threads` threads, `repeats` times.
///
/// Errors (as messages) when an argument is out of range or the buffer cannot be allocated.
pub fn bandwidth_probe_impl(
    n: usize,
    threads: usize,
    repeats: usize,
) -> Result<ProbeOutcome, String> {
    if n == 0 {
        return Err("n must be at least 1".to_owned());
    }
    if threads == 0 || threads > MAX_THREADS {
        return Err(format!(
            "threads must be between 1 and {MAX_THREADS}, got {threads}"
        ));
    }
    if repeats == 0 || repeats > MAX_REPEATS {
        return Err(format!(
            "repeats must be between 1 and {MAX_REPEATS}, got {repeats}"
        ));
    }
    let threads = threads.min(n);
    let mut buffer: Vec<u64> = Vec::new();
    buffer.try_reserve_exact(n).map_err(|_| {
        format!(
            "cannot allocate {} MB for the probe buffer",
            (n as u64 * 8) / 1_000_000
        )
    })?;
    // Non-zero contents: untouched or zeroed pages may all map the kernel's shared zero page, and reading
    // that would measure the cache, not memory.
    buffer.extend((0..n as u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1));

    let isa = isa::selection().isa;
    let bytes = n as u64 * 8;
    let passes = TARGET_BYTES_PER_REPEAT.div_ceil(bytes).max(1);
    let shares: Vec<&[u64]> = (0..threads)
        .map(|t| &buffer[t * n / threads..(t + 1) * n / threads])
        .collect();

    let mut gb_per_sec = Vec::with_capacity(repeats);
    if threads == 1 {
        let xs = shares[0];
        black_box(read_with(isa, black_box(xs)));
        for _ in 0..repeats {
            let start = Instant::now();
            for _ in 0..passes {
                // black_box on the slice each pass: otherwise the compiler may see that every pass reads
                // the same data and do the work once.
                black_box(read_with(isa, black_box(xs)));
            }
            let seconds = start.elapsed().as_secs_f64();
            gb_per_sec.push((bytes * passes) as f64 / seconds / 1e9);
        }
    } else {
        for _ in 0..repeats {
            let barrier = Barrier::new(threads);
            let spans: Vec<(Instant, Instant)> = std::thread::scope(|scope| {
                let handles: Vec<_> = shares
                    .iter()
                    .map(|xs| {
                        let barrier = &barrier;
                        scope.spawn(move || {
                            black_box(read_with(isa, black_box(xs)));
                            barrier.wait();
                            let start = Instant::now();
                            for _ in 0..passes {
                                black_box(read_with(isa, black_box(xs)));
                            }
                            (start, Instant::now())
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a probe thread panicked"))
                    .collect()
            });
            // Wall time from the first thread starting to the last one finishing.
            let first = spans
                .iter()
                .map(|s| s.0)
                .min()
                .expect("at least one thread");
            let last = spans
                .iter()
                .map(|s| s.1)
                .max()
                .expect("at least one thread");
            let seconds = last.duration_since(first).as_secs_f64();
            gb_per_sec.push((bytes * passes) as f64 / seconds / 1e9);
        }
    }
    Ok(ProbeOutcome {
        gb_per_sec,
        passes_per_repeat: passes,
        threads,
        isa,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_reads_every_word() {
        let xs: Vec<u64> = (1..=1001u64).map(|i| i * 2_654_435_761).collect();
        for start in 0..9 {
            let expected = xs[start..].iter().fold(0, |a, x| a ^ x);
            for isa in [Isa::Baseline, Isa::Avx2, Isa::Avx512] {
                assert_eq!(read_with(isa, &xs[start..]), expected, "{isa:?}");
            }
            assert_eq!(read_lanes::<16>(&xs[start..]), expected);
        }
    }

    #[test]
    fn the_probe_reports_one_positive_figure_per_repeat() {
        for threads in [1, 2] {
            let out = bandwidth_probe_impl(10_000, threads, 3).unwrap();
            assert_eq!(out.gb_per_sec.len(), 3);
            assert!(out.gb_per_sec.iter().all(|g| *g > 0.0 && g.is_finite()));
        }
    }

    #[test]
    fn bad_arguments_are_errors_not_panics() {
        assert!(bandwidth_probe_impl(0, 1, 1).is_err());
        assert!(bandwidth_probe_impl(10, 0, 1).is_err());
        assert!(bandwidth_probe_impl(10, 1, 0).is_err());
    }
}
