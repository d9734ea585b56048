/**
 * least_conn (ngx_http_upstream_get_least_conn_peer): the eligible untried peer with the least
 * conns/weight, compared by cross-multiplication (a.conns * b.weight < b.conns * a.weight).
 * Several tied: one round of smooth weighted round robin over the tied peers only, starting at
 * the first of them. A single best touches no weights. So idle servers give round robin's sequence.
 * A `single` tier delegates to round robin; no eligible peer: the backup tier, as round robin.
 *
 * Must not: allocate; the two loops read best whole, as nginx's does.
 */
import type { Peer, PeerTier } from './peers.js';
import { isEligible } from './peers.js';
import type { BalancerMethod, MethodFactory } from './method.js';
import type { PickState } from './pick-state.js';
import { getRoundRobinPeer } from './round-robin.js';

function getLeastConnPeer(state: PickState, nowSec: number): Peer | null {
  if (state.tier.single) return getRoundRobinPeer(state, nowSec);
  for (;;) {
    const peer = leastConnPeer(state.tier, state, nowSec);
    if (peer !== null) return peer;
    if (!state.fallToBackup()) return null;
  }
}

function leastConnPeer(tier: PeerTier, state: PickState, nowSec: number): Peer | null {
  const peers = tier.peers;
  let best: Peer | null = null;
  let first = 0;
  let many = false;
  for (let i = 0; i < peers.length; i++) {
    const peer = peers[i]!;
    if (state.isTried(i) || !isEligible(peer, nowSec)) continue;
    if (best === null || peer.conns * best.weight < best.conns * peer.weight) {
      best = peer;
      first = i;
      many = false;
    } else if (peer.conns * best.weight === best.conns * peer.weight) {
      many = true;
    }
  }
  if (best === null || !many) return best;

  const tied = best;
  let total = 0;
  for (let i = first; i < peers.length; i++) {
    const peer = peers[i]!;
    if (state.isTried(i) || peer.conns * tied.weight !== tied.conns * peer.weight) continue;
    if (!isEligible(peer, nowSec)) continue;
    peer.currentWeight += peer.effectiveWeight;
    total += peer.effectiveWeight;
    if (peer.effectiveWeight < peer.weight) peer.effectiveWeight++;
    if (peer.currentWeight > best.currentWeight) best = peer;
  }
  best.currentWeight -= total;
  return best;
}

const leastConn: BalancerMethod = {
  kind: 'least_conn',
  initRequest(): void {},
  pick: getLeastConnPeer,
};

export const createLeastConn: MethodFactory = () => leastConn;
