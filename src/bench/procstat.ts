/**
 * CPU and memory of the processes a bench round involves, read from /proc (Linux), and the
 * machine's CPU from os.cpus(): with them a round says who used the cores — the balancer, the
 * backends, the generator, or something else on the machine (another program's load spoils a
 * measurement, and is flagged rather than hidden).
 *
 *   process CPU  utime + stime of /proc/PID/stat, in clock ticks (USER_HZ, 100 on Linux)
 *   tree         PID and its descendants (nginx's workers, lbtest's cluster workers)
 *   RSS          VmRSS of /proc/PID/status, summed over the tree
 * Elsewhere than Linux every reading is null and the report says "n/a".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** USER_HZ: Linux reports process times in 1/100 s whatever the kernel's HZ. */
const TICKS_PER_SECOND = 100;

function readStat(pid: number): { ppid: number; ticks: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // comm may hold spaces and parentheses: fields start after the last ')'
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

/** `pid` and every process below it, now. */
export function processTree(pid: number): number[] {
  let entries: string[];
  try { entries = readdirSync('/proc'); } catch { return []; }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    const p = Number(e);
    if (!Number.isInteger(p) || p <= 0) continue;
    const s = readStat(p);
    if (s === null) continue;
    const list = children.get(s.ppid);
    if (list === undefined) children.set(s.ppid, [p]); else list.push(p);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && out.length < 10_000) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** CPU seconds used so far by these processes (those that exist); null off Linux. */
export function cpuSeconds(pids: readonly number[]): number | null {
  let ticks = 0, any = false;
  for (const p of pids) {
    const s = readStat(p);
    if (s === null) continue;
    ticks += s.ticks;
    any = true;
  }
  return any ? ticks / TICKS_PER_SECOND : null;
}

/** Resident memory of these processes, summed, in bytes; null off Linux. */
export function rssBytes(pids: readonly number[]): number | null {
  let kb = 0, any = false;
  for (const p of pids) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p}/status`, 'latin1'));
      if (m === null) continue;
      kb += Number(m[1]);
      any = true;
    } catch { /* gone */ }
  }
  return any ? kb * 1024 : null;
}

/** Busy and total CPU time of the machine so far, in seconds, over every core. */
export function machineSeconds(): { busy: number; total: number } {
  let busy = 0, total = 0;
  for (const c of cpus()) {
    const t = c.times;
    const b = t.user + t.nice + t.sys + t.irq;
    busy += b;
    total += b + t.idle;
  }
  return { busy: busy / 1000, total: total / 1000 };
}
