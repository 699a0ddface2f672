// The project a run measured: the working folder and its git commit, so a kept run says what it measured
// (`servebench runs` lists it; `compare` shows it). Unknown (null) outside a git checkout or without git.

import { execFileSync } from 'node:child_process';
import type { ProjectInfo } from '../results/env.js';

function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function captureProject(cwd: string): ProjectInfo {
  const commit = git(cwd, ['rev-parse', 'HEAD']);
  if (commit === null || !/^[0-9a-f]{40}$/.test(commit)) return { cwd, gitCommit: null, gitDirty: null };
  const status = git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  return { cwd, gitCommit: commit, gitDirty: status === null ? null : status !== '' };
}
