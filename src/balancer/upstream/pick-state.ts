/**
 * What one request carries between its picks (ngx_http_upstream_rr_peer_data_t plus the
 * method's own peer data): the tier in use, the tried set, and the method's scratch fields
 * (iphp->hash and ->tries, hp->hash, ->rehash and ->tries, rp->tries).
 *
 * Invariant: reused across requests without allocation. The tried set is a stamp per peer
 * compared with a generation number, so clearing it (new request, switch to backup) is O(1).
 * Must not: read the clock, change peers, or decide anything about retries.
 */
import type { PeerSet, PeerTier } from './peers.js';

export class PickState {
  readonly set: PeerSet;
  /** rrp->peers: the primary tier until this request falls over to the backup tier. */
  tier: PeerTier;
  /** Method scratch: ip_hash's running hash, hash's accumulated value, chash's point index. */
  hash = 0;
  /** Method scratch: hash's rehash counter (the decimal prefix of the next crc). */
  rehash = 0;
  /** Method scratch: unsuccessful picks so far; above HASH_MAX_TRIES a method falls back to round robin. */
  pickTries = 0;
  /** The evaluated `hash` key of this request ('' when the method has none). */
  key = '';
  /** The ip_hash key bytes: 3 for IPv4 and non-IP clients, 16 for IPv6. */
  readonly addr = new Uint8Array(16);
  addrLen = 3;
  readonly #stamps: Uint32Array;
  #generation = 1;

  constructor(set: PeerSet) {
    this.set = set;
    this.tier = set.primary;
    this.#stamps = new Uint32Array(set.maxTierSize);
  }

  /** ngx_http_upstream_init_round_robin_peer(): primary tier, nothing tried, scratch cleared. */
  reset(key: string): void {
    this.tier = this.set.primary;
    this.#clearTried();
    this.hash = 0;
    this.rehash = 0;
    this.pickTries = 0;
    this.key = key;
  }

  isTried(index: number): boolean {
    return this.#stamps[index] === this.#generation;
  }

  markTried(index: number): void {
    this.#stamps[index] = this.#generation;
  }

  /** The `failed:` label of get_round_robin_peer: move to the backup tier once, with a fresh tried set. */
  fallToBackup(): boolean {
    const backup = this.set.backup;
    if (backup === null || this.tier === backup) return false;
    this.tier = backup;
    this.#clearTried();
    return true;
  }

  #clearTried(): void {
    if (this.#generation === 0xffff_ffff) {
      this.#stamps.fill(0);
      this.#generation = 0;
    }
    this.#generation++;
  }
}
