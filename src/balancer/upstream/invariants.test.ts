import t from 'tap';
import type { BalanceMethod } from '../../config/model.js';
import { FakeClock, seededRandom } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import { compileRetryPolicy } from './next-upstream.js';
import { CHASH, HASH, IP_HASH, LEAST_CONN, RANDOM, RANDOM_TWO, RR, upstream } from './testing.js';
import type { Exchange, Reply } from './simulate.js';
import { send } from './simulate.js';

const METHODS: BalanceMethod[] = [RR, LEAST_CONN, IP_HASH, HASH, CHASH, RANDOM, RANDOM_TWO];
const REPLIES: Reply[] = [
  { kind: 'respond', status: 200 }, { kind: 'respond', status: 200, hold: true }, { kind: 'respond', status: 404 },
  { kind: 'respond', status: 500 }, { kind: 'respond', status: 502 }, { kind: 'refuse' }, { kind: 'close' },
  { kind: 'timeout', phase: 'connect' }, { kind: 'timeout', phase: 'read' }, { kind: 'invalid_header' },
];
const FLAGS = ['error', 'timeout', 'invalidHeader', 'http500', 'http502', 'http404', 'nonIdempotent'] as const;

t.test('random traffic: conns balance, tries never go negative, one $upstream_addr entry per attempt', async (t) => {
  for (const method of METHODS) {
    const rnd = seededRandom(METHODS.indexOf(method) + 11);
    const pick = <T>(xs: readonly T[]): T => xs[rnd.next() % xs.length]!;
    const clock = new FakeClock();
    const servers = ['a weight=2 max_fails=2 fail_timeout=3s', 'b max_conns=3', 'c down', 'd fail_timeout=1s', 'e'];
    if (method === RR || method === LEAST_CONN) servers.push('f backup', 'g backup max_conns=1');
    const b = createBalancer(upstream('u', method, servers), { clock, random: rnd });
    const held: Exchange[] = [];
    let attempts = 0;
    let minTries = Infinity;
    let entries = 0;
    for (let i = 0; i < 3000; i++) {
      clock.advance(rnd.next() % 400);
      const mask = Object.fromEntries(FLAGS.map((f) => [f, rnd.next() % 2 === 0]));
      const policy = compileRetryPolicy({
        nextUpstream: { http503: false, http504: false, http403: false, http429: false, ...mask } as never,
        nextUpstreamTries: rnd.next() % 4, nextUpstreamTimeoutMs: pick([0, 0, 500]),
      });
      const ex = send(b, () => pick(REPLIES), {
        policy, method: pick(['GET', 'POST']), hashKey: `k${rnd.next() % 50}`, clientAddress: `10.0.${rnd.next() % 40}.1`,
        clock, attemptMs: rnd.next() % 200,
      });
      minTries = Math.min(minTries, ex.request.tries);
      attempts += ex.request.attempts;
      entries += ex.upstreamAddr.split(', ').length;
      if (ex.request.phase === 'passing') held.push(ex);
      if (held.length > 4 || rnd.next() % 3 === 0) held.shift()?.request.finish();
    }
    for (const ex of held) ex.request.finish();
    const all = [...b.peers.primary.peers, ...(b.peers.backup?.peers ?? [])];
    t.same(all.map((p) => p.conns), all.map(() => 0), `${method.kind}: every selection was released`);
    t.equal(entries, attempts, `${method.kind}: one entry per attempt`);
    t.ok(minTries >= 0, `${method.kind}: tries never below 0`);
    t.ok(all.every((p) => p.effectiveWeight >= 0 && p.effectiveWeight <= p.weight), `${method.kind}: 0 <= effectiveWeight <= weight`);
  }
});
