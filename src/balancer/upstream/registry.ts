/**
 * Balancing method kind -> factory. A new method is one new file and one line here; the mapped
 * type makes a missing kind a compile error.
 *
 * Must not: hold state; each factory call builds what one peer set needs (e.g. the ketama ring).
 */
import type { BalanceMethod } from '../../config/model.js';
import type { BalancerMethod, MethodEnv, MethodFactory } from './method.js';
import type { PeerSet } from './peers.js';
import { createRoundRobin } from './round-robin.js';
import { createLeastConn } from './least-conn.js';
import { createIpHash } from './ip-hash.js';
import { createHash } from './hash.js';
import { createConsistentHash } from './chash.js';
import { createRandom } from './random.js';

type Registry = { readonly [K in BalanceMethod['kind']]: MethodFactory<Extract<BalanceMethod, { kind: K }>> };

export const METHODS: Registry = {
  round_robin: createRoundRobin,
  least_conn: createLeastConn,
  ip_hash: createIpHash,
  hash: (set, method, env) => (method.consistent ? createConsistentHash : createHash)(set, method, env),
  random: createRandom,
};

export function createMethod(set: PeerSet, method: BalanceMethod, env: MethodEnv): BalancerMethod {
  const factory = METHODS[method.kind] as MethodFactory;
  return factory(set, method, env);
}
