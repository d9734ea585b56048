/**
 * `traffic:` of a phase -> a TrafficSpec (traffic/spec.ts), every bound filled in.
 *
 *   traffic:
 *     requests: 700          # a count bound,      and/or
 *     duration: 3s           # a time bound; the other one defaults (defaults.ts)
 *     connections: 8         # 2 or more: concurrent closed loops
 *     rate: 200/s            # open loop (with connections: in flight at most)
 *     generator: own | autocannon
 *     timeout: 5s            # per request
 *     clients: 200           # source addresses 127.x.y.1, bound ...
 *     clientHeader: X-Real-IP  # ... or sent in this header (realip)
 *     perSubnet: 4           # clients per /24, differing in the last octet only (default 1)
 *     path: /                # one path, or with paths: N the prefix of PREFIX0 … PREFIX(N-1)
 *     paths: 500 | [/a, /b]
 *     keys: { header: X-Session, count: 100 }
 *     method: POST
 *     headers: { Host: example.com }
 *     body: text | bodySize: 16k
 */
import { atKey, atValue, readChoice, readDurationMs, readSeq, readSizeBytes, readString, subFields, type Field, type Fields } from '../backends/spec/fields.js';
import type { Issues } from '../backends/spec/source.js';
import { MAX_PER_SUBNET, MAX_SOURCES, type Keys, type RequestBody, type RequestHeader, type Sources, type TrafficSpec } from '../traffic/spec.js';
import { LIMITS, SUITE_DEFAULTS } from './defaults.js';
import { TRAFFIC_KEYS, TRAFFIC_KEYS_KEYS } from './keys.js';
import { readPositiveInt, readRatePerSec, refuse, scalarOf } from './values.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_HEADERS = ['content-length', 'transfer-encoding', 'connection'];
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function opt<T>(f: Fields, key: string, read: (field: Field) => T | undefined): T | undefined {
  const field = f.get(key);
  return field === undefined ? undefined : read(field);
}

export function readTraffic(field: Field, issues: Issues): TrafficSpec | undefined {
  const before = issues.list.length;
  const f = subFields(issues, field);
  f.rejectUnknown(TRAFFIC_KEYS, issues, 'traffic');
  const requests = opt(f, 'requests', (x) => readPositiveInt(issues, x, LIMITS.maxRequests));
  const durationMs = opt(f, 'duration', (x) => readDurationMs(issues, x));
  const connections = opt(f, 'connections', (x) => readPositiveInt(issues, x, LIMITS.maxConnections));
  const rate = opt(f, 'rate', (x) => readRatePerSec(issues, x));
  const generator = opt(f, 'generator', (x) => readChoice(issues, x, ['own', 'autocannon'] as const)) ?? SUITE_DEFAULTS.generator;
  const timeoutMs = opt(f, 'timeout', (x) => readDurationMs(issues, x)) ?? SUITE_DEFAULTS.requestTimeoutMs;
  const mix = {
    method: opt(f, 'method', (x) => readMethod(issues, x)) ?? SUITE_DEFAULTS.method,
    paths: readPaths(f, issues), headers: readHeaders(f, issues), body: readBody(f, issues),
    sources: readSources(f, issues), keys: readKeys(f, issues),
  };
  if (!f.has('requests') && !f.has('duration')) issues.add('SUITE_SHAPE', atValue(field), 'traffic needs a bound: `requests:`, `duration:`, or both');
  if (durationMs === 0) issues.add('SUITE_RULE', atValue(f.get('duration')!), 'a traffic duration must be more than 0');
  if (timeoutMs === 0) issues.add('SUITE_RULE', atValue(f.get('timeout')!), 'a request timeout must be more than 0');
  if (issues.list.length > before) return undefined;
  const bounds = boundsOf(requests, durationMs, rate);
  const common = { bounds, mix, timeoutMs };
  let spec: TrafficSpec;
  if (rate !== undefined) spec = { ...common, kind: 'rate', generator, ratePerSec: rate, connections: connections ?? SUITE_DEFAULTS.rateConnections };
  else if (connections !== undefined && connections > 1) spec = { ...common, kind: 'concurrent', generator, connections };
  else spec = { ...common, kind: 'sequential', generator: 'own' };
  autocannonSendsConcurrently(f, generator, spec, issues);
  autocannonBindsNoSources(f, generator, spec, issues);
  return issues.list.length > before ? undefined : spec;
}

function boundsOf(requests: number | undefined, durationMs: number | undefined, rate: number | undefined): TrafficSpec['bounds'] {
  if (requests !== undefined && durationMs !== undefined) return { maxRequests: requests, maxDurationMs: durationMs };
  if (requests !== undefined) {
    const needMs = rate === undefined ? 0 : Math.ceil((requests / rate) * 1000);
    return { maxRequests: requests, maxDurationMs: needMs + SUITE_DEFAULTS.timeBoundMs };
  }
  const fromRate = rate === undefined ? SUITE_DEFAULTS.requestBound : Math.ceil((rate * durationMs!) / 1000);
  return { maxRequests: Math.max(1, fromRate), maxDurationMs: durationMs! };
}

function readMethod(issues: Issues, f: Field): string | undefined {
  const v = scalarOf(f);
  if (typeof v === 'string' && /^[A-Z]+$/.test(v)) return v;
  return refuse(issues, f, 'an HTTP method in capitals, such as GET or POST');
}

