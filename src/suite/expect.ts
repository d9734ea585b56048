/**
 * `expect:` of a phase -> Expectations (model.ts). Forms:
 *
 *   distribution: by-weight                  # shares from the upstream: weights, down, backup
 *   distribution: { b: 1, c: 1 }             # stated weights
 *   distribution: { shares: by-weight | {…}, check: exact | tolerance, slack: 1, tolerance: 0.05, alpha: 0.001 }
 *   sequence: a a b a c a a                  # the answering backends, in order, repeating
 *   sticky: client | subnet | path | header X-Key     # or { by: path, since: PHASE, moved: "<= 0.4" }
 *   never: [c]            only: [a, b]
 *   share: { spare: ">= 0.99" }
 *   ejection: a | [a, b] | { a: { max_fails: 2, fail_timeout: 5s } }   # defaults: the server line's
 *   recovered: { a: within 3s }
 *   max_concurrency: { a: 10 }
 *   status: { 502: 0, 2xx: ">= 99%" }        errors: 0 | { truncated: "100%", reset: 0 }
 *   answered: { a: 6, b: 24 }                # responses per backend at the client (nginx-tests' many())
 *   connections: { a: "<= 2" }               # upstream connections that carried a's requests; % of its requests
 *   forwarded: X-Real-IP                     # each request reached its backend with its client's address in
 *                                            # this header (X-Forwarded-For: the last address)
 *   latency: { p50: "< 5ms", p99: "< 50ms", max: "< 1s" }
 *   throughput: ">= 500/s"
 *
 * by-weight shares and ejection defaults need the configuration: they are read here as drafts
 * (`pending`) and resolved by rules.ts once the configurations have loaded.
 */
import { atKey, atValue, readChoice, readDurationMs, readInt, subFields, type Field } from '../backends/spec/fields.js';
import { DISTRIBUTION_KEYS, EJECTION_KEYS, EXPECT_KEYS, STICKY_KEYS } from './keys.js';
import { SUITE_DEFAULTS } from './defaults.js';
import { keyOrigin, originOf, type ReadContext } from './context.js';
import { FORWARDED_HEADERS, type CountBound, type DistributionCheck, type Expectation, type Origin, type StatusMatch, type StickyKey } from './model.js';
import type { TrafficKind } from '../traffic/spec.js';
import { CLIENT_ERROR, type ClientErrorName } from '../traffic/results.js';
import { readCount, readLatencyUs, readNames, readPositiveInt, readRatePerSec, readShare, readWithinMs, refuse, scalarOf } from './values.js';

/** Drafts that need the configuration; rules.ts turns them into Expectations. */
export type Pending =
  | (Origin & { readonly kind: 'by-weight'; readonly check: DistributionCheck })
  | (Origin & { readonly kind: 'ejection'; readonly backend: string; readonly maxFails: number | null; readonly failTimeoutMs: number | null });

export interface ReadExpect {
  readonly expect: Expectation[];
  readonly pending: Pending[];
  /** `sticky.since` phase names, resolved once every phase is known. */
  readonly since: { readonly name: string; readonly field: Field; readonly index: number }[];
}

