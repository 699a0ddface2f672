// A test that needs an outside tool (chromium, perf, kubectl, redis-server...): where the tool is missing it
// is skipped on a developer's machine, but under CI=true it FAILS, naming the tool and how to install it,
// so a CI run can never pass by skipping what it was meant to check.

/**
 * Call first in a test body: returns when the tool is there; skips the test when it is not (outside CI);
 * throws naming the tool under CI=true.
 */
export function needTool(ctx: { skip: (note?: string) => void }, tool: string, available: boolean, install: string): void {
  if (available) return;
  if (process.env.CI === 'true') throw new Error(`${tool} is required by this test under CI=true but is missing (${install})`);
  ctx.skip(`${tool} is missing (${install})`);
}
