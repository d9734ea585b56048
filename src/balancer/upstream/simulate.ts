/**
 * A synchronous stand-in for the proxy, for tests and benchmarks: it drives one client request
 * through an UpstreamRequest the way src/balancer/proxy will (pick -> attempt -> report -> step),
 * with a scripted backend instead of sockets. It is also the shortest example of that loop.
 *
 * Must not: be imported by the balancer's runtime code.
 */
import type { FakeClock } from '../../core/clock.js';
import type { Balancer } from './balancer.js';
import type { RetryPolicy } from './next-upstream.js';
import { DEFAULT_RETRY_POLICY } from './next-upstream.js';
import type { Peer, PeerSet } from './peers.js';
import type { Step, UpstreamRequest } from './upstream-request.js';

/** What a scripted backend does with one attempt. */
export type Reply =
  /** A response header with `status`; `hold` keeps the response open (a long download). */
  | { readonly kind: 'respond'; readonly status?: number; readonly hold?: boolean; readonly cutShort?: boolean }
  /** connect() refused: nothing was sent. */
  | { readonly kind: 'refuse' }
  /** The backend read the request and closed without a header (444, a crash). */
  | { readonly kind: 'close' }
  | { readonly kind: 'timeout'; readonly phase: 'connect' | 'read' }
  | { readonly kind: 'invalid_header' }
  /** The attempt is still in progress: the exchange returns with the request in phase 'connecting'. */
  | { readonly kind: 'pending' };

export type Backend = (peer: Peer, attempt: number) => Reply;

export const OK: Reply = { kind: 'respond', status: 200 };
export const HOLD: Reply = { kind: 'respond', status: 200, hold: true };
export const REFUSE: Reply = { kind: 'refuse' };
export const CLOSE: Reply = { kind: 'close' };
export const PENDING: Reply = { kind: 'pending' };

export interface SendOptions {
  readonly method?: string;
  readonly clientAddress?: string | null;
  readonly hashKey?: string;
  readonly policy?: RetryPolicy;
  readonly bodyUnbuffered?: boolean;
  /** The connection was a cached keepalive one (errors do not use up a try). */
  readonly cached?: boolean;
  /** Each attempt takes this long on `clock` before its outcome is reported. */
  readonly clock?: FakeClock;
  readonly attemptMs?: number;
  /** Reuse this request object instead of a new one. */
  readonly request?: UpstreamRequest;
}

export interface Exchange {
  /** What the client got: the passed response's status or nginx's own 502/504/... */
  readonly status: number;
  /** The peer whose response reached the client, else null (nginx-tests' X-Port). */
  readonly answeredBy: string | null;
  readonly upstreamAddr: string;
  readonly upstreamStatus: string;
  /** Still in phase 'passing' when the reply was held: call finish() to end it. */
  readonly request: UpstreamRequest;
}

export function send(balancer: Balancer, backend: Backend, opts: SendOptions = {}): Exchange {
  const req = opts.request ?? balancer.request();
  req.start(opts.policy ?? DEFAULT_RETRY_POLICY, {
    method: opts.method ?? 'GET', clientAddress: opts.clientAddress ?? null, hashKey: opts.hashKey ?? '',
    bodyUnbuffered: opts.bodyUnbuffered ?? false,
  });
  for (let attempt = 0; ; attempt++) {
    const peer = req.pick();
    if (peer === null) return exchange(req, null);
    const reply = backend(peer, attempt);
    if (reply.kind === 'pending') return exchange(req, null);
    if (opts.clock !== undefined && opts.attemptMs !== undefined) opts.clock.advance(opts.attemptMs);
    const step = report(req, reply, opts.cached === true);
    if (step === 'pass') {
      if (reply.kind === 'respond' && reply.hold !== true) {
        if (reply.cutShort === true) req.failed({ kind: 'error', requestSent: true });
        else req.finish();
      }
      return exchange(req, peer.name);
    }
    if (step === 'finalize') return exchange(req, null);
  }
}

function report(req: UpstreamRequest, reply: Exclude<Reply, { kind: 'pending' }>, cached: boolean): Step {
  switch (reply.kind) {
    case 'respond': return req.responded(reply.status ?? 200);
    case 'refuse': return req.failed({ kind: 'error', requestSent: false, cached });
    case 'close': return req.failed({ kind: 'error', requestSent: true, cached });
    case 'timeout': return req.failed({ kind: 'timeout', requestSent: reply.phase === 'read' });
    case 'invalid_header': return req.failed({ kind: 'invalid_header', requestSent: true });
  }
}

function exchange(req: UpstreamRequest, answeredBy: string | null): Exchange {
  return {
    status: req.status, answeredBy, upstreamAddr: req.upstreamAddr(), upstreamStatus: req.upstreamStatus(), request: req,
  };
}

/**
 * nginx-tests' count string: `"8081: 6, 8082: 24"`, peers in config order (primary, then backup),
 * peers that answered nothing left out; null entries (no answer) are not counted.
 */
export function counts(set: PeerSet, answered: readonly (string | null)[], label: (name: string) => string = (n) => n): string {
  const order: string[] = [];
  for (const tier of [set.primary, set.backup]) {
    for (const peer of tier?.peers ?? []) if (!order.includes(peer.name)) order.push(peer.name);
  }
  return order
    .map((name) => [label(name), answered.filter((a) => a === name).length] as const)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name}: ${n}`)
    .join(', ');
}

/** One request's attempts as a sequence token: `a+b` when a failed and b answered. */
export const attemptsOf = (ex: Exchange): string => ex.upstreamAddr.split(', ').join('+');

/** Port-only labels, as nginx-tests print them: `127.0.0.1:8081` -> `8081`. */
export const port = (name: string): string => name.slice(name.lastIndexOf(':') + 1);
