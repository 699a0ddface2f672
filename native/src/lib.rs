//! servebench's native addon: the mean kernels of the CPU-bound predict (vectorized, parallel, async), a
//! memory-read bandwidth probe, and an HTTP load engine (load/).
//!
//! The work lives in plain `*_impl` functions (mean.rs, bandwidth.rs) and the load/ modules, which know
//! little of JavaScript; the `#[napi]` items below only convert arguments and results. The generated loader
//! (native/index.cjs) is wrapped by src/kernels/native-binding.ts, which is what servebench imports.

#![deny(clippy::all)]

mod bandwidth;
mod input;
mod isa;
mod load;
mod mean;

use input::{F64Owned, F64Slice};
use load::{LoadRunConfig, LoadRunReport, LoadRunSnapshot};
use napi::bindgen_prelude::{AsyncTask, Env, Error, Object, Result, Status};
use napi::Task;
use napi_derive::napi;
use std::collections::HashMap;

/// Arithmetic mean of the values, vectorized (independent accumulators; AVX-512, AVX2 or the baseline
/// SSE2/NEON path, chosen at run time), on the calling thread. Reads the array in place: no copy.
///
/// n = 0 gives NaN; any NaN gives NaN; +Infinity and -Infinity together give NaN.
/// Throws a TypeError when `values` is not a Float64Array.
#[napi(ts_args_type = "values: Float64Array")]
pub fn mean(values: F64Slice) -> f64 {
    mean::mean_impl(values.as_slice())
}

/// Arithmetic mean, split across rayon's thread pool (one thread per core unless RAYON_NUM_THREADS is
/// set). Inputs shorter than 131072 values stay on the calling thread, where threads would only add cost.
/// Blocks the calling thread until done. Same results as `mean` for n = 0, NaN and Infinity.
/// Throws a TypeError when `values` is not a Float64Array.
#[napi(ts_args_type = "values: Float64Array")]
pub fn mean_parallel(values: F64Slice) -> f64 {
    mean::mean_parallel_impl(values.as_slice())
}

/// The work of `meanAsync`: runs on a libuv pool thread, holding a reference to the array.
pub struct MeanTask {
    values: F64Owned,
}

impl Task for MeanTask {
    type Output = f64;
    type JsValue = f64;

    fn compute(&mut self) -> Result<f64> {
        Ok(mean::mean_impl(&self.values.0))
    }

    fn resolve(&mut self, _env: Env, output: f64) -> Result<f64> {
        Ok(output)
    }
}

/// Arithmetic mean computed by the same code as `mean`, as an AsyncTask on the libuv thread pool: the
/// event loop stays free meanwhile. Resolves with exactly the value `mean` returns.
///
/// The array is held by a reference until the Promise settles, so it cannot be garbage-collected under
/// the task; do not write to, transfer or detach its buffer before then.
/// Throws a TypeError (synchronously) when `values` is not a Float64Array.
#[napi(
    ts_args_type = "values: Float64Array",
    ts_return_type = "Promise<number>"
)]
pub fn mean_async(values: F64Owned) -> AsyncTask<MeanTask> {
    AsyncTask::new(MeanTask { values })
}

/// The means of several Float64Arrays in one call (a batch of cpu predicts): each by the same code as
/// `mean`, in order, on the calling thread. Reads every array in place: no copy. An empty list gives [].
/// Throws a TypeError naming the first element that is not a Float64Array.
#[napi(ts_args_type = "values: Float64Array[]")]
pub fn mean_batch(values: Vec<F64Slice>) -> Vec<f64> {
    values
        .iter()
        .map(|v| mean::mean_impl(v.as_slice()))
        .collect()
}

/// The work of `meanBatchAsync`: one libuv pool task for the whole batch, holding a reference to each array.
pub struct MeanBatchTask {
    values: Vec<F64Owned>,
}

impl Task for MeanBatchTask {
    type Output = Vec<f64>;
    type JsValue = Vec<f64>;

    fn compute(&mut self) -> Result<Vec<f64>> {
        Ok(self.values.iter().map(|v| mean::mean_impl(&v.0)).collect())
    }

    fn resolve(&mut self, _env: Env, output: Vec<f64>) -> Result<Vec<f64>> {
        Ok(output)
    }
}

/// `meanBatch` as one AsyncTask on the libuv thread pool (one hop for the whole batch instead of one per
/// vector): resolves with exactly the values `meanBatch` returns. Each array is held by a reference until
/// the Promise settles; do not write to, transfer or detach their buffers before then.
/// Throws a TypeError (synchronously) naming the first element that is not a Float64Array.
#[napi(
    ts_args_type = "values: Float64Array[]",
    ts_return_type = "Promise<number[]>"
)]
pub fn mean_batch_async(values: Vec<F64Owned>) -> AsyncTask<MeanBatchTask> {
    AsyncTask::new(MeanBatchTask { values })
}

/// What one bandwidth probe measured.
#[napi(object)]
pub struct BandwidthProbe {
    /// Words (8 bytes each) read per pass.
    pub n: f64,
    /// Threads that read; each reads its own contiguous share.
    pub threads: u32,
    /// Read bandwidth of each repeat, bytes per second / 1e9.
    pub gb_per_sec: Vec<f64>,
    /// Full passes over the buffer per repeat (more for small buffers, so each repeat is long enough).
    pub passes_per_repeat: f64,
    /// Code path of the read loop: "avx512", "avx2" or "baseline".
    pub isa: String,
}

