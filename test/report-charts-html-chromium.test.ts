// The run report's HTML with its charts renders in headless Chromium (Debian's chromium driven by
// playwright-core): every chart is an inline SVG laid out at a readable size under its section's heading,
// and nothing is fetched from outside the page.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BenchResults, renderBenchHtmlWithCharts } from '../src/report/run-report.js';
import { needTool } from './needs-tool.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let html = '';
let profile = '';
beforeAll(async () => {
  const results = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'bench-full-results.json'), 'utf8')) as BenchResults;
  html = await renderBenchHtmlWithCharts(results);
  profile = mkdtempSync(join(tmpdir(), 'servebench-charts-chromium-'));
});
afterAll(() => {
  if (profile !== '') rmSync(profile, { recursive: true, force: true });
});

describe('results.html with charts', () => {
  it('is self-contained: inline SVG, no scripts, links to assets or fonts', () => {
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
    // Links only within the page (its table of contents and the answers' details): no file, no URL.
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.charAt(0))).toEqual(expect.arrayContaining(['#']));
    expect(html).not.toMatch(/href="[^#]/);
  });

  it('shows every chart at a readable size under its section heading', async (ctx) => {
    needTool(ctx, 'chromium', existsSync(CHROMIUM), 'Debian: apt-get install chromium');
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const outside: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && !r.url().startsWith('about:')) outside.push(r.url());
      });
      await page.setViewportSize({ width: 1200, height: 900 });
      await page.setContent(html, { waitUntil: 'load' });

      const figures = page.locator('figure.chart');
      expect(await figures.count()).toBe(6);
      const expected: Record<string, string> = {
        'chart-kernels': 'Kernels: the mean over n values',
        'chart-capacity': 'Capacity: the n at which memory runs out',
        'chart-load-ramp': 'Load: request paths and topologies',
        'chart-request-paths': 'Load: request paths and topologies',
        'chart-autoscale': 'Experiments: Redis queue and autoscaling',
        'chart-profile': 'Profiles: where the time goes',
      };
      for (const f of await figures.all()) {
        const id = (await f.getAttribute('id'))!;
        const svg = f.locator('svg');
        await expect(svg.isVisible()).resolves.toBe(true);
        const box = (await svg.boundingBox())!;
        expect(box.width).toBeGreaterThan(500);
        expect(box.height).toBeGreaterThan(150);
        // the nearest h2 before the figure is its section's
        const heading = await f.evaluate((el) => {
          let p = el.previousElementSibling;
          while (p !== null && p.tagName !== 'H2') p = p.previousElementSibling;
          return p?.textContent ?? '';
        });
        expect(heading).toBe(expected[id]);
        // text is laid out: the axis titles have a size
        const textBox = await svg.locator('text').first().boundingBox();
        expect(textBox!.width).toBeGreaterThan(0);
      }
      // no chart is wider than the page's column (they scale down with it)
      const widest = await page.locator('figure.chart svg').evaluateAll((svgs) => Math.max(...svgs.map((s) => s.getBoundingClientRect().width)));
      expect(widest).toBeLessThanOrEqual(1100);
      const shot = await page.locator('#chart-load-ramp').screenshot();
      expect(shot.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(shot.length).toBeGreaterThan(10_000);
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
