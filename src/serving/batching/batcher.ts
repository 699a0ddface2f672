// Adaptive micro-batching (BentoML's adaptive batching, Triton's dynamic batcher): requests that arrive
// close together are predicted in one call. A batch is run as soon as it holds max-size requests, or when
// its oldest request has waited max-wait (from its arrival), whichever comes first: under load batches fill
// and the wait ends early; at a trickle each request waits at most max-wait. max-wait 0 batches the requests
// of one event-loop turn. Each request gets its own outcome: a row that fails rejects its request alone.

import { performance } from 'node:perf_hooks';
import type { BatchingSettings } from '../../results/serving.js';

/** A request's share of a batch: its own result, the batch's size, and how long it waited for the batch. */
export interface Batched<O> {
  value: O;
  batchSize: number;
  batchWaitMs: number;
}

/**
 * Runs one batch: one outcome per input, in order (an Error fails that input's request alone). A run that
 * throws (or rejects) fails every request of the batch with that error.
 */
export type BatchRunner<I, O> = (inputs: I[]) => (O | Error)[] | Promise<(O | Error)[]>;

/** Told of every batch run: its size and each request's wait (for the process's metrics). */
export type BatchListener = (size: number, waitsMs: readonly number[]) => void;

interface Waiting<I, O> {
  input: I;
  arrivedAtMs: number;
  resolve(b: Batched<O>): void;
  reject(err: unknown): void;
}

export class MicroBatcher<I, O> {
  private forming: Waiting<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly settings: BatchingSettings,
    private readonly run: BatchRunner<I, O>,
    private readonly onBatch: BatchListener = () => undefined,
  ) {}

  /** Requests waiting for the batch being formed. */
  get waiting(): number {
    return this.forming.length;
  }

  /**
   * Add a request that arrived at `arrivedAtMs` (performance.now()); resolves with its own outcome once its
   * batch has run. A full batch runs at once, within this call.
   */
  add(input: I, arrivedAtMs: number = performance.now()): Promise<Batched<O>> {
    return new Promise<Batched<O>>((resolve, reject) => {
      this.forming.push({ input, arrivedAtMs, resolve, reject });
      // An overdue batch goes at the first chance: its timer fires late when the loop is busy (a burst of
      // requests parsed in one turn), and every request that joins meanwhile is such a chance.
      if (this.forming.length >= this.settings.maxSize || this.overdue()) this.flush();
      else if (this.forming.length === 1) this.arm(arrivedAtMs);
    });
  }

  /** Whether the oldest request of the forming batch has waited max-wait already (max-wait 0: the turn's end decides). */
  private overdue(): boolean {
    const oldest = this.forming[0];
    return this.settings.maxWaitMs > 0 && oldest !== undefined && performance.now() - oldest.arrivedAtMs >= this.settings.maxWaitMs;
  }

  /** The deadline of the batch: its first (oldest) request's arrival plus max-wait. */
  private arm(oldestArrivalMs: number): void {
    const left = oldestArrivalMs + this.settings.maxWaitMs - performance.now();
    // A timer never fires before its delay has passed (in whole ms) and may fire later when the loop is
    // busy: under 1 ms left, the next turn of the loop is the nearest we can get.
    if (left < 1) this.immediate = setImmediate(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), Math.floor(left));
  }

  /** Run the forming batch now (a no-op when it is empty). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    const batch = this.forming;
    if (batch.length === 0) return;
    this.forming = [];
    const startMs = performance.now();
    const waits = batch.map((w) => Math.max(0, startMs - w.arrivedAtMs));
    this.onBatch(batch.length, waits);
    let out: (O | Error)[] | Promise<(O | Error)[]>;
    try {
      out = this.run(batch.map((w) => w.input));
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    const settle = (results: (O | Error)[]) => {
      batch.forEach((w, i) => {
        const r = i < results.length ? results[i] : new Error(`the batch answered ${results.length} results for ${batch.length} requests`);
        if (r instanceof Error) w.reject(r);
        else w.resolve({ value: r as O, batchSize: batch.length, batchWaitMs: waits[i]! });
      });
    };
    if (Array.isArray(out)) settle(out);
    else
      out.then(settle, (err: unknown) => {
        for (const w of batch) w.reject(err);
      });
  }

  /** Fail the requests still waiting (the process is closing). */
  close(err: Error): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    const batch = this.forming;
    this.forming = [];
    for (const w of batch) w.reject(err);
  }
}
