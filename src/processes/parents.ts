// Noticing that whoever started servebench is gone. A closed terminal sends SIGHUP, but a wrapper that dies
// does not tell its child: `npx servebench ...` runs servebench under `sh -c` under `npm exec`, and a SIGTERM
// to npm ends npm alone (npm does not pass it on), leaving sh and servebench running with every server it
// started. So servebench watches its parent and, through any shell or npm wrapper above it, the process
// that ran the wrapper: when one of them ends (or servebench is re-parented), it shuts down as on SIGHUP.

import { readFileSync } from 'node:fs';

const POLL_MS = 500;
/** A wrapper between servebench and the process the user ran: a shell running one command, or npm/npx. */
const WRAPPER = /^(?:\S*\/)?(?:sh|bash|dash|zsh)\s+-c\b|(?:^|\/)(?:npm|npx)(?:\s|$)|npm-cli\.js|npx-cli\.js|^npm exec\b/;

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** The processes to watch: the parent, and the parent of each wrapper above it (at most three levels). */
function watchedAncestors(start: number = process.ppid): number[] {
  const chain = [start];
  let pid = start;
  for (let level = 0; level < 3 && pid > 1 && WRAPPER.test(commandLine(pid)); level++) {
    const up = parentOf(pid);
    if (up === undefined || up <= 1) break;
    chain.push(up);
    pid = up;
  }
  return chain;
}

function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Poll the watched ancestors (an unref'd timer: it never keeps servebench alive); call `gone` once. */
export function watchParents(gone: () => void): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  const watched = watchedAncestors(parent);
  const timer = setInterval(() => {
    if (process.ppid === parent && watched.every(exists)) return;
    clearInterval(timer);
    gone();
  }, POLL_MS);
  timer.unref();
}