export function readExpect(field: Field, traffic: TrafficKind | null, ctx: ReadContext): ReadExpect {
  const out: ReadExpect = { expect: [], pending: [], since: [] };
  const f = subFields(ctx.issues, field);
  f.rejectUnknown(EXPECT_KEYS, ctx.issues, 'expect');
  for (const key of f.keys()) {
    const item = f.get(key)!;
    switch (key) {
      case 'distribution': readDistribution(item, traffic, ctx, out); break;
      case 'sequence': readSequence(item, ctx, out); break;
      case 'sticky': readSticky(item, ctx, out); break;
      case 'never': case 'only': {
        const names = readNames(ctx.issues, item);
        if (names !== undefined) out.expect.push({ ...originOf(item), kind: key, backends: names.map((n) => ctx.backend(n.name, n.field, key)) });
        break;
      }
      case 'share': eachBackend(item, ctx, (name, x) => { const share = readShare(ctx.issues, x); if (share) out.expect.push({ ...keyOrigin(x), kind: 'share', backend: name, share }); }); break;
      case 'ejection': readEjection(item, ctx, out); break;
      case 'recovered': eachBackend(item, ctx, (name, x) => { const withinMs = readWithinMs(ctx.issues, x); if (withinMs !== undefined) out.expect.push({ ...keyOrigin(x), kind: 'recovered', backend: name, withinMs }); }); break;
      case 'max_concurrency': eachBackend(item, ctx, (name, x) => { const max = readPositiveInt(ctx.issues, x, 1_000_000); if (max) out.expect.push({ ...keyOrigin(x), kind: 'maxConcurrency', backend: name, max }); }); break;
      case 'status': readStatus(item, ctx, out); break;
      case 'errors': readErrors(item, ctx, out); break;
      case 'answered': readAnswered(item, ctx, out); break;
      case 'forwarded': { const header = readChoice(ctx.issues, item, FORWARDED_HEADERS); if (header) out.expect.push({ ...originOf(item), kind: 'forwarded', header }); break; }
      case 'connections': eachBackend(item, ctx, (name, x) => { const count = readCount(ctx.issues, x); if (count) out.expect.push({ ...keyOrigin(x), kind: 'connections', backend: name, count }); }); break;
      case 'latency': readLatency(item, ctx, out); break;
      case 'throughput': { const minPerSec = readRatePerSec(ctx.issues, item, true); if (minPerSec) out.expect.push({ ...originOf(item), kind: 'throughput', minPerSec }); break; }
    }
  }
  return out;
}

/** Calls `read` for each `backend: value` entry of a map, the backend name recorded as a reference. */
function eachBackend(item: Field, ctx: ReadContext, read: (name: string, x: Field) => void): void {
  const m = subFields(ctx.issues, item);
  if (m.keys().length === 0) ctx.issues.add('SUITE_SHAPE', atValue(item), 'expected a map of backend names to values');
  for (const name of m.keys()) read(ctx.backend(name, m.get(name)!, item.key), m.get(name)!);
}

function readDistribution(item: Field, traffic: TrafficKind | null, ctx: ReadContext, out: ReadExpect): void {
  const { issues } = ctx;
  const v = scalarOf(item);
  const defaultCheck: DistributionCheck = traffic === 'sequential'
    ? { kind: 'exact', slack: SUITE_DEFAULTS.exactSlack } : { kind: 'statistical', tolerance: SUITE_DEFAULTS.tolerance, alpha: SUITE_DEFAULTS.alpha };
  if (v === 'by-weight') { out.pending.push({ ...originOf(item), kind: 'by-weight', check: defaultCheck }); return; }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { refuse(issues, item, 'by-weight, a map of backend: weight, or a map with `shares:`'); return; }
  const m = subFields(issues, item);
  if (!m.has('shares')) { readWeights(item, ctx, defaultCheck, out); return; }
  m.rejectUnknown(DISTRIBUTION_KEYS, issues, 'a distribution with `shares:`');
  const checkField = m.get('check');
  const checkKind = checkField === undefined ? defaultCheck.kind : readChoice(issues, checkField, ['exact', 'tolerance'] as const) === 'exact' ? 'exact' : 'statistical';
  const check = readCheck(m, checkKind, ctx);
  const shares = m.get('shares')!;
  if (check === undefined) return;
  if (scalarOf(shares) === 'by-weight') out.pending.push({ ...originOf(item), kind: 'by-weight', check });
  else readWeights(shares, ctx, check, out, originOf(item));
}

function readCheck(m: ReturnType<typeof subFields>, kind: DistributionCheck['kind'], ctx: ReadContext): DistributionCheck | undefined {
  const { issues } = ctx;
  const misplaced = (kind === 'exact' ? ['tolerance', 'alpha'] : ['slack']).filter((k) => m.has(k));
  for (const k of misplaced) issues.add('SUITE_RULE', atKey(m.get(k)!), `\`${k}:\` goes with check: ${kind === 'exact' ? 'tolerance' : 'exact'}; this distribution is checked ${kind === 'exact' ? 'exactly' : 'within a tolerance'}`);
  if (kind === 'exact') {
    const slack = m.get('slack');
    const value = slack === undefined ? SUITE_DEFAULTS.exactSlack : readInt(issues, slack, 0, 1_000_000);
    return value === undefined ? undefined : { kind, slack: value };
  }
  const tol = m.get('tolerance'), alpha = m.get('alpha');
  const tolerance = tol === undefined ? SUITE_DEFAULTS.tolerance : readShare(issues, tol)?.value;
  const a = alpha === undefined ? SUITE_DEFAULTS.alpha : readShare(issues, alpha)?.value;
  return tolerance === undefined || a === undefined ? undefined : { kind, tolerance, alpha: a };
}

