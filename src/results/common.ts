// Types shared by every suite's results.

import type { ErrorInfo } from '../errors.js';

export type { ErrorInfo } from '../errors.js';

/** The outcome of one case of a run: errors and skips are data, so one failing case never loses the others. */
export type Outcome<T> = ({ state: 'completed' } & T) | { state: 'errored'; error: ErrorInfo } | { state: 'skipped'; reason: string };

/** Whether the native addon loaded, and if not, why. Every output that could use it says which. */
export type NativeStatus =
  | {
      available: true;
      /** Path of the loaded .node file. */
      file: string;
      /** Build facts reported by the addon itself (crate version, rustc, target, CPU features in use). */
      build: Record<string, string>;
    }
  | { available: false; reason: string };

/** A spread of repeat figures (e.g. one per fresh process), always with the unit of the figures. */
export interface Spread {
  unit: string;
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, as a fraction. */
  relativeSpread: number;
  /** Number of repeats. */
  repeats: number;
}

/** A figure that failed a validity rule or is noisy: never hidden, always flagged with the reason. */
export interface Flag {
  /** What the flag is about, e.g. 'native@1e7' or 'load:sync/single/io'. */
  subject: string;
  /** 'noisy', 'invalid', 'skipped', 'unavailable', ... */
  kind: string;
  message: string;
}

/** Failed requests by kind: a load run's, a fault's (results/faults.ts), a second's of a timeline. */
export interface FailureCounts {
  total: number;
  byKind: {
    /** Connection refused, DNS, protocol and other errors that are neither timeouts nor resets. */
    errors: number;
    /** No complete response within the request timeout. */
    timeouts: number;
    /** A complete response with a status outside 2xx. */
    non2xx: number;
    /** The connection was reset or closed by the server before the response was complete. */
    resets: number;
  };
}
