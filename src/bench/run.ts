/**
 * `lbtest bench` from start to end: the backends (one host process, recording off), the
 * generator (its own process), every target started once from the same configuration; then,
 * per mode, warm-up rounds that count for nothing and measured rounds in alternating order
 * (round r starts with the r-th target, so that drift on the machine spreads over all of them);
 * then the memory reading with N idle connections; then everything stopped.
 * Targets that cannot run here (nginx or HAProxy absent, no HAProxy equivalent) are skipped
 * with a note, never installed. Bounded: rounds × targets jobs, each bounded in requests and time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startBackendHost, behaviours, type BackendHost } from '../backends/index.js';
import { loadConfig } from '../config/load.js';
import { findNginxBinary } from '../targets/target.js';
import { Generator } from './generator/process.js';
import type { LoadJob } from './generator/load.js';
import { configuredWorkers, defaultConfig, backendNames, placeConfig, placeholderBackends } from './config.js';
import { findHaproxy, haproxyConfig } from './haproxy.js';
import { measureMemory, measureRound, type MemoryReading, type Round } from './measure.js';
import type { BenchOptions, Mode } from './options.js';
import { balancerTarget, baselineTarget, directTarget, freePort, haproxyTarget, targetId, type BenchTarget } from './targets.js';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly nginx: string | null;
  readonly haproxy: string | null;
  readonly loadAverage1m: number;
}

export interface BenchRun {
  readonly options: BenchOptions;
  readonly machine: Machine;
  readonly configText: string;
  readonly rounds: readonly Round[];
  readonly memory: readonly MemoryReading[];
  /** Targets that did not run, and why. */
  readonly skipped: readonly Skip[];
  readonly startedAt: string;
}

export interface Progress { (line: string): void }
export interface Skip { readonly target: string; readonly reason: string }

async function versionOf(binary: string | null): Promise<string | null> {
  if (binary === null) return null;
  const { execa } = await import('execa');
  const r = await execa(binary, ['-v'], { reject: false, timeout: 5000 });
  const text = `${r.stdout}\n${r.stderr}`;
  return /(nginx\/[\d.]+|HAProxy version [\w.-]+)/.exec(text)?.[1] ?? text.trim().split('\n')[0] ?? null;
}

function jobFor(o: BenchOptions, mode: Mode, ports: readonly number[], warm: boolean): LoadJob {
  const perRound = mode !== 'close' ? o.requests : Math.max(100, Math.round(o.requests / 5));
  return {
    kind: 'load', generator: o.generator, ports, connections: o.connections, keepAlive: mode !== 'close',
    requests: warm ? Math.max(100, Math.round(perRound / 2)) : perRound, maxDurationMs: o.roundMs, path: o.path,
    ...(mode === 'rate' && o.rate !== null ? { rate: o.rate } : {}),
  };
}

/** The model of the placed configuration, for HAProxy's translation. */
async function modelOf(text: string): Promise<Awaited<ReturnType<typeof loadConfig>>['config']> {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-bench-conf-'));
  try {
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'nginx.conf'), text);
    return (await loadConfig(join(dir, 'nginx.conf'), { prefix: dir })).config;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startTargets(o: BenchOptions, cwd: string, text: string, backends: ReadonlyMap<string, number>, skipped: Skip[], say: Progress): Promise<BenchTarget[]> {
  const out: BenchTarget[] = [];
  const nginx = o.nginxPath ?? findNginxBinary();
  const haproxy = o.haproxyPath ?? findHaproxy();
  if (o.targets.includes('direct')) out.push(directTarget([...backends.values()]));
  const configured = configuredWorkers(text);
  for (const w of o.workers ?? [configured ?? 1]) {
    // as configured unless --workers says otherwise; unset is 1, as in nginx
    const workers = o.workers !== null || configured === null ? w : null;
    for (const kind of o.targets) {
      if (kind === 'direct') continue;
      const id = targetId(kind, w);
      const port = await freePort();
      const placed = placeConfig(text, { listenPort: port, backends, workers });
      if (kind === 'nginx' && nginx === null) { skipped.push({ target: id, reason: 'nginx is not installed (looked on PATH and in /usr/sbin)' }); continue; }
      if (kind === 'haproxy') {
        if (haproxy === null) { skipped.push({ target: id, reason: 'HAProxy is not installed (looked on PATH and in /usr/sbin); lbtest does not install it' }); continue; }
        const cfg = haproxyConfig(await modelOf(placed), port, w);
        if (typeof cfg !== 'string') { skipped.push({ target: id, reason: `no HAProxy equivalent: ${cfg.skip}` }); continue; }
        say(`starting ${id} on 127.0.0.1:${port}`);
        out.push(await haproxyTarget(haproxy, cfg, port, w));
        continue;
      }
      say(`starting ${id} on 127.0.0.1:${port}`);
      out.push(await balancerTarget(kind, placed, port, w, kind === 'nginx' ? nginx! : undefined));
      if (kind === 'lbtest' && o.baseline !== null) {
        const bport = await freePort();
        say(`starting lbtest@${o.baseline.name} (${o.baseline.dir}) on 127.0.0.1:${bport}`);
        out.push(await baselineTarget(resolve(cwd, o.baseline.dir), o.baseline.name, placeConfig(text, { listenPort: bport, backends, workers }), bport, w));
      }
    }
  }
  return out;
}