function readWeights(item: Field, ctx: ReadContext, check: DistributionCheck, out: ReadExpect, origin: Origin = originOf(item)): void {
  const weights = new Map<string, number>();
  eachBackend(item, ctx, (name, x) => {
    const w = scalarOf(x);
    if (typeof w === 'number' && w >= 0 && Number.isFinite(w)) weights.set(name, w);
    else refuse(ctx.issues, x, 'a weight, a number 0 or more');
  });
  if (weights.size > 0 && [...weights.values()].every((w) => w === 0)) ctx.issues.add('SUITE_RULE', atValue(item), 'expected at least one weight above 0');
  out.expect.push({ ...origin, kind: 'distribution', shares: { kind: 'stated', weights }, check });
}

function readSequence(item: Field, ctx: ReadContext, out: ReadExpect): void {
  const v = scalarOf(item);
  const names = typeof v === 'string' ? v.trim().split(/\s+/).filter((s) => s !== '').map((name) => ({ name, field: item })) : readNames(ctx.issues, item);
  if (names === undefined) return;
  if (names.length === 0) { refuse(ctx.issues, item, 'backend names in order, such as "a a b a c a a"'); return; }
  out.expect.push({ ...originOf(item), kind: 'sequence', pattern: names.map((n) => ctx.backend(n.name, n.field, 'sequence')) });
}

