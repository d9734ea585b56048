/**
 * The contract of a balancing method: it only chooses. The shared peer set does the rest
 * (tried set, `checked`, `conns`: see health.ts), and UpstreamRequest decides about retries.
 *
 * Invariant: `pick` allocates nothing and touches only the candidate peers' currentWeight and
 * effectiveWeight (the smooth round-robin bookkeeping) and the state's scratch fields.
 * Must not: read the clock (nowSec is passed in), mark peers tried, or count connections.
 */
import type { RandomSource } from '../../core/clock.js';
import type { BalanceMethod } from '../../config/model.js';
import type { Peer, PeerSet } from './peers.js';
import type { PickState } from './pick-state.js';

/** After this many unsuccessful picks, hash-like methods fall back to round robin (ip_hash, hash, random: `tries > 20`). */
export const HASH_MAX_TRIES = 20;

export interface BalancerMethod {
  readonly kind: BalanceMethod['kind'];
  /** ngx_http_upstream_init_*_peer: per-request setup after PickState.reset (the ip_hash key, the ring point). */
  initRequest(state: PickState, clientAddress: string | null): void;
  /** ngx_http_upstream_get_*_peer: a peer for this attempt, or null (NGX_BUSY: no live upstreams). */
  pick(state: PickState, nowSec: number): Peer | null;
}

export interface MethodEnv {
  readonly random: RandomSource;
}

export type MethodFactory<M extends BalanceMethod = BalanceMethod> =
  (set: PeerSet, method: M, env: MethodEnv) => BalancerMethod;
