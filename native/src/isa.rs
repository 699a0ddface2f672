//! Which instruction set the kernels use, chosen once at run time.
//!
//! The crate is compiled for the target's baseline (SSE2 on x86_64), so the addon loads on any CPU of the
//! target. The hot loops are compiled a second and third time with AVX2 and AVX-512F enabled, and the
//! widest one the CPU supports is picked at run time. `SERVEBENCH_NATIVE_ISA=baseline|avx2|avx512` caps the
//! choice (to compare code paths, or to test the baseline path on a CPU that has more).

use std::sync::OnceLock;

/// The code paths of the kernels, narrowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// The target's baseline vector unit: SSE2 on x86_64, NEON on aarch64, plain scalar code elsewhere.
    Baseline,
    /// 256-bit AVX2 (x86_64 only).
    Avx2,
    /// 512-bit AVX-512F (x86_64 only).
    Avx512,
}

impl Isa {
    /// The name used in `buildInfo()` and by `SERVEBENCH_NATIVE_ISA`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Baseline => "baseline",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    fn parse(raw: &str) -> Option<Isa> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "baseline" | "sse2" | "scalar" => Some(Isa::Baseline),
            "avx2" => Some(Isa::Avx2),
            "avx512" | "avx512f" => Some(Isa::Avx512),
            _ => None,
        }
    }

    /// Whether this CPU can run the code path (checked with the CPU's feature flags at run time).
    pub fn supported(self) -> bool {
        match self {
            Isa::Baseline => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }
}

/// The chosen code path and how it was chosen.
#[derive(Clone, Debug)]
pub struct Selection {
    pub isa: Isa,
    /// The widest path the CPU supports.
    pub best_supported: Isa,
    /// What `SERVEBENCH_NATIVE_ISA` said, and whether it was understood.
    pub cap_note: String,
}

/// Choose the code path from the CPU and an optional cap (the value of `SERVEBENCH_NATIVE_ISA`).
pub fn select(cap: Option<&str>) -> Selection {
    let best_supported = [Isa::Avx512, Isa::Avx2, Isa::Baseline]
        .into_iter()
        .find(|isa| isa.supported())
        .unwrap_or(Isa::Baseline);
    match cap {
        None => Selection {
            isa: best_supported,
            best_supported,
            cap_note: "none".to_owned(),
        },
        Some(raw) => match Isa::parse(raw) {
            Some(cap) => Selection {
                isa: cap.min(best_supported),
                best_supported,
                cap_note: format!("SERVEBENCH_NATIVE_ISA={raw}"),
            },
            None => Selection {
                isa: best_supported,
                best_supported,
                cap_note: format!(
                    "SERVEBENCH_NATIVE_ISA={raw} ignored (expected baseline, avx2 or avx512)"
                ),
            },
        },
    }
}

/// The process-wide choice, made on first use.
pub fn selection() -> &'static Selection {
    static SELECTION: OnceLock<Selection> = OnceLock::new();
    SELECTION.get_or_init(|| select(std::env::var("SERVEBENCH_NATIVE_ISA").ok().as_deref()))
}

/// CPU features that matter to the kernels, as the CPU reports them at run time.
pub fn detected_features() -> Vec<&'static str> {
    #[allow(unused_mut)]
    let mut out: Vec<&'static str> = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! probe {
            ($($f:tt),*) => {
                $(if std::arch::is_x86_feature_detected!($f) { out.push($f); })*
            };
        }
        probe!("sse2", "sse4.2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512vl");
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") {
            out.push("neon");
        }
        if std::arch::is_aarch64_feature_detected!("sve") {
            out.push("sve");
        }
    }
    out
}

/// CPU features the whole crate was compiled to assume (the target's baseline plus any `-C target-feature`).
pub fn compiled_features() -> Vec<&'static str> {
    let mut out = Vec::new();
    macro_rules! compiled {
        ($($f:tt),*) => {
            $(if cfg!(target_feature = $f) { out.push($f); })*
        };
    }
    compiled!("sse2", "sse4.2", "avx", "avx2", "fma", "avx512f", "neon", "sve");
    out
}

/// Elements of 8 bytes per 4 KiB page: the unit at which the kernels prefetch ahead.
pub const PAGE: usize = 4096 / 8;

/// Hint the CPU to start loading the line one page (4 KiB) after `p` into L2. The hardware prefetcher
/// stops at page boundaries; this gets the next page's address translation and first line under way
/// early. A prefetch never faults, so a pointer past the end of the data is harmless.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub fn prefetch_next_page<T>(p: *const T) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T1};
    // SAFETY: prefetch is a hint; it does not fault on any address (wrapping_add avoids UB from
    // pointer arithmetic past the allocation).
    unsafe { _mm_prefetch::<_MM_HINT_T1>(p.cast::<i8>().wrapping_add(4096)) };
}

/// Split `xs` into a head, a body that starts at a `align_bytes` boundary and holds a multiple of `block`
/// elements, and a tail. Vector loads that straddle two cache lines cost about twice as much, and
/// JavaScript's allocator only promises 8- or 16-byte alignment, so the kernels peel a short head first.
pub fn split_aligned<T>(xs: &[T], align_bytes: usize, block: usize) -> (&[T], &[T], &[T]) {
    let head_len = xs.as_ptr().align_offset(align_bytes).min(xs.len());
    let (head, rest) = xs.split_at(head_len);
    let body_len = rest.len() / block * block;
    let (body, tail) = rest.split_at(body_len);
    (head, body, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cap_never_raises_the_choice_above_the_cpu() {
        let best = select(None).best_supported;
        assert_eq!(select(Some("avx512")).isa, best.min(Isa::Avx512));
        assert_eq!(select(Some("baseline")).isa, Isa::Baseline);
    }

    #[test]
    fn split_aligned_keeps_every_element_once() {
        let xs: Vec<f64> = (0..1000).map(f64::from).collect();
        for start in 0..9 {
            let (h, b, t) = split_aligned(&xs[start..], 64, 32);
            assert_eq!(h.len() + b.len() + t.len(), 1000 - start);
            assert_eq!(b.len() % 32, 0);
            if !b.is_empty() {
                assert!((b.as_ptr() as usize).is_multiple_of(64));
            }
        }
    }

    #[test]
    fn an_unknown_cap_is_ignored_and_said_so() {
        let s = select(Some("sse9"));
        assert_eq!(s.isa, s.best_supported);
        assert!(s.cap_note.contains("ignored"));
    }
}
