/**
 * Verdicts on counts and figures: which backends got requests (never, only, share — counted at
 * the backends), peak concurrency at a backend, and what the client saw (status codes, errors,
 * latency percentiles in µs, throughput).
 */
import type { Comparison, CountBound, StatusMatch } from '../suite/model.js';
import { percentile } from './stats.js';
import { counts, holds, opWords, pct, plural, us, verdict, type Verdict } from './verdict.js';

export function neverVerdict(backends: readonly string[], observed: ReadonlyMap<string, number>): Verdict {
  const hit = backends.filter((b) => (observed.get(b) ?? 0) > 0);
  const total = sumOf(observed);
  const got = new Map(backends.map((b) => [b, observed.get(b) ?? 0]));
  return verdict({
    name: `never ${backends.join(', ')}`, passed: hit.length === 0, expected: `${backends.join(', ')}: 0`, observed: counts(got, backends),
    numbers: { total, ...Object.fromEntries(backends.map((b) => [`observed.${b}`, got.get(b)!])) },
    explanation: hit.length === 0
      ? `None of ${total} requests reached ${backends.join(' or ')}.`
      : `${hit.map((b) => `${b} got ${plural(got.get(b)!, 'request')}`).join(' and ')} of ${total}; ${hit.length === 1 ? 'it' : 'they'} should get none.`,
  });
}

export function onlyVerdict(backends: readonly string[], observed: ReadonlyMap<string, number>): Verdict {
  const others = [...observed].filter(([b, n]) => n > 0 && !backends.includes(b));
  const total = sumOf(observed);
  const stray = others.reduce((s, [, n]) => s + n, 0);
  return verdict({
    name: `only ${backends.join(', ')}`, passed: others.length === 0 && total > 0, expected: `every request to ${backends.join(' or ')}`, observed: counts(observed),
    numbers: { total, elsewhere: stray },
    explanation: total === 0 ? 'No request reached any backend.'
      : others.length === 0 ? `All ${total} requests reached ${backends.join(' or ')}.`
        : `${others.map(([b, n]) => `${b} got ${plural(n, 'request')}`).join(', ')} of ${total}; only ${backends.join(', ')} should get any.`,
  });
}

export function shareVerdict(backend: string, bound: Comparison, observed: ReadonlyMap<string, number>): Verdict {
  const total = sumOf(observed);
  const n = observed.get(backend) ?? 0;
  const share = total === 0 ? NaN : n / total;
  const passed = total > 0 && holds(bound, share);
  return verdict({
    name: `share of ${backend}`, passed, expected: `${opWords(bound.op)} ${pct(bound.value)}`, observed: `${pct(share)} (${n} of ${total})`,
    numbers: { total, count: n, share },
    explanation: total === 0 ? 'No request reached any backend.'
      : `${backend} got ${pct(share)} of the requests (${n} of ${total}); expected ${opWords(bound.op)} ${pct(bound.value)}.`,
  });
}

export function maxConcurrencyVerdict(backend: string, max: number, peakInflight: number): Verdict {
  return verdict({
    name: `max concurrency at ${backend}`, passed: peakInflight <= max, expected: `at most ${max} at once`, observed: `${peakInflight} at once`,
    numbers: { peak: peakInflight, max },
    explanation: peakInflight <= max
      ? `At most ${plural(peakInflight, 'request')} ${peakInflight === 1 ? 'was' : 'were'} in progress at ${backend} at once (limit ${max}).`
      : `${plural(peakInflight, 'request')} were in progress at ${backend} at once; at most ${max} should be (max_conns, or the traffic's connections).`,
  });
}

/** Client-side outcomes: per row, its status (0: none) and whether it failed. */
export interface ClientOutcomes {
  readonly count: number;
  status(i: number): number;
  error(i: number): string;   // 'none' for a response
}

function statusMatches(m: StatusMatch, status: number): boolean {
  return m.kind === 'code' ? status === m.code : Math.floor(status / 100) === m.hundreds;
}

function boundWords(b: CountBound): string {
  return b.unit === 'share' ? `${opWords(b.op)} ${pct(b.value)}` : `${opWords(b.op)} ${b.value}`;
}

export function statusVerdict(m: StatusMatch, bound: CountBound, c: ClientOutcomes): Verdict {
  const label = m.kind === 'code' ? String(m.code) : `${m.hundreds}xx`;
  let n = 0;
  const seen = new Map<number, number>();
  for (let i = 0; i < c.count; i++) {
    const s = c.status(i);
    if (s !== 0) seen.set(s, (seen.get(s) ?? 0) + 1);
    if (statusMatches(m, s)) n++;
  }
  const value = bound.unit === 'share' ? (c.count === 0 ? NaN : n / c.count) : n;
  const passed = holds(bound, value);
  const all = counts(new Map([...seen].sort((a, b) => a[0] - b[0]).map(([s, k]) => [String(s), k])));
  return verdict({
    name: `status ${label}`, passed, expected: boundWords(bound), observed: `${n} of ${c.count} (${pct(n / Math.max(1, c.count))}); all: ${all}`,
    numbers: { count: n, requests: c.count },
    explanation: `${plural(n, 'response')} of ${c.count} had status ${label}; expected ${boundWords(bound)}${passed ? '.' : ` (statuses seen: ${all}).`}`,
  });
}

