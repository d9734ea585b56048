/**
 * A bench's rounds reduced to one line per target and mode: medians over the measured rounds
 * (a round spoilt by the machine moves a median least), the spread of requests per second, the
 * ratios to nginx at the same worker count, and flags where the number should not be trusted as
 * the target's own:
 *
 *   generator   the generator's event loop was busy >= GENERATOR_LIMIT of the time (median round):
 *               it, not the target, may have been the limit
 *   closed      kept-alive connections were closed by the server during the runs
 *   errors      requests without a complete response, or non-2xx answers
 *   busy        other programs used >= FOREIGN_LIMIT cores during the median round
 *   time        a round hit its time bound before its requests were done
 *   behind      (open loop) the target answered less than BEHIND_LIMIT of the offered rate: its
 *               latency holds the backlog
 * Pure: rounds in, summary out.
 */
import type { Round, MemoryReading } from './measure.js';
import type { Mode } from './options.js';

export const GENERATOR_LIMIT = 0.9;
export const FOREIGN_LIMIT = 0.25;

/** lbtest's goals against nginx, one worker each, keep-alive on both sides. */
export const GOALS = { minThroughputRatio: 0.6, maxP99Ratio: 1.5, maxRssBytes: 150 * 2 ** 20 } as const;

export type Flag = 'generator' | 'closed' | 'errors' | 'busy' | 'time' | 'behind';

/** An open-loop target that answered less than this share of the offered rate fell behind. */
export const BEHIND_LIMIT = 0.97;

