// A test that needs an outside tool (chromium, perf, kubectl, redis-server...): where the tool is missing it
// is skipped on a developer's machine, but under CI=true it FAILS, naming the tool and how to install it,
// so a CI run can never pass by skipping what it was meant to check.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether a command answers (e.g. `kubectl version --client`). */
export function commandWorks(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, [...args], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

export const hasFile = (path: string): boolean => existsSync(path);

/**
 * Call first in a test body: returns when the tool is there; skips the test when it is not (outside CI);
 * throws naming the tool under CI=true.
 */
export function needTool(ctx: { skip: (note?: string) => void }, tool: string, available: boolean, install: string): void {
  if (available) return;
  if (process.env.CI === 'true') throw new Error(`${tool} is required by this test under CI=true but is missing (${install})`);
  ctx.skip(`${tool} is missing (${install})`);
}