function readPath(issues: Issues, f: Field): string | undefined {
  const v = scalarOf(f);
  if (typeof v === 'string' && v.startsWith('/') && !/[\s]/.test(v)) return v;
  return refuse(issues, f, 'a path starting with / and without spaces');
}

function readPaths(f: Fields, issues: Issues): string[] {
  const path = opt(f, 'path', (x) => readPath(issues, x));
  const paths = f.get('paths');
  if (paths === undefined) return [path ?? SUITE_DEFAULTS.path];
  const v = scalarOf(paths);
  if (typeof v === 'number') {
    const n = readPositiveInt(issues, paths, LIMITS.maxPaths) ?? 1;
    const prefix = path ?? SUITE_DEFAULTS.generatedPathPrefix;
    return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  }
  if (Array.isArray(v)) {
    if (path !== undefined) issues.add('SUITE_RULE', atKey(f.get('path')!), '`path:` is the prefix of `paths: N`; with a list of paths, leave it out');
    const list = (readSeq(issues, paths) ?? []).map((item) => readPath(issues, item)).filter((p): p is string => p !== undefined);
    if (list.length === 0) issues.add('SUITE_SHAPE', atValue(paths), 'expected at least one path');
    return list;
  }
  refuse(issues, paths, 'a number of paths or a list of paths');
  return ['/'];
}

function readHeaderName(issues: Issues, f: Field): string | undefined {
  const v = scalarOf(f);
  if (typeof v === 'string' && TOKEN.test(v) && !RESERVED_HEADERS.includes(v.toLowerCase())) return v;
  return refuse(issues, f, 'a header name (letters, digits, -), not Content-Length, Transfer-Encoding or Connection');
}

function readHeaders(f: Fields, issues: Issues): RequestHeader[] {
  const field = f.get('headers');
  if (field === undefined) return [];
  const map = subFields(issues, field);
  const out: RequestHeader[] = [];
  for (const name of map.keys()) {
    const h = map.get(name)!;
    const v = scalarOf(h);
    if (!TOKEN.test(name) || RESERVED_HEADERS.includes(name.toLowerCase())) issues.add('SUITE_SHAPE', atKey(h), `expected a header name other than Content-Length, Transfer-Encoding, Connection, found ${JSON.stringify(name)}`);
    else if ((typeof v !== 'string' && typeof v !== 'number') || /[\r\n\0]/.test(String(v))) refuse(issues, h, 'a header value on one line');
    else out.push([name, String(v)]);
  }
  return out;
}

function readBody(f: Fields, issues: Issues): RequestBody {
  const text = opt(f, 'body', (x) => readString(issues, x));
  const bodyBytes = opt(f, 'bodySize', (x) => readSizeBytes(issues, x, MAX_BODY_BYTES));
  if (text !== undefined && bodyBytes !== undefined) issues.add('SUITE_SHAPE', atKey(f.get('bodySize')!), 'expected one of `body:` and `bodySize:`, found both');
  if (text !== undefined) return { kind: 'text', text };
  return bodyBytes === undefined ? { kind: 'none' } : { kind: 'size', bodyBytes };
}

function readSources(f: Fields, issues: Issues): Sources {
  const count = opt(f, 'clients', (x) => readPositiveInt(issues, x, MAX_SOURCES));
  const header = opt(f, 'clientHeader', (x) => readHeaderName(issues, x));
  const perSubnet = opt(f, 'perSubnet', (x) => readPositiveInt(issues, x, MAX_PER_SUBNET)) ?? 1;
  for (const key of ['clientHeader', 'perSubnet']) {
    if (f.has(key) && !f.has('clients')) issues.add('SUITE_RULE', atKey(f.get(key)!), `\`${key}:\` shapes the client addresses of \`clients:\`; say how many with \`clients: N\``);
  }
  if (count === undefined) return { kind: 'none' };
  return header === undefined ? { kind: 'bind', count, perSubnet } : { kind: 'header', name: header, count, perSubnet };
}

function readKeys(f: Fields, issues: Issues): Keys {
  const field = f.get('keys');
  if (field === undefined) return { kind: 'none' };
  const k = subFields(issues, field);
  k.rejectUnknown(TRAFFIC_KEYS_KEYS, issues, 'keys');
  const name = opt(k, 'header', (x) => readHeaderName(issues, x));
  const count = opt(k, 'count', (x) => readPositiveInt(issues, x, LIMITS.maxKeys));
  if (!k.has('header') || !k.has('count')) issues.add('SUITE_SHAPE', atValue(field), 'keys need `header:` and `count:`');
  return name === undefined || count === undefined ? { kind: 'none' } : { kind: 'header', name, count };
}

// Rules within one traffic section.

/** autocannon keeps no order: one request at a time on one connection is our own client's job. */
function autocannonSendsConcurrently(f: Fields, generator: string, spec: TrafficSpec, issues: Issues): void {
  if (generator === 'autocannon' && spec.kind === 'sequential') {
    issues.add('SUITE_RULE', atValue(f.get('generator')!), 'autocannon sends concurrent or rate traffic: give `connections:` (2 or more) or `rate:`, or use the own generator');
  }
}

/** autocannon cannot bind source addresses (research §1.5g). */
function autocannonBindsNoSources(f: Fields, generator: string, spec: TrafficSpec, issues: Issues): void {
  if (generator === 'autocannon' && spec.mix.sources.kind === 'bind') {
    issues.add('SUITE_RULE', atKey(f.get('clients')!), 'autocannon cannot bind client source addresses; use the own generator, or send them in a header with `clientHeader:`');
  }
}
