/**
 * `hash KEY consistent`: ketama, compatible with Cache::Memcached::Fast with 160 points
 * (ngx_http_upstream_update_chash, ngx_http_upstream_find_chash_point, ngx_http_upstream_get_chash_peer).
 *
 * Ring, built once per peer set: for each primary peer (down included), split its `server` text
 * at the last `:` followed only by digits (`unix:` servers: the path, no port);
 *   base = crc32 state after host, one NUL byte, port (not finalised)
 *   point j = final(base + 4 little-endian bytes of point j-1's hash, 0 for j = 0), 160 x weight points
 * sorted, equal hashes dropped. Per request: the first point >= crc32(KEY), wrapping.
 * Per probe: smooth weighted round robin among the usable peers with that point's `server` text;
 * none: next point, a try; after HASH_MAX_TRIES, an empty key or a `single` tier, round robin.
 *
 * Must not: allocate per pick; the ring and the server groups are precomputed.
 */
import type { Peer, PeerSet } from './peers.js';
import { isEligible } from './peers.js';
import type { MethodFactory } from './method.js';
import { HASH_MAX_TRIES } from './method.js';
import type { PickState } from './pick-state.js';
import { getRoundRobinPeer } from './round-robin.js';
import { CRC32_INIT, crc32Binary, crc32Byte, crc32Final, crc32String, crc32Uint32Le } from './crc32.js';

/** ngx_http_upstream_update_chash: npoints = weight * 160. */
export const CHASH_POINTS_PER_WEIGHT = 160;

/** Sorted point hashes and, per point, the index of its server group. */
export interface ChashRing {
  readonly hashes: Uint32Array;
  readonly groups: Int32Array;
  /** Per server group (one distinct `server` text), the primary peer indices in config order. */
  readonly groupPeers: readonly Int32Array[];
}

/** Index of the first point whose hash is >= `hash` (may be the point count: callers wrap). */
export function findChashPoint(ring: ChashRing, hash: number): number {
  const hashes = ring.hashes;
  let i = 0;
  let j = hashes.length;
  while (i < j) {
    const k = (i + j) >>> 1;
    if (hash > hashes[k]!) i = k + 1;
    else j = k;
  }
  return i;
}

/** The crc32 state after `host \0 port` of one `server` text. */
function serverBaseCrc(server: string): number {
  let host = server;
  let port = '';
  if (server.length >= 5 && server.slice(0, 5).toLowerCase() === 'unix:') {
    host = server.slice(5);
  } else {
    const m = /:(\d*)$/.exec(server);
    if (m !== null) {
      host = server.slice(0, m.index);
      port = m[1]!;
    }
  }
  return crc32String(crc32Byte(crc32String(CRC32_INIT, host), 0), port);
}

/** GROUP_BITS low bits of a packed sort key hold the group index: hash * 2^21 + group stays exact in a double. */
const GROUP_BITS = 2 ** 21;

export function buildChashRing(set: PeerSet): ChashRing {
  const groupOf = new Map<string, number>();
  const members: number[][] = [];
  const packed: number[] = [];
  for (const peer of set.primary.peers) {
    let group = groupOf.get(peer.server);
    if (group === undefined) {
      group = members.length;
      groupOf.set(peer.server, group);
      members.push([]);
    }
    members[group]!.push(peer.index);
    const base = serverBaseCrc(peer.server);
    let prev = 0;
    for (let j = 0; j < peer.weight * CHASH_POINTS_PER_WEIGHT; j++) {
      prev = crc32Final(crc32Uint32Le(base, prev));
      packed.push(prev * GROUP_BITS + group);
    }
  }
  const sorted = Float64Array.from(packed).sort();
  const hashes: number[] = [];
  const groups: number[] = [];
  for (const key of sorted) {
    const h = Math.floor(key / GROUP_BITS);
    if (hashes.length > 0 && hashes[hashes.length - 1] === h) continue;
    hashes.push(h);
    groups.push(key - h * GROUP_BITS);
  }
  return {
    hashes: Uint32Array.from(hashes),
    groups: Int32Array.from(groups),
    groupPeers: members.map((m) => Int32Array.from(m)),
  };
}

function chashPeer(ring: ChashRing, state: PickState, nowSec: number): Peer | null {
  const tier = state.tier;
  if (state.pickTries > HASH_MAX_TRIES || tier.single || state.key.length === 0) {
    return getRoundRobinPeer(state, nowSec);
  }
  const points = ring.hashes.length;
  for (;;) {
    const members = ring.groupPeers[ring.groups[state.hash % points]!]!;
    let best: Peer | null = null;
    let total = 0;
    for (let k = 0; k < members.length; k++) {
      const index = members[k]!;
      const peer = tier.peers[index]!;
      if (state.isTried(index) || !isEligible(peer, nowSec)) continue;
      peer.currentWeight += peer.effectiveWeight;
      total += peer.effectiveWeight;
      if (peer.effectiveWeight < peer.weight) peer.effectiveWeight++;
      if (best === null || peer.currentWeight > best.currentWeight) best = peer;
    }
    if (best !== null) {
      best.currentWeight -= total;
      return best;
    }
    state.hash++;
    if (++state.pickTries > HASH_MAX_TRIES) return getRoundRobinPeer(state, nowSec);
  }
}

export const createConsistentHash: MethodFactory = (set) => {
  const ring = buildChashRing(set);
  return {
    kind: 'hash',
    initRequest(state: PickState): void {
      state.hash = findChashPoint(ring, crc32Final(crc32Binary(CRC32_INIT, state.key)));
    },
    pick: (state, nowSec) => chashPeer(ring, state, nowSec),
  };
};
