/**
 * A balancer: one upstream group's peer set and method, as one worker process holds them
 * (no `zone`: state is per worker). A reload builds new balancers; requests in flight finish on
 * the old ones, so the round-robin sequence restarts as nginx's does.
 *
 * Invariant: everything precomputable (peer arrays, totals, the ketama ring) is built here, once.
 * Must not: be shared between workers or across reloads; read the config parser.
 */
import type { ComplexValue, Upstream } from '../../config/model.js';
import type { Clock, RandomSource } from '../../core/clock.js';
import { systemClock, systemRandom } from '../../core/clock.js';
import type { BalancerMethod } from './method.js';
import type { PeerSet } from './peers.js';
import { createPeerSet } from './peers.js';
import { createMethod } from './registry.js';
import { UpstreamRequest } from './upstream-request.js';

export interface BalancerEnv {
  readonly clock?: Clock;
  readonly random?: RandomSource;
}

export class Balancer {
  readonly upstream: Upstream;
  readonly name: string;
  readonly peers: PeerSet;
  readonly method: BalancerMethod;
  readonly clock: Clock;
  /** The `hash` directive's key, for the proxy to evaluate into RequestInfo.hashKey; null otherwise. */
  readonly hashKey: ComplexValue | null;
  /** ip_hash needs RequestInfo.clientAddress (after realip). */
  readonly usesClientAddress: boolean;

  constructor(upstream: Upstream, env: BalancerEnv = {}) {
    this.upstream = upstream;
    this.name = upstream.name;
    this.clock = env.clock ?? systemClock;
    this.peers = createPeerSet(upstream);
    this.method = createMethod(this.peers, upstream.method, { random: env.random ?? systemRandom });
    this.hashKey = upstream.method.kind === 'hash' ? upstream.method.key : null;
    this.usesClientAddress = upstream.method.kind === 'ip_hash';
  }

  /** A request object for this group; reuse it with start() for later requests (e.g. per client connection). */
  request(): UpstreamRequest {
    return new UpstreamRequest(this.peers, this.method, this.clock);
  }
}

export function createBalancer(upstream: Upstream, env: BalancerEnv = {}): Balancer {
  return new Balancer(upstream, env);
}

/** One worker's balancers, keyed like HttpConfig.upstreams (lower-cased name). */
export function createWorkerBalancers(
  upstreams: ReadonlyMap<string, Upstream>, env: BalancerEnv = {},
): ReadonlyMap<string, Balancer> {
  const balancers = new Map<string, Balancer>();
  for (const [key, upstream] of upstreams) balancers.set(key, new Balancer(upstream, env));
  return balancers;
}