/// Measure how fast this machine reads `n` 8-byte words: a buffer of its own, read with the widest vector
/// loads the CPU has, by `threads` threads, `repeats` times (one figure per repeat). Runs on the calling
/// thread and blocks it (about 30 ms per repeat for n = 1e8).
#[napi]
pub fn bandwidth_probe(n: f64, threads: u32, repeats: u32) -> Result<BandwidthProbe> {
    if !(n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= (1u64 << 40) as f64) {
        return Err(Error::new(
            Status::InvalidArg,
            format!("bandwidthProbe: n must be an integer between 1 and 2^40, got {n}"),
        ));
    }
    let out = bandwidth::bandwidth_probe_impl(n as usize, threads as usize, repeats as usize)
        .map_err(|m| Error::new(Status::InvalidArg, format!("bandwidthProbe: {m}")))?;
    Ok(BandwidthProbe {
        n,
        threads: out.threads as u32,
        gb_per_sec: out.gb_per_sec,
        passes_per_repeat: out.passes_per_repeat as f64,
        isa: out.isa.name().to_owned(),
    })
}

/// Build and run-time facts for reports: crate version, rustc version, target triple, build profile, CPU
/// features compiled in and detected, the code path the kernels use, and rayon's thread count.
#[napi(ts_return_type = "Record<string, string>")]
pub fn build_info() -> HashMap<String, String> {
    let selection = isa::selection();
    let facts = [
        ("crateVersion", env!("CARGO_PKG_VERSION").to_owned()),
        ("rustc", env!("SERVEBENCH_RUSTC_VERSION").to_owned()),
        ("target", env!("SERVEBENCH_BUILD_TARGET").to_owned()),
        ("profile", env!("SERVEBENCH_BUILD_PROFILE").to_owned()),
        ("optLevel", env!("SERVEBENCH_BUILD_OPT_LEVEL").to_owned()),
        ("compiledFeatures", isa::compiled_features().join(",")),
        ("detectedFeatures", isa::detected_features().join(",")),
        ("kernelIsa", selection.isa.name().to_owned()),
        (
            "bestSupportedIsa",
            selection.best_supported.name().to_owned(),
        ),
        ("isaCap", selection.cap_note.clone()),
        ("rayonThreads", rayon::current_num_threads().to_string()),
        ("parallelMinChunk", mean::PAR_MIN_CHUNK.to_string()),
    ];
    facts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A run of the native load engine: HTTP/1.1 load from threads of its own (never the JS event loop), closed
/// loop (connections sending back to back, optionally pipelined) or open loop (arrivals at a rate, each
/// latency timed from its scheduled send time, coordinated omission corrected).
///
/// ```js
/// const run = LoadRun.start({ url: 'http://127.0.0.1:8080/', mode: 'open', rateRps: 20000, durationMs: 10000 });
/// const timer = setInterval(() => console.error(run.snapshot()), 1000);
/// const report = await run.result();
/// ```
#[napi]
pub struct LoadRun {
    handle: load::RunHandle,
}

#[napi]
impl LoadRun {
    /// Check `config` and start the run; returns at once. Throws an Error naming the field at fault when
    /// the configuration is invalid (e.g. "config.rateRps is required in mode 'open'").
    #[napi(factory)]
    pub fn start(config: LoadRunConfig) -> Result<LoadRun> {
        let cfg = load::validate(&config)
            .map_err(|e| Error::new(Status::InvalidArg, format!("LoadRun.start: config.{e}")))?;
        let handle = load::start(cfg).map_err(|e| {
            Error::from_reason(format!("LoadRun.start: cannot start the load threads: {e}"))
        })?;
        Ok(LoadRun { handle })
    }

    /// Stop the run: the window ends now, requests in flight get a short drain (open loop), and the report
    /// covers what ran, with `interrupted: true`. Does nothing once the run has ended.
    #[napi]
    pub fn cancel(&self) {
        self.handle.cancel();
    }

    /// Progress so far, for a live status line; cheap (atomics and a few short locks).
    #[napi]
    pub fn snapshot(&self) -> LoadRunSnapshot {
        self.handle.snapshot()
    }

    /// True once the run has ended and its report is ready.
    #[napi(getter)]
    pub fn done(&self) -> bool {
        self.handle.is_done()
    }

    /// The report, once the run ends (at once if it has). Every call resolves with the same figures. Rejects
    /// only when a load thread failed to start or crashed.
    #[napi(ts_return_type = "Promise<LoadRunReport>")]
    pub fn result<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        let (deferred, promise) = env
            .create_deferred::<LoadRunReport, Box<dyn FnOnce(Env) -> Result<LoadRunReport> + Send>>(
            )?;
        self.handle.when_done(move |outcome| match outcome {
            Ok(report) => {
                let report = report.clone();
                deferred.resolve(Box::new(move |_| Ok(report)));
            }
            Err(message) => deferred.reject(Error::from_reason(message.clone())),
        });
        Ok(promise)
    }
}