export interface TargetSummary {
  readonly target: string;
  readonly mode: Mode;
  readonly rounds: number;
  readonly requestsPerSecond: number;
  /** (max - min) / median of requests per second over the rounds. */
  readonly spread: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly serverClosed: number;
  /** Median CPU in cores: the target's processes, the backends, the generator, other programs. */
  readonly targetCores: number | null;
  readonly backendCores: number;
  readonly generatorCores: number;
  readonly foreignCores: number;
  /** Target CPU per request in µs (median round), when readable. */
  readonly cpuUsPerRequest: number | null;
  /** Connections the backends accepted per 1,000 requests. */
  readonly backendConnectsPer1k: number;
  readonly vsNginx: { readonly throughput: number; readonly p99: number } | null;
  readonly flags: readonly Flag[];
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function nginxOf(target: string): string {
  const w = / w\d+$/.exec(target);
  return w === null ? 'nginx' : `nginx${w[0]}`;
}

function summarizeGroup(rs: readonly Round[]): Omit<TargetSummary, 'vsNginx'> {
  const rps = rs.map((r) => r.requestsPerSecond);
  const med = median(rps);
  const mid = [...rs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[rs.length >> 1]!;
  const sum = (f: (r: Round) => number): number => rs.reduce((a, r) => a + f(r), 0);
  const targetCores = rs.every((r) => r.targetCores !== null) ? median(rs.map((r) => r.targetCores!)) : null;
  const flags: Flag[] = [];
  if (median(rs.map((r) => r.generatorLoop)) >= GENERATOR_LIMIT) flags.push('generator');
  if (sum((r) => r.serverClosed) > 0) flags.push('closed');
  if (sum((r) => r.errors + r.non2xx) > 0) flags.push('errors');
  if (median(rs.map((r) => r.foreignCores)) >= FOREIGN_LIMIT) flags.push('busy');
  if (rs.some((r) => r.stoppedBy === 'time')) flags.push('time');
  const offered = rs[0]!.offeredRate ?? null;
  if (offered !== null && med < BEHIND_LIMIT * offered) flags.push('behind');
  const responses = sum((r) => r.responses);
  return {
    target: rs[0]!.target, mode: rs[0]!.mode, rounds: rs.length,
    requestsPerSecond: med, spread: med === 0 ? 0 : (Math.max(...rps) - Math.min(...rps)) / med,
    p50Us: median(rs.map((r) => r.latency.p50Us)), p90Us: median(rs.map((r) => r.latency.p90Us)),
    p99Us: median(rs.map((r) => r.latency.p99Us)), p999Us: median(rs.map((r) => r.latency.p999Us)),
    errors: sum((r) => r.errors), non2xx: sum((r) => r.non2xx), serverClosed: sum((r) => r.serverClosed),
    targetCores, backendCores: median(rs.map((r) => r.backendCores)), generatorCores: median(rs.map((r) => r.generatorCores)),
    foreignCores: median(rs.map((r) => r.foreignCores)),
    cpuUsPerRequest: mid.targetCores === null || mid.requestsPerSecond === 0 ? null : (mid.targetCores / mid.requestsPerSecond) * 1e6,
    backendConnectsPer1k: responses === 0 ? 0 : (sum((r) => r.backendConnects) / responses) * 1000,
    flags,
  };
}

/** One summary per (mode, target), in the order the targets first appear. */
export function summarize(rounds: readonly Round[]): TargetSummary[] {
  const groups = new Map<string, Round[]>();
  for (const r of rounds) {
    const key = `${r.mode}\u0000${r.target}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [r]); else g.push(r);
  }
  const base = [...groups.values()].map(summarizeGroup);
  return base.map((s) => {
    const n = base.find((b) => b.mode === s.mode && b.target === nginxOf(s.target));
    const vsNginx = n === undefined || n.requestsPerSecond === 0 || n.p99Us === 0 ? null
      : { throughput: s.requestsPerSecond / n.requestsPerSecond, p99: s.p99Us / n.p99Us };
    return { ...s, vsNginx };
  });
}

export interface Verdict { readonly goal: string; readonly value: string; readonly ok: boolean }

/** The goals, where the bench measured what they need. */
export function verdicts(summaries: readonly TargetSummary[], memory: readonly MemoryReading[]): Verdict[] {
  const out: Verdict[] = [];
  const lb = summaries.find((s) => s.target === 'lbtest' && s.mode === 'keepalive');
  if (lb?.vsNginx != null) {
    out.push({ goal: `lbtest req/s >= ${GOALS.minThroughputRatio * 100}% of nginx's (keep-alive)`, value: `${(lb.vsNginx.throughput * 100).toFixed(0)}%`, ok: lb.vsNginx.throughput >= GOALS.minThroughputRatio });
    out.push({ goal: `lbtest p99 <= ${GOALS.maxP99Ratio}x nginx's (keep-alive)`, value: `${lb.vsNginx.p99.toFixed(2)}x`, ok: lb.vsNginx.p99 <= GOALS.maxP99Ratio });
    out.push({ goal: 'lbtest: no errors', value: `${lb.errors + lb.non2xx}`, ok: lb.errors + lb.non2xx === 0 });
  }
  const atRate = summaries.find((s) => s.target === 'lbtest' && s.mode === 'rate');
  if (atRate?.vsNginx != null) {
    out.push({ goal: `lbtest p99 <= ${GOALS.maxP99Ratio}x nginx's (keep-alive, same offered rate)`, value: `${atRate.vsNginx.p99.toFixed(2)}x`, ok: atRate.vsNginx.p99 <= GOALS.maxP99Ratio && !atRate.flags.includes('behind') });
  }
  const mem = memory.find((m) => m.target === 'lbtest');
  if (mem !== undefined && mem.heldRssBytes !== null) {
    out.push({ goal: `lbtest RSS < ${GOALS.maxRssBytes / 2 ** 20} MB holding ${mem.connections} connections`, value: `${(mem.heldRssBytes / 2 ** 20).toFixed(1)} MB (${mem.held} held)`, ok: mem.heldRssBytes < GOALS.maxRssBytes && mem.held === mem.connections });
  }
  const w1 = summaries.find((s) => s.target === 'lbtest' && s.mode === 'keepalive');
  const w2 = summaries.find((s) => s.target === 'lbtest w2' && s.mode === 'keepalive');
  if (w1 !== undefined && w2 !== undefined) {
    out.push({ goal: 'lbtest worker_processes 2 faster than 1', value: `${(w2.requestsPerSecond / w1.requestsPerSecond).toFixed(2)}x`, ok: w2.requestsPerSecond > w1.requestsPerSecond });
  }
  return out;
}
