/**
 * Passive health: what happens to a peer when it is selected and when it is released, exactly
 * as nginx's round-robin base does it for every method (the tail of each get_*_peer function and
 * ngx_http_upstream_free_round_robin_peer). Times are whole seconds (ngx_time()).
 *
 *   select:  tried; if now - checked > fail_timeout: checked = now; conns++
 *   failed:  fails++; accessed = checked = now; if max_fails: effectiveWeight -= weight / max_fails
 *            (integer division), clamped at 0
 *   success: if accessed < checked: fails = 0          (only a probe after a window resets fails)
 *   single:  conns-- and nothing else; the caller ends the retries
 *
 * Invariant: conns goes up once per selection and down once per release.
 * Must not: decide about retries or statuses (UpstreamRequest does), allocate.
 */
import type { Peer, PeerTier } from './peers.js';
import type { PickState } from './pick-state.js';

/** The bookkeeping that follows a method's choice. */
export function takePeer(state: PickState, peer: Peer, nowSec: number): void {
  if (!state.tier.single) {
    state.markTried(peer.index);
    if (nowSec - peer.checked > peer.failTimeoutSec) peer.checked = nowSec;
  }
  peer.conns++;
}

/** What a release means for the peer (nginx's NGX_PEER_FAILED vs 0 / NGX_PEER_NEXT). */
export type ReleaseState = 'failed' | 'ok';

/**
 * ngx_http_upstream_free_round_robin_peer(). Returns true when this failure took the peer to its
 * max_fails (nginx's "upstream server temporarily disabled" warning).
 */
export function freePeer(tier: PeerTier, peer: Peer, release: ReleaseState, nowSec: number): boolean {
  peer.conns--;
  if (tier.single) return false;
  if (release === 'ok') {
    if (peer.accessed < peer.checked) peer.fails = 0;
    return false;
  }
  peer.fails++;
  peer.accessed = nowSec;
  peer.checked = nowSec;
  if (peer.maxFails === 0) return false;
  peer.effectiveWeight -= Math.floor(peer.weight / peer.maxFails);
  if (peer.effectiveWeight < 0) peer.effectiveWeight = 0;
  return peer.fails >= peer.maxFails;
}