/** Requests that got no (complete) response; `of`: only those of one kind (truncated, reset …). */
export function errorsVerdict(bound: CountBound, c: ClientOutcomes, of: string | null = null): Verdict {
  const kinds = new Map<string, number>();
  for (let i = 0; i < c.count; i++) {
    const e = c.error(i);
    if (e !== 'none') kinds.set(e, (kinds.get(e) ?? 0) + 1);
  }
  const n = of === null ? sumOf(kinds) : kinds.get(of) ?? 0;
  const value = bound.unit === 'share' ? (c.count === 0 ? NaN : n / c.count) : n;
  const passed = holds(bound, value);
  const all = sumOf(kinds);
  const detail = all === 0 ? '' : ` (${[...kinds].map(([k, x]) => `${k} ${x}`).join(', ')})`;
  const what = of === null ? 'got no response' : `ended ${of === 'truncated' ? 'truncated' : `with ${of === 'other' ? 'another error' : of}`}`;
  return verdict({
    name: of === null ? 'errors' : `errors: ${of}`, passed, expected: boundWords(bound), observed: `${n} of ${c.count}${detail}`,
    numbers: { errors: n, requests: c.count, ...Object.fromEntries([...kinds].map(([k, x]) => [`errors.${k}`, x])) },
    explanation: `${plural(n, 'request')} of ${c.count} ${what}${of === null ? detail : all === n ? '' : `; all errors:${detail}`}; expected ${boundWords(bound)}.`,
  });
}

/**
 * Responses per backend as the client counted them (nginx-tests' many(): a response without the
 * backend header, such as the balancer's own 502, counts for no backend). A share is of the
 * phase's requests.
 */
export function answeredVerdict(bounds: ReadonlyMap<string, CountBound>, answers: ReadonlyMap<string, number>, requests: number): Verdict {
  const names = [...bounds.keys()];
  const wrong = names.filter((b) => {
    const bound = bounds.get(b)!;
    const n = answers.get(b) ?? 0;
    return !holds(bound, bound.unit === 'share' ? (requests === 0 ? NaN : n / requests) : n);
  });
  const observedMap = new Map([...names.map((b): [string, number] => [b, answers.get(b) ?? 0]), ...[...answers].filter(([b]) => !bounds.has(b))]);
  const expected = names.map((b) => `${b}: ${bounds.get(b)!.text}`).join(', ');
  return verdict({
    name: 'answered', passed: wrong.length === 0, expected, observed: counts(observedMap, names),
    numbers: { requests, ...Object.fromEntries(names.map((b) => [`observed.${b}`, answers.get(b) ?? 0])) },
    explanation: wrong.length === 0
      ? `Of ${plural(requests, 'request')}, the backends answered ${counts(observedMap, names)}, as expected.`
      : `${wrong.map((b) => `${b} answered ${plural(answers.get(b) ?? 0, 'request')}, expected ${boundWords(bounds.get(b)!)}`).join('; ')} (of ${requests}).`,
  });
}

/** Upstream connections that carried a backend's requests; a share is connections per request. */
export function connectionsVerdict(backend: string, bound: CountBound, connections: number, requests: number): Verdict {
  const value = bound.unit === 'share' ? (requests === 0 ? NaN : connections / requests) : connections;
  const passed = requests > 0 && holds(bound, value);
  return verdict({
    name: `connections to ${backend}`, passed, expected: boundWords(bound) + (bound.unit === 'share' ? ' of its requests' : ''),
    observed: `${plural(connections, 'connection')} for ${plural(requests, 'request')}`,
    numbers: { connections, requests },
    explanation: requests === 0 ? `No request reached ${backend}, so no connection to it can be counted.`
      : `${backend}'s ${plural(requests, 'request')} came over ${plural(connections, 'connection')} (${(requests / Math.max(1, connections)).toFixed(1)} per connection); expected ${boundWords(bound)}${bound.unit === 'share' ? ' of its requests' : ''}.`,
  });
}

/** Latencies of the requests that got a response, µs. */
export function latencyVerdict(p: number, limit: Comparison, latenciesUs: ArrayLike<number>, resolutionUs = 1): Verdict {
  const sorted = Float64Array.from(latenciesUs).sort();
  const label = p === 100 ? 'max' : `p${p}`;
  const value = percentile(sorted, p);
  const passed = sorted.length > 0 && holds(limit, value);
  const warnings = resolutionUs > 1 ? [`latency measured in steps of ${us(resolutionUs)}`] : [];
  return verdict({
    name: `${label} latency`, passed, expected: limit.text, observed: sorted.length === 0 ? 'no responses' : us(value),
    numbers: { latencyUs: value, limitUs: limit.value, responses: sorted.length },
    explanation: sorted.length === 0 ? 'No request got a response, so there is no latency to measure.'
      : `${label} latency was ${us(value)} over ${plural(sorted.length, 'response')}; expected ${opWords(limit.op)} ${us(limit.value)}.`,
    warnings,
  });
}

export function throughputVerdict(minPerSec: number, responses: number, elapsedMs: number): Verdict {
  const rate = elapsedMs > 0 ? responses / (elapsedMs / 1000) : 0;
  const passed = rate >= minPerSec;
  return verdict({
    name: 'throughput', passed, expected: `at least ${fmtRate(minPerSec)}`, observed: fmtRate(rate),
    numbers: { perSec: rate, minPerSec, responses, elapsedMs },
    explanation: `${fmtRate(rate)} (${plural(responses, 'response')} in ${us(elapsedMs * 1000)}); expected at least ${fmtRate(minPerSec)}.`,
  });
}

function fmtRate(perSec: number): string {
  return `${perSec >= 100 ? Math.round(perSec) : perSec.toFixed(1)} req/s`;
}

function sumOf(m: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const n of m.values()) s += n;
  return s;
}
