/**
 * What a phase showed, in the shapes verdicts read: at the backends (from the host's columnar
 * request records: counts, arrival times, peak concurrency) and at the client (from the traffic
 * results: answers in order, answers by key, statuses, errors, latencies). Built once per phase.
 */
import type { RecordSet } from '../backends/records.js';
import type { Action, ForwardedHeader, StickyKey } from '../suite/model.js';
import { clientOf, keyOf, slotOf, subnetOf } from '../traffic/mix.js';
import type { ClientResults } from '../traffic/results.js';
import type { RequestMix } from '../traffic/spec.js';
import type { ClientOutcomes } from './counts.js';
import { groupAnswers } from './sticky.js';

export interface BackendObservations {
  /** Requests that reached a backend. */
  readonly total: number;
  readonly counts: ReadonlyMap<string, number>;
  /** Arrival of each request's head, µs since the epoch, ascending. */
  readonly arrivalsUs: ReadonlyMap<string, Float64Array>;
  /** Most requests in progress at once (the host's `inflight` at arrival). */
  readonly peakInflight: ReadonlyMap<string, number>;
  /** Distinct connections that carried requests to each backend (keepalive reuse shows here). */
  readonly connections: ReadonlyMap<string, number>;
  /** Per backend, how often each value arrived in X-Real-IP and (its last address) in X-Forwarded-For. */
  readonly forwarded: Readonly<Record<ForwardedHeader, ReadonlyMap<string, ReadonlyMap<string, number>>>>;
}

/** When an action of the phase took effect, µs on the backends' clock (traffic/results.ts epochUs). */
export interface PhaseEvent {
  readonly action: Action;
  readonly atUs: number;
}

export interface PhaseObservation {
  readonly backends: BackendObservations;
  readonly client: ClientResults;
  readonly events: readonly PhaseEvent[];
}

/** Records of one phase (optionally only those arriving in [fromUs, toUs)). */
export function observeBackends(records: RecordSet, window?: { readonly fromUs: number; readonly toUs: number }): BackendObservations {
  const c = records.columns;
  const counts = new Map<string, number>();
  const times = new Map<string, number[]>();
  const peak = new Map<string, number>();
  const conns = new Map<string, Set<number>>();
  const realIp = new Map<string, Map<string, number>>(), forwardedFor = new Map<string, Map<string, number>>();
  let total = 0;
  for (let i = 0; i < records.count; i++) {
    const t = c.arrivalUs[i]!;
    if (window !== undefined && (t < window.fromUs || t >= window.toUs)) continue;
    const name = records.str(c.backend[i]!);
    total++;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    let list = times.get(name);
    if (list === undefined) times.set(name, (list = []));
    list.push(t);
    peak.set(name, Math.max(peak.get(name) ?? 0, c.inflight[i]!));
    let ids = conns.get(name);
    if (ids === undefined) conns.set(name, (ids = new Set()));
    ids.add(c.connId[i]!);
    tally(realIp, name, records.str(c.xRealIp[i]!).trim());
    tally(forwardedFor, name, lastAddress(records.str(c.xForwardedFor[i]!)));
  }
  const arrivalsUs = new Map([...times].map(([n, list]) => [n, Float64Array.from(list).sort()]));
  return { total, counts, arrivalsUs, peakInflight: peak, connections: new Map([...conns].map(([n, ids]) => [n, ids.size])),
    forwarded: { 'X-Real-IP': realIp, 'X-Forwarded-For': forwardedFor } };
}

function tally(m: Map<string, Map<string, number>>, backend: string, value: string): void {
  let byValue = m.get(backend);
  if (byValue === undefined) m.set(backend, (byValue = new Map()));
  byValue.set(value, (byValue.get(value) ?? 0) + 1);
}

/** `1.2.3.4, 127.1.0.1` -> `127.1.0.1`: the address the last proxy added. */
function lastAddress(xff: string): string {
  return xff.slice(xff.lastIndexOf(',') + 1).trim();
}

/** Per answering backend, how often each client address was answered by it (rows without a client or an answer left out). */
export function clientsByBackend(r: ClientResults, mix: RequestMix): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (let i = 0; i < r.count; i++) {
    const client = clientOf(mix, r.columns.seq[i]!);
    const b = r.backend(i);
    if (client !== null && b !== '' && r.columns.error[i] === 0) tally(out, b, client);
  }
  return out;
}

/** Responses per answering backend ('' for a response no mock backend sent, such as a balancer's 502). */
export function answersOf(r: ClientResults): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < r.count; i++) {
    if (r.columns.error[i] !== 0) continue;
    const b = r.backend(i);
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

/** The answering backend of each request, in the order the requests were issued. */
export function answersInOrder(r: ClientResults): string[] {
  const order = Array.from({ length: r.count }, (_, i) => i).sort((a, b) => r.columns.seq[a]! - r.columns.seq[b]!);
  return order.map((i) => r.backend(i));
}

/** Each key's answers; rows without an answer are left out. */
export function answersByKey(r: ClientResults, mix: RequestMix, by: StickyKey): Map<string, Map<string, number>> {
  const keyFor = (seq: number): string | null => {
    switch (by.kind) {
      case 'client': return clientOf(mix, seq);
      case 'subnet': { const c = clientOf(mix, seq); return c === null ? null : subnetOf(c); }
      case 'path': return slotOf(mix, seq).path;
      case 'header': return keyOf(mix, seq);
    }
  };
  function* pairs(): Generator<readonly [string, string]> {
    for (let i = 0; i < r.count; i++) {
      const key = keyFor(r.columns.seq[i]!);
      if (key !== null) yield [key, r.backend(i)];
    }
  }
  return groupAnswers(pairs());
}

export function outcomes(r: ClientResults): ClientOutcomes {
  return { count: r.count, status: (i) => r.columns.status[i]!, error: (i) => r.error(i) };
}

/** Latencies of the rows that got a whole response, µs. */
export function responseLatenciesUs(r: ClientResults): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < r.count; i++) if (r.columns.error[i] === 0) out.push(r.columns.latencyUs[i]!);
  return Float64Array.from(out);
}

export function responsesOf(r: ClientResults): number {
  let n = 0;
  for (let i = 0; i < r.count; i++) if (r.columns.error[i] === 0) n++;
  return n;
}
