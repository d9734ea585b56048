/**
 * What a phase showed, in the shapes verdicts read: at the backends (from the host's columnar
 * request records: counts, arrival times, peak concurrency) and at the client (from the traffic
 * results: answers in order, answers by key, statuses, errors, latencies). Built once per phase.
 */
import type { RecordSet } from '../backends/records.js';
import type { Action, StickyKey } from '../suite/model.js';
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
  }
  const arrivalsUs = new Map([...times].map(([n, list]) => [n, Float64Array.from(list).sort()]));
  return { total, counts, arrivalsUs, peakInflight: peak, connections: new Map([...conns].map(([n, ids]) => [n, ids.size])) };
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
