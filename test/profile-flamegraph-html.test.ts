// The flame graphs servebench draws (for --cpu-prof and perf data) are one self-contained HTML file: inline
// SVG and script, no external resources, every frame named (escaped) with its share in its tooltip.
import { describe, expect, it } from 'vitest';
import { renderFlameGraphHtml } from '../src/profile/flamegraph.js';
import type { StackProfile } from '../src/profile/stacks.js';
import { summarize } from '../src/profile/summary.js';

const profile: StackProfile = {
  unit: 'samples',
  window: 'load',
  blockedDetection: 'source-line',
  stacks: [
    {
      frames: [
        { name: 'handler', location: '/srv/app.js:3', group: 'app' },
        { name: '(blocked) Atomics.wait', location: '/srv/app.js:4', group: 'blocked' },
      ],
      weight: 75,
    },
    {
      frames: [
        { name: 'handler', location: '/srv/app.js:3', group: 'app' },
        { name: 'a<b>&"c"', location: '', group: 'v8' },
      ],
      weight: 20,
    },
    { frames: [{ name: '(idle)', location: '', group: 'idle' }], weight: 5 },
  ],
};

describe('flame graph HTML', () => {
  it('is self-contained and names every frame with its share', () => {
    const summary = summarize(profile, { source: 'v8-cpuprofile', process: 'scoring pid 1', pids: [1] });
    const html = renderFlameGraphHtml(profile, { title: 'cpuprof · sync path', subtitle: ['load: 8 connections'], summary });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // No network: no external script, stylesheet, image or font (the SVG namespace is a name, not a fetch).
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).toContain('(blocked) Atomics.wait (/srv/app.js:4)');
    expect(html).toContain('75 samples, 75% of all');
    expect(html).toContain('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(html).not.toContain('a<b>');
    // legend with the group shares from the summary
    expect(html).toMatch(/blocked waiting 75%/);
    expect((html.match(/<g class="f"/g) ?? []).length).toBe(4);
  });
});
