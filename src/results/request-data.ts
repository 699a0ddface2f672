// Result types of a --target run's own request data (owned by src/load/request-data.ts): where the bodies and
// headers came from, as a load or profile results file echoes them.

/** The request data of a --target run (or of your own server under the profiler), as the options gave it. */
export interface RequestDataEcho {
  /** Distinct bodies sent. */
  bodies: number;
  /** --bodies FILE.ndjson (one body a line), and --body @FILE files. */
  files: string[];
  /** In turn (the order given), or at random (seeded). */
  order: 'turn' | 'random';
  /** --header @FILE files. */
  headerFiles: string[];
}
