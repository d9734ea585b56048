/**
 * A phase's observations reduced to its report: requests, statuses and errors at the client,
 * per-backend counts (received at the backend, answered to the client), shares against the
 * expected ones, latency percentiles (µs) and a histogram, a per-interval timeline and the
 * verdicts with the place each expectation was written. Pure.
 */
import type { Phase, Suite } from '../suite/model.js';
import type { PhaseObservation } from '../verify/observations.js';
import { responseLatenciesUs } from '../verify/observations.js';
import type { PhaseVerdict } from '../verify/evaluate.js';
import { percentile } from '../verify/stats.js';
import { sharesByWeight } from '../verify/shares.js';
import type { BackendRow, EventRow, LatencyHistogram, PhaseReport, VerdictRow } from './report-model.js';

/**
 * Latency bucket bounds, µs: ten per decade, 10 µs to 100 s (10^(k/10), rounded: 10, 13, 16, 20,
 * 25, 32, 40, 50, 63, 79, 100, ...), so that a histogram drawn on a log axis has equal widths.
 */
export const HISTOGRAM_BOUNDS_US: readonly number[] = Array.from({ length: 71 }, (_, k) => Math.round(10 ** ((k + 10) / 10)));

/** The bucket of a latency: the first bound above it (binary search). */
function bucketOf(latencyUs: number): number {
  let lo = 0, hi = HISTOGRAM_BOUNDS_US.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (latencyUs < HISTOGRAM_BOUNDS_US[mid]!) hi = mid; else lo = mid + 1;
  }
  return lo;
}

function expectedShares(suite: Suite, phase: Phase): ReadonlyMap<string, number> | null {
  for (const e of phase.expect) {
    if (e.kind !== 'distribution') continue;
    if (e.shares.kind === 'by-weight') return sharesByWeight(e.shares.upstream, e.shares.gone).shares;
    const total = [...e.shares.weights.values()].reduce((a, b) => a + b, 0);
    return new Map([...e.shares.weights].map(([n, w]) => [n, total > 0 ? w / total : 0]));
  }
  void suite;
  return null;
}

const nullable = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function verdictRows(verdicts: readonly PhaseVerdict[]): VerdictRow[] {
  return verdicts.map((v) => ({
    name: v.name, passed: v.passed, expected: v.expected, observed: v.observed, explanation: v.explanation,
    numbers: v.numbers, warnings: v.warnings, path: v.path,
    at: `${v.location.file}:${v.location.line}${v.location.col === undefined ? '' : `:${v.location.col}`}`,
  }));
}

export function summarizePhase(suite: Suite, phase: Phase, obs: PhaseObservation, verdicts: readonly PhaseVerdict[], notes: readonly string[]): PhaseReport {
  const client = obs.client;
  const c = client.columns;
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const answered = new Map<string, number>();
  const answered5xx = new Map<string, number>();
  const perBackendLatency = new Map<string, number[]>();
  const names = [...new Set([...suite.backends.map((b) => b.name)])];
  const histogram = { counts: new Array<number>(HISTOGRAM_BOUNDS_US.length + 1).fill(0), byBackend: new Map<string, number[]>() };
  for (const name of names) histogram.byBackend.set(name, new Array<number>(HISTOGRAM_BOUNDS_US.length + 1).fill(0));
  let responses = 0;
  for (let i = 0; i < client.count; i++) {
    const err = client.error(i);
    if (err !== 'none') { errors[err] = (errors[err] ?? 0) + 1; continue; }
    responses++;
    statuses[String(c.status[i])] = (statuses[String(c.status[i])] ?? 0) + 1;
    const bucket = bucketOf(c.latencyUs[i]!);
    histogram.counts[bucket]!++;
    const b = client.backend(i);
    if (b !== '') {
      answered.set(b, (answered.get(b) ?? 0) + 1);
      if (c.status[i]! >= 500) answered5xx.set(b, (answered5xx.get(b) ?? 0) + 1);
      let list = perBackendLatency.get(b);
      if (list === undefined) perBackendLatency.set(b, (list = []));
      list.push(c.latencyUs[i]!);
      const row = histogram.byBackend.get(b);
      if (row !== undefined) row[bucket]!++;
    }
  }
  const expected = expectedShares(suite, phase);
  const received = obs.backends.total;
  const backends: BackendRow[] = names.map((name) => {
    const lat = Float64Array.from(perBackendLatency.get(name) ?? []).sort();
    const got = obs.backends.counts.get(name) ?? 0;
    return {
      name, received: got, answered: answered.get(name) ?? 0, share: received > 0 ? got / received : 0,
      expectedShare: expected === null ? null : expected.get(name) ?? 0,
      peakConcurrency: obs.backends.peakInflight.get(name) ?? 0,
      p50Us: nullable(percentile(lat, 50)), p99Us: nullable(percentile(lat, 99)),
      errors: Math.max(0, got - (answered.get(name) ?? 0)) + (answered5xx.get(name) ?? 0),
    };
  });
  const lat = responseLatenciesUs(client).sort();
  const durationMs = client.elapsedMs;
  return {
    index: phase.index, name: phase.name, skipped: null, requests: client.count, responses, errors, statuses,
    durationMs, ratePerSec: durationMs > 0 ? (client.count * 1000) / durationMs : 0,
    latency: {
      p50Us: nullable(percentile(lat, 50)), p90Us: nullable(percentile(lat, 90)), p99Us: nullable(percentile(lat, 99)),
      maxUs: lat.length > 0 ? lat[lat.length - 1]! : null, resolutionUs: client.meta.latencyResolutionUs,
    },
    backends,
    timeline: timeline(obs, names),
    histogram: { boundsUs: HISTOGRAM_BOUNDS_US, counts: histogram.counts, byBackend: Object.fromEntries(histogram.byBackend) } satisfies LatencyHistogram,
    events: obs.events.map((e): EventRow => ({
      action: e.action.kind, backend: 'backend' in e.action ? e.action.backend : null,
      atMs: Math.round((e.atUs - client.meta.startedUs) / 1000),
    })),
    verdicts: verdictRows(verdicts),
    notes: [...client.meta.notes, ...notes],
  };
}

/**
 * Requests each backend received per interval, from the start of the phase's traffic, and the
 * requests started in each interval that failed at the client (no response, or a 5xx); about 50
 * intervals.
 */
function timeline(obs: PhaseObservation, names: readonly string[]): PhaseReport['timeline'] {
  const start = obs.client.meta.startedUs;
  const spanUs = Math.max(1, obs.client.meta.endedUs - start);
  const intervalMs = Math.max(10, Math.ceil(spanUs / 1000 / 50 / 10) * 10);
  const slots = Math.max(1, Math.ceil(spanUs / 1000 / intervalMs));
  const series: Record<string, number[]> = {};
  for (const name of names) {
    const row = new Array<number>(slots).fill(0);
    for (const t of obs.backends.arrivalsUs.get(name) ?? []) {
      const k = Math.floor((t - start) / 1000 / intervalMs);
      if (k >= 0 && k < slots) row[k]!++;
    }
    series[name] = row;
  }
  const failures = new Array<number>(slots).fill(0);
  const c = obs.client.columns;
  for (let i = 0; i < obs.client.count; i++) {
    if (c.error[i] === 0 && c.status[i]! < 500) continue;
    const k = Math.floor((c.startUs[i]! - start) / 1000 / intervalMs);
    if (k >= 0 && k < slots) failures[k]!++;
  }
  return { intervalMs, series, failures };
}
