/**
 * Load through autocannon 8 (mcollina/autocannon), for phases whose point is volume, with the
 * same per-request results as our own client so that verify reads both alike.
 *
 * Settings and limits (shared/research/peers-and-autocannon.md §1.5):
 * - ignoreCoordinatedOmission is on whenever a rate is set (autocannon refuses it otherwise, where
 *   no correction happens anyway): its correction uses 1/rate seconds as milliseconds and
 *   back-fills samples that lower the reported latency (§1.5a).
 * - no source addresses: plain HTTP connects with net.connect(port, host) only (§1.5g), so the
 *   suite loader refuses `clients:` with autocannon.
 * - its histogram counts whole milliseconds (§1.5c); we read each response's own duration (a float
 *   of ms from process.hrtime) from the `response` event instead, but that duration drifts when
 *   the server closes connections (§1.5b): requests sent and never answered are counted in the notes.
 * - its rate is a per-connection "N per second" window, bursty, not an arrival-rate schedule (§1.5e).
 * - the answering backend comes from each request's onResponse, which autocannon calls just before
 *   it emits `response` for the same response, synchronously: the two are paired by order. `seq`
 *   is the index of the request template (path seq % paths, key seq % keys), not an issue order.
 * - errors carry no request: they are recorded with seq 0 and no latency.
 * Bounds: maxOverallRequests and duration natively, and our own timer on top, since autocannon
 * reports only at its next 1 s sample tick after it stops.
 */
import { createRequire } from 'node:module';
import { LbtestError } from '../core/errors.js';
import { bodyBytesOf, keyValue, slotOf, sourceAddress } from './mix.js';
import { checkLoopback } from './preflight.js';
import { BACKEND_HEADER, ResultLog, epochUs, type ClientErrorName, type ClientResults, type StopReason } from './results.js';
import type { TrafficRun, StartOptions } from './client.js';
import type { TrafficSpec, TrafficTarget } from './spec.js';

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  onResponse: (status: number, body: string, context: unknown, headers: Record<string, string | string[]>) => void;
}
interface AutocannonResult { readonly errors: number; readonly requests: { readonly sent: number } }
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, durationMs: number) => void): void;
  on(event: 'reqError', fn: (err: Error) => void): void;
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Past the time bound, autocannon still waits for its sample tick: allow that, then stop it. */
const SAMPLE_TICK_MS = 1000;

export async function startAutocannon(target: TrafficTarget, spec: TrafficSpec, opts: StartOptions = {}): Promise<TrafficRun> {
  checkLoopback(target);
  if (spec.kind === 'sequential' || spec.mix.sources.kind === 'bind') {
    throw new LbtestError('INTERNAL', 'autocannon runs concurrent or rate traffic without bound source addresses');
  }
  const log = new ResultLog(Math.min(spec.bounds.maxRequests, 1 << 16));
  const connections = Math.max(1, Math.min(spec.connections, spec.bounds.maxRequests));
  const templates = requestTemplates(spec);
  let last: { seq: number; backend: string } | null = null;
  const requests: AutocannonRequest[] = templates.map((t, seq) => ({
    ...t,
    onResponse: (_status, _body, _ctx, headers) => { last = { seq, backend: headerValue(headers, BACKEND_HEADER) }; },
  }));
  const startedUs = epochUs();
  let stoppedBy: StopReason = 'requests';
  let instance: AutocannonInstance | undefined;
  let guard: NodeJS.Timeout | undefined;
  let settled = false;
  const done = new Promise<ClientResults>((resolve, reject) => {
    instance = autocannon({
      url: `http://${target.host}:${target.port}`, connections, requests,
      ...(spec.kind === 'rate' ? { overallRate: Math.max(1, Math.round(spec.ratePerSec)), ignoreCoordinatedOmission: true } : {}),
      maxOverallRequests: spec.bounds.maxRequests, duration: spec.bounds.maxDurationMs / 1000,
      timeout: Math.max(1, Math.ceil(spec.timeoutMs / 1000)),
    }, (err, result) => {
      settled = true;
      clearTimeout(guard);
      if (err !== null) { reject(new LbtestError('TRAFFIC_RUN', `autocannon: ${err.message}`, { cause: err })); return; }
      const endedUs = epochUs();
      if (stoppedBy !== 'signal' && endedUs - startedUs >= spec.bounds.maxDurationMs * 1000) stoppedBy = 'time';
      const notes = [`autocannon ${connections} connections: keep-alive, no source addresses`];
      const unanswered = result.requests.sent - log.count - connections;
      if (unanswered > 0) notes.push(`${unanswered} requests sent got no response (closed connections, reconnects): autocannon's latency drifts after a closed connection`);
      resolve(log.finish({ generator: 'autocannon', kind: spec.kind, startedUs, endedUs, stoppedBy, latencyResolutionUs: 1, notes }));
    });
    if (!settled) guard = setTimeout(() => instance?.stop(), spec.bounds.maxDurationMs + SAMPLE_TICK_MS);
  });
  instance!.on('response', (_client, status, _bytes, durationMs) => {
    const pair = last;
    last = null;
    const latencyUs = durationMs * 1000;
    log.add(pair?.seq ?? 0, epochUs() - latencyUs, latencyUs, status, pair?.backend ?? '', 'none');
    if (log.count >= spec.bounds.maxRequests) instance?.stop();
  });
  // autocannon reconnects at once after a connection error: thousands a second against a dead
  // port, none counted against maxOverallRequests, so our own count bounds them.
  instance!.on('reqError', (err) => {
    log.add(0, epochUs(), 0, 0, '', errorName(err));
    if (log.count >= spec.bounds.maxRequests) instance?.stop();
  });
  const stop = (): void => { if (!settled) { stoppedBy = 'signal'; instance?.stop(); } };
  if (opts.signal?.aborted) stop();
  else opts.signal?.addEventListener('abort', stop, { once: true });
  return { done, completed: () => log.count, stop };
}

/** One template per request slot in use: seq 0 … max(paths, keys, header sources) - 1. */
function requestTemplates(spec: TrafficSpec): Omit<AutocannonRequest, 'onResponse'>[] {
  const { mix } = spec;
  const count = Math.max(mix.paths.length, mix.keys.kind === 'header' ? mix.keys.count : 1, mix.sources.kind === 'header' ? mix.sources.count : 1);
  const body = bodyBytesOf(mix);
  const out: Omit<AutocannonRequest, 'onResponse'>[] = [];
  for (let seq = 0; seq < count; seq++) {
    const slot = slotOf(mix, seq);
    const headers: Record<string, string> = Object.fromEntries(mix.headers.map(([n, v]) => [n, v]));
    if (mix.keys.kind === 'header') headers[mix.keys.name] = keyValue(slot.key);
    if (mix.sources.kind === 'header') headers[mix.sources.name] = sourceAddress(slot.source, mix.sources.perSubnet);
    out.push({ method: mix.method, path: slot.path, headers, ...(body === null ? {} : { body }) });
  }
  return out;
}

function headerValue(headers: Record<string, string | string[]>, name: string): string {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] ?? '' : v;
  return '';
}

function errorName(err: Error): ClientErrorName {
  if (/timed out/.test(err.message)) return 'timeout';
  const code = (err as { code?: string }).code;
  return code === 'ECONNREFUSED' ? 'refused' : code === 'ECONNRESET' ? 'reset' : 'other';
}
