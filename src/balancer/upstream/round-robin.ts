/**
 * Smooth weighted round robin, the default method and every other method's fallback
 * (ngx_http_upstream_get_round_robin_peer + ngx_http_upstream_get_peer).
 *
 * Per round, over the eligible untried peers of the current tier, in config order:
 *   currentWeight += effectiveWeight; total += effectiveWeight;
 *   effectiveWeight < weight ? effectiveWeight++ ;
 *   best = the first peer with the strictly greatest currentWeight
 * then best.currentWeight -= total. Weights 5,1,1 give `a a b a c a a`.
 * A `single` tier only checks down and max_conns. No eligible peer: switch to the backup tier
 * once (tried set cleared) and try again there; still none: null (no live upstreams).
 *
 * Must not: allocate, or touch peers outside the current tier.
 */
import type { Peer, PeerTier } from './peers.js';
import { isEligible } from './peers.js';
import type { BalancerMethod, MethodFactory } from './method.js';
import type { PickState } from './pick-state.js';

export function getRoundRobinPeer(state: PickState, nowSec: number): Peer | null {
  for (;;) {
    const tier = state.tier;
    const peer = tier.single ? singlePeer(tier) : smoothWeightedPeer(tier, state, nowSec);
    if (peer !== null) return peer;
    if (!state.fallToBackup()) return null;
  }
}

function singlePeer(tier: PeerTier): Peer | null {
  const peer = tier.peers[0]!;
  if (peer.down || (peer.maxConns !== 0 && peer.conns >= peer.maxConns)) return null;
  return peer;
}

/** ngx_http_upstream_get_peer(): one round of smooth weighted round robin. */
export function smoothWeightedPeer(tier: PeerTier, state: PickState, nowSec: number): Peer | null {
  const peers = tier.peers;
  let best: Peer | null = null;
  let total = 0;
  for (let i = 0; i < peers.length; i++) {
    const peer = peers[i]!;
    if (state.isTried(i) || !isEligible(peer, nowSec)) continue;
    peer.currentWeight += peer.effectiveWeight;
    total += peer.effectiveWeight;
    if (peer.effectiveWeight < peer.weight) peer.effectiveWeight++;
    if (best === null || peer.currentWeight > best.currentWeight) best = peer;
  }
  if (best === null) return null;
  best.currentWeight -= total;
  return best;
}

const roundRobin: BalancerMethod = {
  kind: 'round_robin',
  initRequest(): void {},
  pick: getRoundRobinPeer,
};

export const createRoundRobin: MethodFactory = () => roundRobin;
