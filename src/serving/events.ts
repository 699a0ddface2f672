// The listeners a running system offers (metrics, notices): every service and worker it starts reports
// into one SystemEvents, and the running handle hands its onMetrics/onNotice to callers.

import type { ProcessMetrics } from '../results/serving.js';
import type { SystemNotice } from './types.js';

export class SystemEvents {
  private readonly metrics = new Set<(m: ProcessMetrics) => void>();
  private readonly notices = new Set<(n: SystemNotice) => void>();

  onMetrics(listener: (m: ProcessMetrics) => void): () => void {
    this.metrics.add(listener);
    return () => this.metrics.delete(listener);
  }

  onNotice(listener: (n: SystemNotice) => void): () => void {
    this.notices.add(listener);
    return () => this.notices.delete(listener);
  }

  emitMetrics(m: ProcessMetrics): void {
    for (const l of this.metrics) {
      try {
        l(m);
      } catch {
        // a listener's failure is its own business; metrics keep flowing to the others
      }
    }
  }

  emitNotice(n: SystemNotice): void {
    for (const l of this.notices) l(n);
  }
}
