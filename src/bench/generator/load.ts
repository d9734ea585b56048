/**
 * What the bench asks of its load generator and what comes back: one job is one bounded run of
 * closed-loop HTTP/1.1 traffic (every connection sends its next request when the previous answer
 * is complete), or a hold of many idle kept-alive connections for a memory reading.
 * The generator runs in its own process (main.ts), so its CPU is its own and can be watched.
 *
 * Latency is measured per response in microseconds, from the moment the request was written (for
 * a new connection per request: from connect()) to the last byte of the response.
 * Must not: hold anything unbounded; every array here is sized by the job's request bound.
 */

export type GeneratorKind = 'lbtest' | 'autocannon';

/** The argument the bench starts the generator's process with (generator/main.ts). */
export const GENERATOR_FLAG = '--lbtest-generator';

export interface LoadJob {
  readonly kind: 'load';
  readonly generator: GeneratorKind;
  /** 127.0.0.1 ports; connection i goes to ports[i % ports.length]. */
  readonly ports: readonly number[];
  readonly connections: number;
  /** true: kept-alive connections; false: a new connection per request, `Connection: close`. */
  readonly keepAlive: boolean;
  readonly requests: number;
  readonly maxDurationMs: number;
  readonly path: string;
  /**
   * Requests per second offered over all connections (open loop, keep-alive only; lbtest's own
   * client): each connection sends on its own schedule, and a request the server held up (its
   * connection was still waiting for the previous answer when it fell due) is timed from when it
   * fell due, not from when it could be sent. Absent: closed loop.
   */
  readonly rate?: number;
}

export interface HoldJob {
  readonly kind: 'hold';
  readonly port: number;
  /** Connections to open, each answering one request, then held idle until `release`. */
  readonly connections: number;
  readonly maxDurationMs: number;
  readonly path: string;
}

export type Job = LoadJob | HoldJob;

export interface LatencySummary {
  readonly count: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
}

export interface LoadResult {
  readonly kind: 'load';
  /** Complete responses (any status). */
  readonly responses: number;
  readonly non2xx: number;
  /** Requests that got no complete response: reset, refused, closed mid-response, timed out. */
  readonly errors: number;
  /** Kept-alive connections the server closed (or announced `Connection: close` on) mid-run. */
  readonly serverClosed: number;
  /** Connections opened, the first ones included. */
  readonly connects: number;
  readonly elapsedMs: number;
  readonly latency: LatencySummary;
  /** The generator's own CPU over the run, in cores (user + system / wall time). */
  readonly cpuCores: number;
  /** Its event loop's utilisation over the run (0..1): near 1, the generator was the limit. */
  readonly loopUtilization: number;
  /** How the run ended: every request done, or the time bound. */
  readonly stoppedBy: 'requests' | 'time';
}

export interface HoldResult {
  readonly kind: 'hold';
  /** Connections open and answered when the reading is due. */
  readonly held: number;
  readonly errors: number;
}

/** Percentiles by nearest rank over `n` latencies in ms (sorted in place); reported in µs. */
export function summarize(latMs: Float64Array, n: number): LatencySummary {
  if (n === 0) return { count: 0, meanUs: 0, p50Us: 0, p90Us: 0, p99Us: 0, p999Us: 0, maxUs: 0 };
  const xs = latMs.subarray(0, n).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i]!;
  const at = (q: number): number => Math.round(xs[Math.min(n - 1, Math.ceil(q * n) - 1)]! * 1000);
  return { count: n, meanUs: Math.round((sum / n) * 1000), p50Us: at(0.5), p90Us: at(0.9), p99Us: at(0.99), p999Us: at(0.999), maxUs: Math.round(xs[n - 1]! * 1000) };
}
