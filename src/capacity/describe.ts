// One-line descriptions of the server check's answers, shared by its progress lines and the renderers (kept
// apart from server-check.ts so the renderers do not load the serving system).

import type { ServerCheckPoint } from '../results/capacity.js';

/** A point's answers in one line: '4 x 500 internal', or '200 then 500 internal' for a sequence. */
export function describeResponses(p: ServerCheckPoint): string {
  if (p.sequence !== undefined) {
    return p.responses
      .map((r) => (r.status === null ? `no answer (${r.code ?? 'error'})` : `${r.status}${r.status >= 400 && r.code !== undefined ? ` ${r.code}` : ''}`))
      .join(' then ');
  }
  const byKind = new Map<string, number>();
  for (const r of p.responses) {
    const key = r.status === null ? `no answer (${r.code ?? 'error'})` : r.status < 400 ? String(r.status) : `${r.status} ${r.code ?? ''}`.trim();
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  return [...byKind].map(([k, v]) => `${v}x ${k}`).join(', ');
}
