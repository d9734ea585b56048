import t from 'tap';
import { FakeClock } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import { RR, upstream } from './testing.js';
import type { Backend } from './simulate.js';
import { CLOSE, OK, attemptsOf, counts, port, send } from './simulate.js';

const NAMES = ['a', 'b', 'c'];

function weighted(weights: string): string[] {
  return weights.split(',').map((w, i) => `${NAMES[i]} weight=${w}`);
}

function sequence(servers: string[], n: number, backend: Backend = () => OK, clock = new FakeClock()): string {
  const b = createBalancer(upstream('u', RR, servers), { clock });
  return Array.from({ length: n }, () => attemptsOf(send(b, backend))).join(' ');
}

t.test('NGINX-UPSTREAM §1.3: one full cycle per weight set, repeated exactly', async (t) => {
  const cycles: [string, string][] = [
    ['5,1,1', 'a a b a c a a'],
    ['1,2', 'b a b'],
    ['2,1', 'a b a'],
    ['1,1,1', 'a b c'],
    ['3,2,1', 'a b a c b a'],
    ['4,3,2', 'a b c a b a c b a'],
    ['1,1,2', 'c a b c'],
    ['10,1', 'a a a a a b a a a a a'],
  ];
  for (const [weights, cycle] of cycles) {
    const n = cycle.split(' ').length;
    t.equal(sequence(weighted(weights), 3 * n), [cycle, cycle, cycle].join(' '), `weights ${weights}`);
  }
});

t.test('after a full cycle every currentWeight is back to 0', async (t) => {
  const b = createBalancer(upstream('u', RR, weighted('4,3,2')));
  for (let i = 0; i < 9; i++) send(b, () => OK);
  t.same(b.peers.primary.peers.map((p) => p.currentWeight), [0, 0, 0]);
});

t.test('stream_upstream.t weight: 1,2 over 30 requests is exactly 10/20', async (t) => {
  const b = createBalancer(upstream('u', RR, ['127.0.0.1:8081', '127.0.0.1:8082 weight=2']));
  const answered = Array.from({ length: 30 }, () => send(b, () => OK).answeredBy);
  t.equal(counts(b.peers, answered, port), '8081: 10, 8082: 20');
});

t.test('upstream.t balanced: equal weights over 30 requests is 15/15', async (t) => {
  const b = createBalancer(upstream('u', RR, ['127.0.0.1:8081 max_fails=3', '127.0.0.1:8082 max_fails=3']));
  const answered = Array.from({ length: 30 }, () => send(b, () => OK).answeredBy);
  t.equal(counts(b.peers, answered, port), '8081: 15, 8082: 15');
});

t.test('§1.4: weights 5,1,1, a (max_fails=3 fail_timeout=30s) fails once and ramps back', async (t) => {
  let failed = false;
  const backend: Backend = (peer) => {
    if (peer.name === 'a' && !failed) { failed = true; return CLOSE; }
    return OK;
  };
  const servers = ['a weight=5 max_fails=3 fail_timeout=30s', 'b', 'c'];
  t.equal(sequence(servers, 14, backend), 'a+b c a a b a a a c a a b a a');
});

t.test('§1.4: two peers, a comes back with effectiveWeight 0, loses two rounds, then alternates', async (t) => {
  const clock = new FakeClock();
  const b = createBalancer(upstream('u', RR, ['a', 'b']), { clock });
  t.equal(attemptsOf(send(b, (p) => (p.name === 'a' ? CLOSE : OK))), 'a+b');
  t.equal(b.peers.primary.peers[0]!.effectiveWeight, 0);
  const during = Array.from({ length: 4 }, () => attemptsOf(send(b, () => OK))).join(' ');
  t.equal(during, 'b b b b', 'a is out for its fail_timeout');
  clock.advance(11_000);
  const after = Array.from({ length: 7 }, () => attemptsOf(send(b, () => OK))).join(' ');
  t.equal(after, 'b b a b a b a');
  t.equal(b.peers.primary.peers[0]!.fails, 0, 'the successful probe reset fails');
});

t.test('§11.4 ties go to the earlier server in config order', async (t) => {
  t.equal(sequence(['a', 'b', 'c'], 3), 'a b c');
  t.equal(sequence(['c', 'b', 'a'], 3), 'c b a');
});

t.test('§11.21 state is per balancer: a reload (new balancer) restarts the sequence', async (t) => {
  const u = upstream('u', RR, weighted('5,1,1'));
  const worker1 = createBalancer(u);
  const worker2 = createBalancer(u);
  const first = Array.from({ length: 3 }, () => send(worker1, () => OK).answeredBy).join(' ');
  t.equal(first, 'a a b');
  t.equal(Array.from({ length: 3 }, () => send(worker2, () => OK).answeredBy).join(' '), 'a a b',
    'another worker has its own sequence');
  const reloaded = createBalancer(u);
  t.equal(Array.from({ length: 7 }, () => send(reloaded, () => OK).answeredBy).join(' '), 'a a b a c a a');
});

t.test('§11.22 duplicate server lines are distinct peers, each with its own counters', async (t) => {
  const b = createBalancer(upstream('u', RR, ['127.0.0.1:8081', '127.0.0.1:8081']));
  const ex = send(b, () => CLOSE);
  t.equal(ex.upstreamAddr, '127.0.0.1:8081, 127.0.0.1:8081');
  t.same(b.peers.primary.peers.map((p) => p.fails), [1, 1]);
});
