// What every section's comparer is given besides the two suites' data.

import type { CompareOptions, NotComparableReason } from './types.js';

export interface SectionContext {
  options: CompareOptions;
  /** The host-change reason when the hosts differ (then on every figure), else empty. */
  hostReasons: { kind: NotComparableReason; message: string }[];
}