const STICKY = /^(client|subnet|path|header\s+([!#$%&'*+.^_`|~0-9A-Za-z-]+))$/;

function readStickyKey(f: Field, ctx: ReadContext): StickyKey | undefined {
  const v = scalarOf(f);
  const m = typeof v === 'string' ? STICKY.exec(v.trim()) : null;
  if (m === null) return refuse(ctx.issues, f, 'client, subnet, path, or header NAME');
  return m[2] !== undefined ? { kind: 'header', name: m[2] } : { kind: m[1] as 'client' | 'subnet' | 'path' };
}

function readSticky(item: Field, ctx: ReadContext, out: ReadExpect): void {
  const v = scalarOf(item);
  if (typeof v === 'string') {
    const by = readStickyKey(item, ctx);
    if (by !== undefined) out.expect.push({ ...originOf(item), kind: 'sticky', by, moved: null });
    return;
  }
  const m = subFields(ctx.issues, item);
  m.rejectUnknown(STICKY_KEYS, ctx.issues, 'sticky');
  const byField = m.get('by');
  if (byField === undefined) { ctx.issues.add('SUITE_SHAPE', atValue(item), 'sticky needs `by:` (client, subnet, path, or header NAME)'); return; }
  const by = readStickyKey(byField, ctx);
  const since = m.get('since'), moved = m.get('moved');
  if ((since === undefined) !== (moved === undefined)) {
    ctx.issues.add('SUITE_SHAPE', atValue(item), '`since:` (an earlier phase) and `moved:` (the share of keys that changed backend) go together');
    return;
  }
  const share = moved === undefined ? null : readShare(ctx.issues, moved);
  const sinceName = since === undefined ? null : scalarOf(since);
  if (since !== undefined && (typeof sinceName !== 'string' || sinceName === '')) { refuse(ctx.issues, since, 'the name of an earlier phase'); return; }
  if (by === undefined || share === undefined) return;
  if (since !== undefined) out.since.push({ name: sinceName as string, field: since, index: out.expect.length });
  out.expect.push({ ...originOf(item), kind: 'sticky', by, moved: share === null ? null : { sincePhase: -1, share } });
}

function readEjection(item: Field, ctx: ReadContext, out: ReadExpect): void {
  const v = scalarOf(item);
  if (typeof v === 'string' || Array.isArray(v)) {
    for (const n of readNames(ctx.issues, item) ?? []) {
      out.pending.push({ ...originOf(n.field), kind: 'ejection', backend: ctx.backend(n.name, n.field, 'ejection'), maxFails: null, failTimeoutMs: null });
    }
    return;
  }
  eachBackend(item, ctx, (name, x) => {
    const o = subFields(ctx.issues, x);
    o.rejectUnknown(EJECTION_KEYS, ctx.issues, 'an ejection');
    const mf = o.get('max_fails'), ft = o.get('fail_timeout');
    const maxFails = mf === undefined ? null : readPositiveInt(ctx.issues, mf, 1_000_000) ?? null;
    const failTimeoutMs = ft === undefined ? null : readDurationMs(ctx.issues, ft) ?? null;
    out.pending.push({ ...keyOrigin(x), kind: 'ejection', backend: name, maxFails, failTimeoutMs });
  });
}

const STATUS_KEY = /^(?:([1-5][0-9][0-9])|([1-5])xx)$/;

function readStatus(item: Field, ctx: ReadContext, out: ReadExpect): void {
  const m = subFields(ctx.issues, item);
  for (const key of m.keys()) {
    const x = m.get(key)!;
    const k = STATUS_KEY.exec(key);
    if (k === null) { ctx.issues.add('SUITE_SHAPE', atKey(x), `expected a status such as 502 or a class such as 5xx, found ${JSON.stringify(key)}`); continue; }
    const status: StatusMatch = k[1] !== undefined ? { kind: 'code', code: Number(k[1]) } : { kind: 'class', hundreds: Number(k[2]) };
    const count = readCount(ctx.issues, x);
    if (count !== undefined) out.expect.push({ ...keyOrigin(x), kind: 'status', status, count });
  }
}

const PERCENTILE = /^(?:p([0-9]{1,2}(?:\.[0-9]+)?)|(max))$/;

function readLatency(item: Field, ctx: ReadContext, out: ReadExpect): void {
  const m = subFields(ctx.issues, item);
  for (const key of m.keys()) {
    const x = m.get(key)!;
    const k = PERCENTILE.exec(key);
    const percentile = k === null ? NaN : k[2] !== undefined ? 100 : Number(k[1]);
    if (!(percentile > 0 && percentile <= 100)) { ctx.issues.add('SUITE_SHAPE', atKey(x), `expected a percentile such as p50, p99, p99.9 or max, found ${JSON.stringify(key)}`); continue; }
    const limitUs = readLatencyUs(ctx.issues, x);
    if (limitUs !== undefined) out.expect.push({ ...keyOrigin(x), kind: 'latency', percentile, limitUs });
  }
}

/** `errors: 0` (any kind), or `errors: { truncated: "100%", reset: 0 }`, kind by kind. */
function readErrors(item: Field, ctx: ReadContext, out: ReadExpect): void {
  const v = scalarOf(item);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    const count = readCount(ctx.issues, item);
    if (count) out.expect.push({ ...originOf(item), kind: 'errors', count, of: null });
    return;
  }
  const kinds = Object.keys(CLIENT_ERROR).filter((k) => k !== 'none');
  const m = subFields(ctx.issues, item);
  for (const key of m.keys()) {
    const x = m.get(key)!;
    if (!kinds.includes(key)) { ctx.issues.add('SUITE_SHAPE', atKey(x), `expected a kind of error (${kinds.join(', ')}), found ${JSON.stringify(key)}`); continue; }
    const count = readCount(ctx.issues, x);
    if (count) out.expect.push({ ...keyOrigin(x), kind: 'errors', count, of: key as ClientErrorName });
  }
}

function readAnswered(item: Field, ctx: ReadContext, out: ReadExpect): void {
  const counts = new Map<string, CountBound>();
  eachBackend(item, ctx, (name, x) => { const count = readCount(ctx.issues, x); if (count) counts.set(name, count); });
  if (counts.size > 0) out.expect.push({ ...originOf(item), kind: 'answered', counts });
}
