/**
 * ip_hash (ngx_http_upstream_get_ip_hash_peer). Per request the hash starts at 89; each probe
 * folds the key bytes in again and maps the result onto the weight slots of every primary peer
 * (`down` ones keep their slot):
 *
 *   for each key byte b: hash = (hash * 113 + b) % 6271
 *   candidate = the peer whose slot holds hash % totalWeight
 *
 * A tried, down, failed or full candidate costs a try and re-folds; after HASH_MAX_TRIES
 * (or on a `single` tier) it is round robin. The hash that found a peer is kept for the request's
 * next attempt. 127.0.X.Y hashes to 4040 + X: the last octet never matters.
 *
 * Must not: allocate; the key bytes are parsed once per request into PickState.addr.
 */
import { ipHashKey } from './client-address.js';
import type { Peer } from './peers.js';
import { isEligible, peerAtWeight } from './peers.js';
import type { BalancerMethod, MethodFactory } from './method.js';
import { HASH_MAX_TRIES } from './method.js';
import type { PickState } from './pick-state.js';
import { getRoundRobinPeer } from './round-robin.js';

/** ngx_http_upstream_init_ip_hash_peer: iphp->hash = 89. */
export const IP_HASH_SEED = 89;
/** ngx_http_upstream_get_ip_hash_peer: hash = (hash * 113 + byte) % 6271. */
export const IP_HASH_MULTIPLIER = 113;
export const IP_HASH_MODULUS = 6271;

function getIpHashPeer(state: PickState, nowSec: number): Peer | null {
  const tier = state.tier;
  if (state.pickTries > HASH_MAX_TRIES || tier.single) return getRoundRobinPeer(state, nowSec);
  const addr = state.addr;
  const addrLen = state.addrLen;
  let hash = state.hash;
  for (;;) {
    for (let i = 0; i < addrLen; i++) hash = (hash * IP_HASH_MULTIPLIER + addr[i]!) % IP_HASH_MODULUS;
    const index = peerAtWeight(tier, hash % tier.totalWeight);
    const peer = tier.peers[index]!;
    if (!state.isTried(index) && isEligible(peer, nowSec)) {
      state.hash = hash;
      return peer;
    }
    if (++state.pickTries > HASH_MAX_TRIES) return getRoundRobinPeer(state, nowSec);
  }
}

const ipHash: BalancerMethod = {
  kind: 'ip_hash',
  initRequest(state: PickState, clientAddress: string | null): void {
    state.hash = IP_HASH_SEED;
    state.addrLen = ipHashKey(clientAddress, state.addr);
  },
  pick: getIpHashPeer,
};

export const createIpHash: MethodFactory = () => ipHash;
