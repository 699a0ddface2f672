// Where the environment capture reads the host from: files below a root ('/' by default, a fake tree in
// tests), short one-shot commands, systeminformation and node:os. Injecting these makes every fact testable
// against a fake /proc and /sys, and lets a test check that missing facts are marked unknown.

import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync, readdirSync, realpathSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type * as SystemInformation from 'systeminformation';
import { errorMessage } from '../errors.js';

/** The parts of systeminformation the capture uses. */
export type SystemInfoApi = Pick<typeof SystemInformation, 'cpu' | 'system' | 'osInfo' | 'memLayout' | 'diskLayout' | 'graphics'>;

type CommandResult = { ok: true; output: string } | { ok: false; reason: string };

/** What node:os says (injectable so a test can present a host with no CPUs listed). */
export interface OsFacts {
  cpus(): os.CpuInfo[];
  availableParallelism(): number;
  totalmem(): number;
  freemem(): number;
  loadavg(): number[];
  hostname(): string;
  release(): string;
  uptime(): number;
  networkInterfaces(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

export interface HostSources {
  /** The root the /proc, /sys and /etc paths are read below ('/' on a real host). */
  readonly root: string;
  /** Text of a file below the root, or undefined when it is missing or unreadable. */
  readText(path: string): string | undefined;
  /** Entries of a folder below the root, or undefined when it is missing. */
  list(path: string): string[] | undefined;
  exists(path: string): boolean;
  /** Real path below the root (symlinks resolved), relative to the root; undefined when missing. */
  realpath(path: string): string | undefined;
  /** Size and free space of the filesystem holding an absolute path (not rooted: the working folder is real). */
  statfs(path: string): { sizeBytes: number; availableBytes: number } | undefined;
  /** Run a short one-shot command (a version query); stdout and stderr together. */
  run(command: string, args: string[], timeoutMs: number): Promise<CommandResult>;
  /** Absolute path of a command on PATH, or undefined. */
  which(command: string): string | undefined;
  /** systeminformation, or null to do without it. */
  si(): Promise<SystemInfoApi | null>;
  readonly os: OsFacts;
}

export interface HostSourcesOptions {
  /** Read /proc, /sys, /etc below this folder instead of '/'. @default '/' */
  root?: string;
  /** Use systeminformation. @default true when root is '/' */
  systeminformation?: boolean;
  /** Allow running commands (tool versions, systemd-detect-virt). @default true when root is '/' */
  commands?: boolean;
  /** Replace node:os facts. @default node:os */
  os?: Partial<OsFacts>;
}

let siModule: Promise<SystemInfoApi | null> | undefined;

function loadSystemInformation(): Promise<SystemInfoApi | null> {
  siModule ??= import('systeminformation').then(
    (m) => (m as unknown as { default: SystemInfoApi }).default ?? (m as unknown as SystemInfoApi),
    () => null,
  );
  return siModule;
}

/** The real host ('/'), or a fake tree for tests. */
export function createHostSources(options: HostSourcesOptions = {}): HostSources {
  const root = options.root ?? '/';
  const real = root === '/';
  const useSi = options.systeminformation ?? real;
  const useCommands = options.commands ?? real;
  const at = (p: string) => (real ? p : join(root, p));
  let rootReal: string | undefined;
  const osFacts: OsFacts = {
    cpus: () => os.cpus(),
    availableParallelism: () => os.availableParallelism(),
    totalmem: () => os.totalmem(),
    freemem: () => os.freemem(),
    loadavg: () => os.loadavg(),
    hostname: () => os.hostname(),
    release: () => os.release(),
    uptime: () => os.uptime(),
    networkInterfaces: () => os.networkInterfaces(),
    ...options.os,
  };
  return {
    root,
    os: osFacts,
    readText(path) {
      try {
        return readFileSync(at(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    list(path) {
      try {
        return readdirSync(at(path));
      } catch {
        return undefined;
      }
    },
    exists(path) {
      try {
        accessSync(at(path), constants.F_OK);
        return true;
      } catch {
        return false;
      }
    },
    realpath(path) {
      try {
        const r = realpathSync(at(path));
        if (real) return r;
        // links in a fake tree point inside it: strip the (resolved) root to get the host-side path
        rootReal ??= realpathSync(root);
        return r.startsWith(rootReal) ? r.slice(rootReal.length) || '/' : undefined;
      } catch {
        return undefined;
      }
    },
    statfs(path) {
      try {
        const s = statfsSync(path);
        return { sizeBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
      } catch {
        return undefined;
      }
    },
    run(command, args, timeoutMs) {
      if (!useCommands) return Promise.resolve({ ok: false, reason: 'commands disabled for this capture' });
      return runCommand(command, args, timeoutMs);
    },
    which(command) {
      if (!useCommands) return undefined;
      return which(command);
    },
    si: () => (useSi ? loadSystemInformation() : Promise.resolve(null)),
  };
}

/** Find an executable on PATH (no shell). */
function which(command: string): string | undefined {
  if (isAbsolute(command)) return isExecutable(command) ? command : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, command);
    if (isExecutable(p)) return p;
  }
  // Debian puts nginx and friends in sbin, which a non-login PATH may lack.
  for (const dir of ['/usr/sbin', '/sbin', '/usr/local/sbin']) {
    const p = join(dir, command);
    if (isExecutable(p)) return p;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A short one-shot command with a timeout (never a long-lived child: those belong to the supervisor). */
function runCommand(command: string, args: string[], timeoutMs: number): Promise<CommandResult> {
  const path = which(command);
  if (path === undefined) return Promise.resolve({ ok: false, reason: `${command} not found on PATH` });
  return new Promise((resolve) => {
    execFile(path, args, { timeout: timeoutMs, maxBuffer: 1 << 20, env: { ...process.env, LC_ALL: 'C' }, windowsHide: true }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (err !== null) {
        const killed = (err as { killed?: boolean }).killed === true;
        // Some tools print their version and still exit non-zero; keep the output when there is some.
        if (!killed && output.trim() !== '') resolve({ ok: true, output });
        else resolve({ ok: false, reason: killed ? `${command} timed out after ${timeoutMs} ms` : `${command} failed: ${errorMessage(err)}` });
        return;
      }
      resolve({ ok: true, output });
    });
  });
}
