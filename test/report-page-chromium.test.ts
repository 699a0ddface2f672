// A run folder's results.html as a reader opens it, in headless Chromium (Debian's chromium driven by
// playwright-core): built by the main job's own writer from a saved run, with the profile's artefacts inside
// the run folder. The page never scrolls sideways (wide tables scroll inside their box), every link resolves
// (an anchor of the page, or a file of the run folder), and the console shows no error.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../src/report/run-report.js';
import { renderRunFiles } from '../src/run/bench-files.js';
import { needTool } from './needs-tool.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let runDir = '';
let browserProfile = '';
beforeAll(async () => {
  const results = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'bench-full-results.json'), 'utf8')) as BenchResults;
  runDir = mkdtempSync(join(tmpdir(), 'servebench-page-'));
  browserProfile = mkdtempSync(join(tmpdir(), 'servebench-page-chromium-'));
  // The profile's artefacts where the main job puts them: <run folder>/profile/ (empty files are enough).
  const profile = results.data.sections.profile;
  if (profile !== undefined) {
    profile.outDir = join(runDir, 'profile');
    for (const c of profile.cases) {
      if (c.state !== 'completed') continue;
      for (const a of c.artefacts) {
        mkdirSync(dirname(join(profile.outDir, a.path)), { recursive: true });
        writeFileSync(join(profile.outDir, a.path), '');
      }
    }
  }
  writeFileSync(join(runDir, 'results.json'), JSON.stringify(results));
  await renderRunFiles(results, runDir);
}, 60_000);
afterAll(() => {
  for (const d of [runDir, browserProfile]) if (d !== '') rmSync(d, { recursive: true, force: true });
});

describe('results.html of a run folder', () => {
  it('puts the answers first and the environment last, with a table of contents', () => {
    const md = readFileSync(join(runDir, 'results.md'), 'utf8');
    const at = (s: string) => md.indexOf(s);
    expect(at('**Contents**')).toBeGreaterThan(0);
    expect(at('## Summary of answers')).toBeLessThan(at('## Load: request paths and topologies'));
    expect(at('## Environment and hardware')).toBeGreaterThan(at('## Kernels: the mean over n values'));
    expect(md).not.toMatch(/\bseed \d{3}\b|\bissue \d+\b/i);
    expect(md).toMatch(/\[profile\/\]\(profile\/\)/);
  });

  it('fits the page, every link resolves, and the console shows no error', async (ctx) => {
    needTool(ctx, 'chromium', existsSync(CHROMIUM), 'Debian: apt-get install chromium');
    const context = await chromium.launchPersistentContext(browserProfile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const url = pathToFileURL(join(runDir, 'results.html')).href;
      for (const width of [1280, 800]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(url, { waitUntil: 'load' });
        await page.locator('details').evaluateAll((ds) => {
          for (const d of ds) d.setAttribute('open', '');
        });
        const overflow = await page.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
        expect(overflow, `page wider than the ${width} px window`).toBeLessThanOrEqual(0);
      }
      const links = await page
        .locator('a[href]')
        .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href') ?? '', abs: (a as unknown as { href: string }).href })));
      expect(links.length).toBeGreaterThan(10);
      const broken: string[] = [];
      for (const l of links) {
        if (l.href.startsWith('#')) {
          const id = decodeURIComponent(l.href.slice(1));
          if ((await page.locator(`[id="${id}"]`).count()) === 0) broken.push(l.href);
        } else if (!l.abs.startsWith('file:') || !existsSync(fileURLToPath(l.abs.split('#')[0]!))) broken.push(l.href);
      }
      expect(broken).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
