/**
 * A behaviour compiled for the wire: every response rendered, every action object made in advance,
 * so that deciding what to do with a request allocates nothing.
 *
 * A plan counts from the moment it took effect: requests (and connections, for a reset at accept)
 * are numbered 1, 2, 3 …, and schedule windows are measured from its `sinceMs`. Switching a
 * backend's behaviour makes a new plan, so counts and schedules restart.
 * Must not: touch a socket (connection.ts executes the actions).
 */
import { seededRandom, type RandomSource } from '../../core/clock.js';
import type { Behaviour, Fault, Latency, Trickle, Trigger } from '../behaviour.js';
import { RECORD_ACTION, type RecordAction } from '../protocol.js';
import { prepareReply, type Prepared } from './responses.js';
import { loadStaticSite } from './static-site.js';

/** What to do with a request; `record` is its RECORD_ACTION code and the status it sends (0: none). */
export type Action = (
  | { readonly kind: 'reply'; readonly response: Prepared; readonly latency: Latency | null; readonly trickle: Trickle | null }
  | { readonly kind: 'reset'; readonly at: 'headers' | 'body'; readonly response: Prepared }
  | { readonly kind: 'close'; readonly at: 'headers' | 'body'; readonly response: Prepared }
  | { readonly kind: 'hang' }
) & { readonly record: { readonly action: RecordAction; readonly status: number } };

export interface Plan {
  readonly behaviour: Behaviour;
  /** performance.now() when the plan took effect. */
  readonly sinceMs: number;
  /** Decides the n-th connection (1-based): true to reset it at accept. */
  resetAtAccept(n: number, nowMs: number): boolean;
  /** Decides the n-th request (1-based). */
  decide(url: string, n: number, nowMs: number): Action;
  /** A latency's delay for one request: delayMs + uniform[0, jitterMs). */
  delayMs(latency: Latency): number;
}

type TriggerFn = (n: number, nowMs: number) => boolean;

const NEVER: TriggerFn = () => false;

export async function compilePlan(name: string, behaviour: Behaviour, sinceMs: number): Promise<Plan> {
  const jitter = seededRandom(seedOf(behaviour));
  const delayMs = (l: Latency): number => l.delayMs + (l.jitterMs > 0 ? (jitter.next() / 0x1_0000_0000) * l.jitterMs : 0);
  const plan = (resetAtAccept: TriggerFn, decide: Plan['decide']): Plan =>
    ({ behaviour, sinceMs, resetAtAccept, decide, delayMs });

  if (behaviour.kind === 'static') {
    const site = await loadStaticSite(name, behaviour.root, behaviour.index, behaviour.headers);
    const actions = new Map<Prepared, Action>();
    return plan(NEVER, (url) => {
      const response = site.lookup(url);
      let action = actions.get(response);
      if (action === undefined) { action = reply(response); actions.set(response, action); }
      return action;
    });
  }
  if (behaviour.kind === 'dead') {
    // A dead backend is never asked; should it be revived it answers as `ok` (see backend.ts).
    const action = reply(prepareReply(name, { status: 200, headers: [], body: { kind: 'name' } }));
    return plan(NEVER, () => action);
  }

  const base = prepareReply(name, behaviour.reply);
  const normal: Action = behaviour.kind === 'slow' ? reply(base, behaviour.latency, behaviour.trickle) : reply(base);
  const { fault, trigger } = faultOf(behaviour);
  if (fault === null) return plan(NEVER, () => normal);

  const fires = compileTrigger(trigger, sinceMs);
  if (fault.kind === 'reset' && fault.at === 'accept') return plan(fires, () => normal);
  const faulty = faultAction(name, fault, base);
  return plan(NEVER, (_url, n, nowMs) => (fires(n, nowMs) ? faulty : normal));
}

function reply(response: Prepared, latency: Latency | null = null, trickle: Trickle | null = null): Action {
  return { kind: 'reply', response, latency, trickle, record: { action: RECORD_ACTION.reply, status: response.status } };
}

function cut(kind: 'reset' | 'close', at: 'headers' | 'body', response: Prepared): Action {
  return { kind, at, response, record: { action: RECORD_ACTION[kind], status: at === 'body' ? response.status : 0 } };
}

/** The fault and trigger a behaviour carries; `reset`, `close`, `hang` are flaky with `every`. */
function faultOf(b: Behaviour): { fault: Fault | null; trigger: Trigger } {
  switch (b.kind) {
    case 'reset': return { fault: { kind: 'reset', at: b.at }, trigger: { kind: 'every', every: b.every } };
    case 'close': return { fault: { kind: 'close', at: b.at }, trigger: { kind: 'every', every: b.every } };
    case 'hang': return { fault: { kind: 'hang' }, trigger: { kind: 'every', every: b.every } };
    case 'flaky': return { fault: b.fault, trigger: b.trigger };
    default: return { fault: null, trigger: { kind: 'every', every: 1 } };
  }
}

function faultAction(name: string, fault: Fault, base: Prepared): Action {
  switch (fault.kind) {
    case 'reset': return cut('reset', fault.at === 'body' ? 'body' : 'headers', base);
    case 'close': return cut('close', fault.at, base);
    case 'hang': return { kind: 'hang', record: { action: RECORD_ACTION.hang, status: 0 } };
    case 'status': return reply(prepareReply(name, fault.reply));
    case 'slow': return reply(base, fault.latency, fault.trickle);
  }
}

/** Trigger → predicate over (request number, now). A probability draws once per request, in order. */
export function compileTrigger(trigger: Trigger, sinceMs: number): TriggerFn {
  switch (trigger.kind) {
    case 'every': {
      const every = trigger.every;
      return every === 1 ? () => true : (n) => n % every === 0;
    }
    case 'probability': {
      const rng: RandomSource = seededRandom(trigger.seed);
      const threshold = trigger.probability * 0x1_0000_0000;
      return () => rng.next() < threshold;
    }
    case 'schedule': {
      const windows = trigger.windows;
      return (_n, nowMs) => {
        const t = nowMs - sinceMs;
        for (const w of windows) if (t >= w.fromMs && t < w.toMs) return true;
        return false;
      };
    }
  }
}

function seedOf(b: Behaviour): number {
  if (b.kind === 'slow') return b.latency.seed;
  if (b.kind === 'flaky' && b.fault.kind === 'slow') return b.fault.latency.seed;
  return 1;
}
