// The dependency rules CI enforces (.dependency-cruiser.cjs) hold on the project, and break when they should:
// a deliberate cycle, src/load importing benchmarks/, results importing a suite, a renderer importing a suite.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs') as IConfiguration;
const root = join(import.meta.dirname, '..');

async function violations(cwd: string): Promise<string[]> {
  const here = process.cwd();
  process.chdir(cwd);
  try {
    const result = await cruise(['src', 'benchmarks'], {
      ...config.options,
      validate: true,
      ruleSet: { forbidden: config.forbidden ?? [] },
      tsConfig: undefined,
      tsPreCompilationDeps: true,
    } as never);
    const output = result.output as ICruiseResult;
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  } finally {
    process.chdir(here);
  }
}

describe('architecture rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servebench-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  it('hold on the project itself', async () => {
    expect(await violations(root)).toEqual([]);
  }, 120_000);

  it('fail on a cycle, on src/load importing benchmarks/, on results or a renderer importing a suite', async () => {
    file('src/errors.ts', 'export const e = 1;\n');
    file('src/serving/a.ts', "import { b } from './b.js';\nexport const a = b;\n");
    file('src/serving/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    file('benchmarks/scenarios/index.ts', 'export const defs = {};\n');
    file('src/load/suite.ts', "import { defs } from '../../benchmarks/scenarios/index.js';\nexport const s = defs;\n");
    file('src/results/load.ts', "import { s } from '../load/suite.js';\nexport const r = s;\n");
    file('src/report/load.ts', "import { s } from '../load/suite.js';\nexport const t = s;\n");
    const found = await violations(dir);
    expect(found).toContain('no-cycles: src/serving/a.ts -> src/serving/b.ts');
    expect(found).toContain('benchmarks-are-built-on-src: src/load/suite.ts -> benchmarks/scenarios/index.ts');
    expect(found).toContain('results-stay-at-the-bottom: src/results/load.ts -> src/load/suite.ts');
    expect(found).toContain('renderers-only-render: src/report/load.ts -> src/load/suite.ts');
  }, 120_000);
});
