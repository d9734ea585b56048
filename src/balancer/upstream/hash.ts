/**
 * `hash KEY` without `consistent` (ngx_http_upstream_get_hash_peer), compatible with
 * Cache::Memcached. Per request `hash` and `rehash` start at 0; each probe does
 *
 *   h = (crc32([decimal(rehash) if rehash > 0] + KEY) >> 16) & 0x7fff
 *   hash += h; rehash++
 *   candidate = the peer whose weight slot holds hash % totalWeight   (`down` peers keep slots)
 *
 * A tried, down, failed or full candidate costs a try; after HASH_MAX_TRIES, an empty key, or a
 * `single` tier, it is round robin. hash and rehash carry over to the request's next attempt.
 *
 * Must not: allocate; the key is the evaluated byte string (RequestInfo.hashKey), hashed raw.
 */
import type { Peer } from './peers.js';
import { isEligible, peerAtWeight } from './peers.js';
import type { BalancerMethod, MethodFactory } from './method.js';
import { HASH_MAX_TRIES } from './method.js';
import type { PickState } from './pick-state.js';
import { getRoundRobinPeer } from './round-robin.js';
import { CRC32_INIT, crc32Binary, crc32Decimal, crc32Final } from './crc32.js';

function getHashPeer(state: PickState, nowSec: number): Peer | null {
  const tier = state.tier;
  if (state.pickTries > HASH_MAX_TRIES || tier.single || state.key.length === 0) {
    return getRoundRobinPeer(state, nowSec);
  }
  for (;;) {
    let crc = CRC32_INIT;
    if (state.rehash > 0) crc = crc32Decimal(crc, state.rehash);
    crc = crc32Binary(crc, state.key);
    state.hash += (crc32Final(crc) >>> 16) & 0x7fff;
    state.rehash++;
    const index = peerAtWeight(tier, state.hash % tier.totalWeight);
    const peer = tier.peers[index]!;
    if (!state.isTried(index) && isEligible(peer, nowSec)) return peer;
    if (++state.pickTries > HASH_MAX_TRIES) return getRoundRobinPeer(state, nowSec);
  }
}

const hash: BalancerMethod = {
  kind: 'hash',
  initRequest(): void {},
  pick: getHashPeer,
};

export const createHash: MethodFactory = () => hash;
