// Which TCP ports a process (or its descendants) listens on, from Linux's /proc: the socket inodes among its
// open files (/proc/<pid>/fd -> 'socket:[inode]') matched with the LISTEN rows of /proc/<pid>/net/tcp and
// tcp6. Also the port a server prints when it starts ('listening on http://localhost:3000'). Used to wait
// for a user's own server started from a command (`profile -- node app.js`, `load --target URL -- ...`).

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { descendantsOf } from './proc.js';

export interface ListeningSocket {
  pid: number;
  port: number;
}

/** st = 0A in /proc/net/tcp: TCP_LISTEN. */
const TCP_LISTEN = '0A';

/** Socket inodes a process has open (empty when it is gone, or not ours to read). */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m !== null) out.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** Listening sockets in a /proc/net/tcp(6) table: inode -> port. */
export function parseListenTable(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    if (f.length < 10 || f[3] !== TCP_LISTEN) continue;
    const port = Number.parseInt(f[1]!.split(':')[1] ?? '', 16);
    if (Number.isInteger(port) && port > 0) out.set(f[9]!, port);
  }
  return out;
}

function listenTable(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of ['tcp', 'tcp6']) {
    try {
      for (const [inode, port] of parseListenTable(readFileSync(`/proc/${pid}/net/${file}`, 'utf8'))) out.set(inode, port);
    } catch {
      // no IPv6, or the process is gone
    }
  }
  return out;
}

/** The ports a process and its descendants listen on, in the order the processes are found (the process first). */
export function listeningSockets(rootPid: number): ListeningSocket[] {
  const pids = [rootPid, ...descendantsOf([rootPid]).map((d) => d.pid)];
  const out: ListeningSocket[] = [];
  const table = listenTable(rootPid);
  for (const pid of pids) {
    for (const inode of socketInodes(pid)) {
      const port = table.get(inode) ?? listenTable(pid).get(inode);
      if (port !== undefined && !out.some((s) => s.port === port)) out.push({ pid, port });
    }
  }
  return out;
}

/** The port a server says it listens on in a line it prints, e.g. 'listening on http://127.0.0.1:3000' or 'port 8080'. */
export function portInLine(line: string): number | undefined {
  const m = /https?:\/\/[^\s/:]+:(\d{2,5})\b/.exec(line) ?? /\b(?:port|listening on|listening at)\D{0,12}?(\d{2,5})\b/i.exec(line);
  const port = m === null ? Number.NaN : Number(m[1]);
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}
