// The open-file budget: read from /proc/self/limits; a need within the soft limit changes nothing; an
// impossible need fails with a message that names the limit and why.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureFdLimit, fdsNeeded, FD_HEADROOM } from '../src/load/fd-limit.js';
import { readOpenFileLimit } from '../src/load/proc.js';

describe('open-file limit', () => {
  it('reads the soft and hard limits', () => {
    const l = readOpenFileLimit();
    expect(l).toBeDefined();
    expect(l!.soft === 'unlimited' || l!.soft > 0).toBe(true);
  });

  it('needs one descriptor per connection plus headroom', () => expect(fdsNeeded(10_000)).toBe(10_000 + FD_HEADROOM));

  it('leaves a sufficient limit alone', async () => {
    const r = await ensureFdLimit(64);
    expect(r.raised).toBe(false);
    expect(r.note).toMatch(/already allows/);
  });

  it('explains clearly when the limit cannot be raised far enough', async () => {
    const nrOpen = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
    await expect(ensureFdLimit(nrOpen + 10)).rejects.toThrow(/open files.*limit is .*could not be raised.*nr_open/s);
  });
});