export async function runBench(o: BenchOptions, cwd: string, say: Progress): Promise<BenchRun> {
  const startedAt = new Date().toISOString();
  const text = o.configFile === null ? defaultConfig(o.backends) : readFileSync(resolve(cwd, o.configFile), 'utf8');
  const names = o.configFile === null ? backendNames(o.backends) : placeholderBackends(text);
  const nginx = o.nginxPath ?? findNginxBinary();
  const haproxy = o.haproxyPath ?? findHaproxy();
  const machine: Machine = {
    cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', node: process.version,
    nginx: await versionOf(nginx), haproxy: await versionOf(haproxy), loadAverage1m: loadavg()[0] ?? 0,
  };
  const skipped: Skip[] = [];
  const rounds: Round[] = [];
  const memory: MemoryReading[] = [];
  let host: BackendHost | null = null;
  let gen: Generator | null = null;
  const targets: BenchTarget[] = [];
  try {
    host = await startBackendHost({ record: false });
    const backends = new Map<string, number>();
    for (const n of names) backends.set(n, (await host.define({ name: n, port: 0, behaviour: behaviours.ok() })).port);
    gen = await Generator.start();
    targets.push(...await startTargets(o, cwd, text, backends, skipped, say));
    for (const mode of o.modes) {
      for (let w = 0; w < o.warmupRounds; w++) {
        for (const t of targets) {
          say(`warm-up ${w + 1}/${o.warmupRounds}, ${mode}: ${t.id}`);
          await gen.load(jobFor(o, mode, t.ports, true));
        }
      }
      for (let r = 0; r < o.rounds; r++) {
        for (let i = 0; i < targets.length; i++) {
          const t = targets[(i + r) % targets.length]!;
          const gone = t.exited();
          if (gone !== null) throw new Error(gone);
          const round = await measureRound(gen, host, t, jobFor(o, mode, t.ports, false), mode, r + 1);
          rounds.push(round);
          say(`round ${r + 1}/${o.rounds}, ${mode}: ${t.id.padEnd(10)} ${Math.round(round.requestsPerSecond).toLocaleString('en-US').padStart(7)} req/s, p99 ${round.latency.p99Us} µs`);
        }
      }
    }
    if (o.hold > 0) {
      for (const t of targets) {
        if (t.kind === 'direct') continue;
        const m = await measureMemory(gen, t, o.hold, o.path, o.roundMs);
        memory.push(m);
        say(`memory: ${t.id} holding ${m.held} connections: ${m.heldRssBytes === null ? 'n/a' : `${(m.heldRssBytes / 2 ** 20).toFixed(1)} MB`}`);
      }
    }
  } finally {
    for (const t of targets) await t.stop().catch(() => undefined);
    await gen?.close();
    await host?.stop();
  }
  return { options: o, machine, configText: text, rounds, memory, skipped, startedAt };
}
