/**
 * `random` and `random two [least_conn]` (ngx_http_upstream_get_random_peer,
 * ngx_http_upstream_get_random2_peer, ngx_http_upstream_peek_random_peer).
 *
 * peek: x = random() % totalWeight, the peer whose weight slot holds x (down peers keep slots).
 * random: peek until an untried usable peer; every miss is a try.
 * random two: peek a first usable peer, then a second distinct one; take the second unless it is
 *   strictly more loaded (second.conns * first.weight > first.conns * second.weight): a tie goes
 *   to the second. Every peek except the one that completes the pair is a try.
 * After HASH_MAX_TRIES, or on a `single` tier, it is round robin.
 *
 * Must not: allocate; the random source is injected and seedable.
 */
import type { RandomSource } from '../../core/clock.js';
import type { Peer } from './peers.js';
import { isEligible, peerAtWeight } from './peers.js';
import type { BalancerMethod, MethodFactory } from './method.js';
import { HASH_MAX_TRIES } from './method.js';
import type { PickState } from './pick-state.js';
import { getRoundRobinPeer } from './round-robin.js';

function peek(state: PickState, random: RandomSource): number {
  return peerAtWeight(state.tier, random.next() % state.tier.totalWeight);
}

function getRandomPeer(random: RandomSource, state: PickState, nowSec: number): Peer | null {
  if (state.pickTries > HASH_MAX_TRIES || state.tier.single) return getRoundRobinPeer(state, nowSec);
  for (;;) {
    const index = peek(state, random);
    const peer = state.tier.peers[index]!;
    if (!state.isTried(index) && isEligible(peer, nowSec)) return peer;
    if (++state.pickTries > HASH_MAX_TRIES) return getRoundRobinPeer(state, nowSec);
  }
}

function getRandom2Peer(random: RandomSource, state: PickState, nowSec: number): Peer | null {
  if (state.pickTries > HASH_MAX_TRIES || state.tier.single) return getRoundRobinPeer(state, nowSec);
  let first: Peer | null = null;
  for (;;) {
    const index = peek(state, random);
    const peer = state.tier.peers[index]!;
    if (peer !== first && !state.isTried(index) && isEligible(peer, nowSec)) {
      if (first !== null) {
        return peer.conns * first.weight > first.conns * peer.weight ? first : peer;
      }
      first = peer;
    }
    if (++state.pickTries > HASH_MAX_TRIES) return getRoundRobinPeer(state, nowSec);
  }
}

export const createRandom: MethodFactory<{ readonly kind: 'random'; readonly two: boolean }> = (_set, method, env) => {
  const random = env.random;
  const pick = method.two ? getRandom2Peer : getRandomPeer;
  const balancer: BalancerMethod = {
    kind: 'random',
    initRequest(): void {},
    pick: (state, nowSec) => pick(random, state, nowSec),
  };
  return balancer;
};
