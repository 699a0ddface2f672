// The hooks every suite runner takes beside its options: an abort signal (stop after the current step and
// return what finished), partial data after every step (what an interrupt saves), and the supervisor of
// the child processes it starts. src/run passes them; library users may too.

import type { Supervisor } from './processes/index.js';

export interface SuiteHooks<D> {
  /** Called after every step with the data so far (e.g. to write partial results on interrupt). */
  onUpdate?: (data: D) => void;
  /** Stops the run after the current step; the data says interrupted. */
  signal?: AbortSignal;
  /** The supervisor to start processes with. @default the process-wide one */
  supervisor?: Supervisor;
}
