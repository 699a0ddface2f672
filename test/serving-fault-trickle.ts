// Shared by the serving-restart-* and serving-faults-* tests: a steady trickle of /score requests while a
// fault happens (one at a time, a short pause between), recording each answer's status and error code, and
// the lifecycle events a system reports.
import { sleep, waitUntil } from '../src/processes/index.js';
import type { ErrorResponse } from '../src/results/serving.js';
import type { RunningSystem, ServiceEvent } from '../src/serving/types.js';

export interface Answer {
  /** Epoch ms when it was sent. */
  at: number;
  /** 0: no answer (the connection failed). */
  status: number;
  code?: string;
}

/** Requests one after another until stopped; `stop()` resolves with every answer. */
export function trickle(url: string, entity = 'e3', gapMs = 40): { answers: Answer[]; stop(): Promise<Answer[]> } {
  const answers: Answer[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      try {
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entity }) });
        const body = (await r.json()) as Partial<ErrorResponse>;
        answers.push({ at, status: r.status, ...(body.error === undefined ? {} : { code: body.error.code }) });
      } catch {
        answers.push({ at, status: 0 });
      }
      await sleep(gapMs);
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await loop;
      return answers;
    },
  };
}

/** Wait until `n` answers in a row (after `since`) are 200s. */
export async function recovered(answers: Answer[], since: number, n = 3, timeoutMs = 30_000): Promise<void> {
  await waitUntil(
    () => {
      const after = answers.filter((a) => a.at > since);
      return after.length >= n && after.slice(-n).every((a) => a.status === 200);
    },
    timeoutMs,
    `${n} answers in a row of 200`,
  );
}

/** Collect a system's lifecycle events. */
export function recordEvents(sys: RunningSystem): ServiceEvent[] {
  const events: ServiceEvent[] = [];
  sys.onEvent((e) => events.push(e));
  return events;
}

/** Wait for an event matching `match`, and return it. */
export async function eventOf(events: ServiceEvent[], match: (e: ServiceEvent) => boolean, timeoutMs = 30_000): Promise<ServiceEvent> {
  await waitUntil(() => events.some(match), timeoutMs, 'a lifecycle event');
  return events.find(match)!;
}

/** GET /health: its status and its dependencies. */
export async function health(baseUrl: string): Promise<{ status: number; dependencies: Record<string, string> }> {
  const r = await fetch(`${baseUrl}/health`);
  const body = (await r.json()) as { dependencies?: Record<string, string> };
  return { status: r.status, dependencies: body.dependencies ?? {} };
}
