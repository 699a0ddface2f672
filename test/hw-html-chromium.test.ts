// The HTML hardware report renders as a readable page in headless Chromium (Debian's chromium driven by
// playwright-core): the expected headings and tables are there, unknown facts read "unknown", nothing is
// fetched from outside the page, and a screenshot is a non-empty PNG.

import { mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureEnv, runHardwareSuite } from '../src/env/index.js';
import type { BandwidthProbe } from '../src/env/memory-bandwidth.js';
import { setQuiet } from '../src/progress.js';
import { renderHardwareHtml } from '../src/report/hardware/render.js';
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

const probe: BandwidthProbe = ({ n, threads = 1, repeats = 3 }) => {
  const samples = Array.from({ length: repeats }, (_, i) => 20 + i);
  return { n, threads, gbPerSec: 21, samplesGbPerSec: samples };
};

let html = '';
let profile = '';
beforeAll(async () => {
  setQuiet(true);
  const env = await captureEnv({ noiseWindowMs: 20, warn: false });
  const data = await runHardwareSuite({ env, probe, noiseWindowMs: 20, bandwidthRepeats: 3, largeBytes: 64 * 1024 ** 2 });
  html = renderHardwareHtml({ env, data, servebench: { version: 'test' } });
  profile = mkdtempSync(join(tmpdir(), 'servebench-chromium-'));
});
afterAll(() => {
  if (profile !== '') rmSync(profile, { recursive: true, force: true });
});

describe('hardware.html', () => {
  it('is self-contained: no external scripts, styles, images or fonts', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=/i);
  });

  it('renders in headless Chromium with the expected headings and tables', async (ctx) => {
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

      expect(await page.title()).toMatch(/^Hardware report: /);
      expect(await page.locator('h1').innerText()).toMatch(/^Hardware report: /);
      const headings = await page.locator('h2').allInnerTexts();
      for (const h of [
        'Summary',
        'CPU',
        'Caches',
        'Memory',
        'Limits (cgroup)',
        'Storage',
        'Network',
        'Runtime',
        'Native addon',
        'Tools',
        'Measured: clocks',
        'Measured: memory-read bandwidth',
        'Noise check',
        'Unknown facts',
      ]) {
        expect(headings).toContain(h);
      }
      // the CPU table has its model row; the bandwidth table holds the four probe cases
      const cpuRows = await page.locator('#cpu table tbody tr').allInnerTexts();
      expect(cpuRows.some((r) => r.startsWith('Model'))).toBe(true);
      expect(await page.locator('#bandwidth table tbody tr').count()).toBe(4);
      expect(await page.locator('#tools table tbody tr').count()).toBe(7);
      // the page is laid out (not blank) and the tables are visible
      const box = await page.locator('#cpu table').boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(100);
      const shot = await page.screenshot({ fullPage: true });
      expect(shot.length).toBeGreaterThan(10_000);
      expect(shot.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(outside).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
