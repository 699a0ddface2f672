// What is installed: each profiler asked for, found or not, with its version (perf: also whether it may run
// here and whether hardware counters work), as the results record it.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ProfileToolInfo, ProfileToolName } from '../../results/profile.js';
import { CLINIC_TOOLS } from './clinic.js';
import type { ToolPaths } from './types.js';

function run(command: string, args: string[], timeoutMs = 10_000): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      resolve({ ok: err === null, out: `${stdout}${stderr}`.trim() });
    });
  });
}

function packageVersion(file: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Versions and availability of the profilers asked for (perf: also whether hardware counters work). */
export async function toolInfo(tools: readonly ProfileToolName[], paths: ToolPaths): Promise<ProfileToolInfo[]> {
  const out: ProfileToolInfo[] = [];
  const want = new Set(tools);
  if (want.has('0x')) {
    const v = packageVersion(join(dirname(paths.zeroX), 'package.json'));
    out.push(v === undefined ? { tool: '0x', available: false, note: `0x is not installed (${paths.zeroX})` } : { tool: '0x', available: true, version: v });
  }
  const clinicTools = CLINIC_TOOLS.filter((t) => want.has(t));
  if (clinicTools.length > 0) {
    const v = packageVersion(join(dirname(paths.clinic), 'package.json'));
    if (v === undefined) out.push({ tool: 'clinic', available: false, note: `clinic is not installed (${paths.clinic})` });
    else {
      const clinicRequire = createRequire(paths.clinic);
      const subs = clinicTools.map((t) => {
        const pkg = t === 'heap' ? '@clinic/heap-profiler' : `@clinic/${t}`;
        let sv: string | undefined;
        try {
          sv = packageVersion(clinicRequire.resolve(`${pkg}/package.json`));
        } catch {
          sv = undefined;
        }
        return `${pkg} ${sv ?? 'missing'}`;
      });
      out.push({ tool: 'clinic', available: true, version: v, note: subs.join(', ') });
    }
  }
  if (want.has('cpuprof')) out.push({ tool: 'cpuprof', available: true, version: `node ${process.versions.node} (V8 ${process.versions.v8})` });
  if (want.has('perf')) out.push(await perfInfo(paths.perf));
  return out;
}

/** Whether perf is installed and allowed here; hardware counters are often absent in VMs (then cpu-clock is sampled). */
export async function perfInfo(perfPath: string): Promise<ProfileToolInfo> {
  const v = await run(perfPath, ['--version']);
  if (!v.ok) return { tool: 'perf', available: false, note: `perf is not installed or cannot run (${perfPath}): ${v.out || 'not found'}` };
  const stat = await run(perfPath, ['stat', '-e', 'instructions', 'true']);
  const version = v.out.replace(/^perf version\s*/, '');
  if (!stat.ok) return { tool: 'perf', available: false, version, note: `perf stat is not permitted here: ${stat.out.split('\n').slice(0, 3).join(' ')}` };
  if (/not supported|<not counted>/.test(stat.out)) {
    return {
      tool: 'perf',
      available: true,
      version,
      note: 'no hardware counters here (perf stat -e instructions: not supported); perf record samples the cpu-clock software event',
    };
  }
  return { tool: 'perf', available: true, version, note: 'hardware counters available' };
}
