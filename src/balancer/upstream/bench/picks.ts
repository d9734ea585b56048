/**
 * Picks per second for every balancing method with 2, 10, 100 and 1,000 servers, and proof that
 * a pick allocates nothing: each measured pick is one whole request cycle on a reused
 * UpstreamRequest (start -> pick -> responded(200) -> finish), and the heap is compared before
 * and after a million of them, with GC events counted.
 *
 *   npm run build && node --expose-gc dist/balancer/upstream/bench/picks.js [--picks N]
 *
 * Must not: be imported; it is a measurement script that prints a table.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { BalanceMethod } from '../../../config/model.js';
import type { Clock, RandomSource } from '../../../core/clock.js';
import { FakeClock, seededRandom, systemClock } from '../../../core/clock.js';
import { createBalancer } from '../balancer.js';
import { DEFAULT_RETRY_POLICY } from '../next-upstream.js';
import type { RequestInfo } from '../upstream-request.js';
import { CHASH, HASH, IP_HASH, LEAST_CONN, RANDOM, RANDOM_TWO, RR, upstream } from '../testing.js';

const METHODS: [string, BalanceMethod][] = [
  ['round_robin', RR], ['least_conn', LEAST_CONN], ['ip_hash', IP_HASH], ['hash', HASH],
  ['hash consistent', CHASH], ['random', RANDOM], ['random two', RANDOM_TWO],
];
const SIZES = [2, 10, 100, 1000];
const WARMUP = 50_000;
const argIndex = process.argv.indexOf('--picks');
const PICKS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 1_000_000;

/** 1,024 distinct requests, built before measuring so the loop itself creates nothing. */
const INFOS: RequestInfo[] = Array.from({ length: 1024 }, (_, i) => ({
  method: 'GET', clientAddress: `10.${i >> 8}.${i & 0xff}.7`, hashKey: `/item/${i}?v=${i * 7919}`,
}));

/**
 * mulberry32 as core's seededRandom, with its state in a Uint32Array: core's closure variable
 * holds a number above 2^30, which V8 boxes on every call, so it would hide the pick's own zero.
 * Both are measured for random and random two; likewise FakeClock vs systemClock (Date.now()
 * returns a freshly boxed number).
 */
function unboxedRandom(seed: number): RandomSource {
  const state = new Uint32Array([seed]);
  return {
    next(): number {
      const a = (state[0] = (state[0]! + 0x6d2b79f5) >>> 0);
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    },
  };
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;
/** GC start times, to count only the collections that ran inside a measured loop. */
const gcTimes: number[] = [];
const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcTimes.push(e.startTime); });
observer.observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
/** Bytes in V8's young generation, where every short-lived JS object is born. */
const youngBytes = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
/** What one youngBytes() call itself leaves in the young generation (subtracted from every delta). */
const PROBE_BYTES = Math.min(...Array.from({ length: 5 }, () => { const a = youngBytes(); return youngBytes() - a; }));

function servers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `10.1.${i >> 8}.${i & 0xff}:8080 weight=${1 + (i % 3)}`);
}

interface Row {
  method: string; servers: number; setupMs: number; runs: number; picksPerSec: number; nsPerPick: number; heapDelta: number; gcs: number;
}

async function measure(
  name: string, method: BalanceMethod, n: number, random: RandomSource, clock: Clock = new FakeClock(),
): Promise<Row> {
  const t0 = performance.now();
  const balancer = createBalancer(upstream('bench', method, servers(n)), { clock, random });
  const setupMs = performance.now() - t0;
  const req = balancer.request();
  const cycle = (count: number): number => {
    let answered = 0;
    for (let i = 0; i < count; i++) {
      req.start(DEFAULT_RETRY_POLICY, INFOS[i & 1023]!);
      if (req.pick() !== null) answered++;
      req.responded(200);
      req.finish();
    }
    return answered;
  };
  cycle(WARMUP);
  let run: Omit<Row, 'method' | 'servers' | 'setupMs' | 'runs'> | null = null;
  let runs = 0;
  while (runs < MAX_RUNS && (run === null || !clean(run))) {
    runs++;
    gc?.();
    await settle();
    const youngBefore = youngBytes();
    const start = performance.now();
    const answered = cycle(PICKS);
    const end = performance.now();
    const heapDelta = youngBytes() - youngBefore - PROBE_BYTES;
    await settle();
    if (answered !== PICKS) throw new Error(`${name}/${n}: ${PICKS - answered} picks found no peer`);
    const ms = end - start;
    const gcs = gcTimes.filter((at) => at >= start && at <= end).length;
    run = { picksPerSec: PICKS / (ms / 1000), nsPerPick: (ms * 1e6) / PICKS, heapDelta, gcs };
  }
  return { method: name, servers: n, setupMs, runs, ...run! };
}

/** A run with no GC and (almost) no young-generation growth; JIT work can spoil one, so up to MAX_RUNS. */
const MAX_RUNS = 3;
const clean = (r: { heapDelta: number; gcs: number }): boolean => r.gcs === 0 && r.heapDelta / PICKS < 0.1;

function table(rows: Row[]): string {
  const head = ['method', 'servers', 'setup ms', 'picks/s', 'ns/pick', 'x vs 2', 'young-gen delta B', 'B/pick', 'GCs', 'runs'];
  const base = new Map(rows.filter((r) => r.servers === 2).map((r) => [r.method, r.nsPerPick]));
  const body = rows.map((r) => [
    r.method, String(r.servers), r.setupMs.toFixed(1), Math.round(r.picksPerSec).toLocaleString('en-US'),
    r.nsPerPick.toFixed(0), base.has(r.method) ? (r.nsPerPick / base.get(r.method)!).toFixed(1) : '-', String(r.heapDelta),
    (r.heapDelta / PICKS).toFixed(3), String(r.gcs), String(r.runs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

if (gc === undefined) console.warn('run with node --expose-gc for a clean heap baseline');
console.log(`${PICKS.toLocaleString('en-US')} picks per cell (each: start, pick, responded 200, finish on one reused request), ` +
  `node ${process.version}; young-gen deltas exclude the ${PROBE_BYTES} B the measurement itself allocates`);
const rows: Row[] = [];
for (const [name, method] of METHODS) for (const n of SIZES) rows.push(await measure(name, method, n, unboxedRandom(1)));
console.log(table(rows));
const allocating = rows.filter((r) => !clean(r));
console.log(allocating.length === 0
  ? 'no pick allocated: no GC ran inside any measured loop, and the young generation grew by < 0.1 byte per pick'
  : `allocating cells: ${allocating.map((r) => `${r.method}/${r.servers}`).join(', ')}`);
const core: Row[] = [];
for (const [name, method] of METHODS.filter(([, m]) => m.kind === 'random')) {
  core.push(await measure(`${name} (core seededRandom)`, method, 100, seededRandom(1)));
}
core.push(await measure('round_robin (systemClock)', RR, 100, unboxedRandom(1), systemClock));
observer.disconnect();
console.log('\nthe same with core\'s seededRandom or systemClock injected: what they allocate is theirs ' +
  `(a boxed number per next() / Date.now() call), not the pick's:\n${table(core)}`);
