// The listeners a running system offers (metrics, notices, lifecycle events): every service and worker it
// starts reports into one SystemEvents, and the running handle hands its onMetrics/onNotice/onEvent to callers.

import type { ProcessMetrics } from '../results/serving.js';
import type { ServiceEvent, SystemNotice } from './types.js';

/** Call each listener; a listener's failure is its own business, the others still hear. */
function tell<T>(listeners: Set<(x: T) => void>, x: T): void {
  for (const l of listeners) {
    try {
      l(x);
    } catch {
      // ignored: see above
    }
  }
}

export class SystemEvents {
  private readonly metrics = new Set<(m: ProcessMetrics) => void>();
  private readonly notices = new Set<(n: SystemNotice) => void>();
  private readonly lifecycle = new Set<(e: ServiceEvent) => void>();

  onMetrics(listener: (m: ProcessMetrics) => void): () => void {
    this.metrics.add(listener);
    return () => this.metrics.delete(listener);
  }

  onNotice(listener: (n: SystemNotice) => void): () => void {
    this.notices.add(listener);
    return () => this.notices.delete(listener);
  }

  onEvent(listener: (e: ServiceEvent) => void): () => void {
    this.lifecycle.add(listener);
    return () => this.lifecycle.delete(listener);
  }

  emitMetrics(m: ProcessMetrics): void {
    tell(this.metrics, m);
  }

  emitNotice(n: SystemNotice): void {
    for (const l of this.notices) l(n);
  }

  emitEvent(e: ServiceEvent): void {
    tell(this.lifecycle, e);
  }
}
