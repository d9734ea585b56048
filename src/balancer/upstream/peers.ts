/**
 * The peer set shared by every balancing method: nginx's round-robin base
 * (ngx_http_upstream_init_round_robin). One `Peer` per resolved address, a primary tier and an
 * optional backup tier (`peers` and `peers->next`), each with its total weight, tries and `single`.
 *
 * Invariant: built once per upstream per worker; only the mutable run-time fields of `Peer`
 * (effectiveWeight, currentWeight, conns, fails, checked, accessed) change afterwards.
 * Must not: know about any balancing method, requests or sockets.
 */
import type { PeerAddress, Upstream } from '../../config/model.js';
import { LbtestError } from '../../core/errors.js';

/** One resolved address of an upstream `server` line (ngx_http_upstream_rr_peer_t). */
export class Peer {
  /** What $upstream_addr prints: `127.0.0.1:8081`, `[::1]:8081`, `unix:/tmp/s`. */
  readonly name: string;
  readonly address: PeerAddress;
  /** The `server` line's address as written; the ketama ring hashes it (peer->server). */
  readonly server: string;
  /** Position in its tier: the bit of the per-request tried set. */
  readonly index: number;
  readonly backup: boolean;
  readonly weight: number;
  readonly maxConns: number;
  readonly maxFails: number;
  readonly failTimeoutMs: number;
  /** fail_timeout in whole seconds, compared with ngx_time() differences. */
  readonly failTimeoutSec: number;
  readonly down: boolean;
  effectiveWeight: number;
  currentWeight = 0;
  /** Connections selected and not yet released (this worker). */
  conns = 0;
  fails = 0;
  /** Whole seconds (ngx_time()): last failure or last probe selection. */
  checked = 0;
  /** Whole seconds (ngx_time()): last failure. */
  accessed = 0;

  constructor(init: {
    name: string; address: PeerAddress; server: string; index: number; backup: boolean;
    weight: number; maxConns: number; maxFails: number; failTimeoutMs: number; down: boolean;
  }) {
    this.name = init.name;
    this.address = init.address;
    this.server = init.server;
    this.index = init.index;
    this.backup = init.backup;
    this.weight = init.weight;
    this.effectiveWeight = init.weight;
    this.maxConns = init.maxConns;
    this.maxFails = init.maxFails;
    this.failTimeoutMs = init.failTimeoutMs;
    this.failTimeoutSec = Math.floor(init.failTimeoutMs / 1000);
    this.down = init.down;
  }
}

/** One list of peers, primary or backup (ngx_http_upstream_rr_peers_t). */
export interface PeerTier {
  readonly peers: readonly Peer[];
  readonly number: number;
  /** Sum of weights of every peer, `down` included: hash slots survive `down`. */
  readonly totalWeight: number;
  /** Cumulative weight at the end of each peer's slot range, for hash and random lookups. */
  readonly slotEnds: Float64Array;
  /** Peers that are not `down`: this tier's share of ngx_http_upstream_tries(). */
  readonly tries: number;
  /** Exactly one primary address and no backup tier: max_fails is ignored, no retry. */
  readonly single: boolean;
  readonly backup: boolean;
}

export interface PeerSet {
  /** The upstream's name: $upstream_addr when no peer could be selected. */
  readonly name: string;
  readonly primary: PeerTier;
  readonly backup: PeerTier | null;
  /** ngx_http_upstream_tries(): non-down primary plus non-down backup peers. */
  readonly tries: number;
  /** The larger tier's size: how many bits a tried set needs. */
  readonly maxTierSize: number;
}

/** ngx_http_upstream_init_round_robin(): one peer per address, primary and backup tiers. */
export function createPeerSet(upstream: Upstream): PeerSet {
  const primaryPeers = buildPeers(upstream, false);
  const backupPeers = buildPeers(upstream, true);
  if (primaryPeers.length === 0) {
    const { file, line } = upstream.source;
    throw new LbtestError('CONF_VALUE', `no servers in upstream "${upstream.name}" in ${file}:${line}`,
      { location: { file, line } });
  }
  const backup = backupPeers.length === 0 ? null : buildTier(backupPeers, false, true);
  const primary = buildTier(primaryPeers, backup === null && primaryPeers.length === 1, false);
  return {
    name: upstream.name,
    primary,
    backup,
    tries: primary.tries + (backup === null ? 0 : backup.tries),
    maxTierSize: Math.max(primary.number, backup === null ? 0 : backup.number),
  };
}

function buildPeers(upstream: Upstream, backup: boolean): Peer[] {
  const peers: Peer[] = [];
  for (const server of upstream.servers) {
    if (server.backup !== backup) continue;
    for (const address of server.addresses) {
      peers.push(new Peer({
        name: address.name, address, server: server.address, index: peers.length, backup,
        weight: server.weight, maxConns: server.maxConns, maxFails: server.maxFails,
        failTimeoutMs: server.failTimeoutMs, down: server.down,
      }));
    }
  }
  return peers;
}

function buildTier(peers: Peer[], single: boolean, backup: boolean): PeerTier {
  const slotEnds = new Float64Array(peers.length);
  let totalWeight = 0;
  let tries = 0;
  for (const peer of peers) {
    totalWeight += peer.weight;
    slotEnds[peer.index] = totalWeight;
    if (!peer.down) tries++;
  }
  return { peers, number: peers.length, totalWeight, slotEnds, tries, single, backup };
}

/**
 * The eligibility test every method applies (besides the per-request tried set):
 * not down, not failed within fail_timeout (`<=` on whole seconds), not at max_conns.
 */
export function isEligible(peer: Peer, nowSec: number): boolean {
  if (peer.down) return false;
  if (peer.maxFails !== 0 && peer.fails >= peer.maxFails && nowSec - peer.checked <= peer.failTimeoutSec) {
    return false;
  }
  return peer.maxConns === 0 || peer.conns < peer.maxConns;
}

/**
 * The peer whose weight slot holds `w` (0 <= w < totalWeight): nginx walks the list subtracting
 * weights (ip_hash, hash) or binary-searches range starts (random); both find this peer.
 */
export function peerAtWeight(tier: PeerTier, w: number): number {
  const ends = tier.slotEnds;
  let lo = 0;
  let hi = tier.number - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (w < ends[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
