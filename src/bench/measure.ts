/**
 * One measured round: a load job against one target, with readings of everything that shares
 * the machine taken just before and just after — the target's processes, the backend host, the
 * generator (its own reading), the whole machine — so that the round says where the CPU went
 * and whether something outside the bench took part of it (`foreignCores`).
 * Also the memory reading: a target's resident memory idle and while holding N connections.
 */
import type { BackendHost } from '../backends/index.js';
import type { Generator } from './generator/process.js';
import type { LatencySummary, LoadJob } from './generator/load.js';
import { cpuSeconds, machineSeconds, rssBytes } from './procstat.js';
import type { BenchTarget } from './targets.js';
import type { Mode } from './options.js';

export interface Round {
  readonly target: string;
  readonly mode: Mode;
  readonly round: number;
  /** The offered rate of an open-loop round; null: closed loop. */
  readonly offeredRate: number | null;
  readonly requestsPerSecond: number;
  readonly responses: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly serverClosed: number;
  readonly connects: number;
  readonly elapsedMs: number;
  readonly latency: LatencySummary;
  readonly stoppedBy: 'requests' | 'time';
  /** CPU used over the round, in cores (CPU seconds / wall seconds). */
  readonly generatorCores: number;
  readonly generatorLoop: number;
  readonly targetCores: number | null;
  readonly backendCores: number;
  readonly machineBusyCores: number;
  /** Busy CPU nobody in the bench accounts for: other programs. */
  readonly foreignCores: number;
  /** Connections the backends accepted during the round (upstream keep-alive at work: few). */
  readonly backendConnects: number;
  readonly backendRequests: number;
}

interface HostReading { cpuS: number; connects: number; requests: number }

async function readHost(host: BackendHost): Promise<HostReading> {
  const s = await host.stats();
  let connects = 0, requests = 0;
  for (const b of s.backends) { connects += b.connectionsOpened; requests += b.requests; }
  return { cpuS: (s.cpuUserUs + s.cpuSystemUs) / 1e6, connects, requests };
}

export async function measureRound(gen: Generator, host: BackendHost, target: BenchTarget, job: LoadJob, mode: Mode, round: number): Promise<Round> {
  const pids = target.pids();
  const h0 = await readHost(host);
  const t0 = cpuSeconds(pids);
  const m0 = machineSeconds();
  const r = await gen.load(job);
  const m1 = machineSeconds();
  const t1 = cpuSeconds(target.pids());
  const h1 = await readHost(host);
  const wallS = r.elapsedMs / 1000;
  const targetCores = t0 === null || t1 === null ? null : (t1 - t0) / wallS;
  const backendCores = (h1.cpuS - h0.cpuS) / wallS;
  const machineBusyCores = (m1.busy - m0.busy) / wallS;
  const foreign = machineBusyCores - r.cpuCores - backendCores - (targetCores ?? 0);
  return {
    target: target.id, mode, round, offeredRate: job.rate ?? null,
    requestsPerSecond: r.responses / wallS, responses: r.responses, errors: r.errors, non2xx: r.non2xx,
    serverClosed: r.serverClosed, connects: r.connects, elapsedMs: r.elapsedMs, latency: r.latency, stoppedBy: r.stoppedBy,
    generatorCores: r.cpuCores, generatorLoop: r.loopUtilization, targetCores, backendCores, machineBusyCores,
    foreignCores: Math.max(0, foreign),
    backendConnects: h1.connects - h0.connects, backendRequests: h1.requests - h0.requests,
  };
}

export interface MemoryReading {
  readonly target: string;
  readonly connections: number;
  /** Connections open and answered when the reading was taken. */
  readonly held: number;
  readonly idleRssBytes: number | null;
  readonly heldRssBytes: number | null;
}

export async function measureMemory(gen: Generator, target: BenchTarget, connections: number, path: string, maxMs: number): Promise<MemoryReading> {
  const idle = rssBytes(target.pids());
  const h = await gen.hold({ kind: 'hold', port: target.ports[0]!, connections, maxDurationMs: maxMs, path });
  const held = rssBytes(target.pids());
  await gen.release();
  return { target: target.id, connections, held: h.held, idleRssBytes: idle, heldRssBytes: held };
}
