import t from 'tap';
import { FakeClock } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import { LEAST_CONN, RR, upstream } from './testing.js';
import type { Backend } from './simulate.js';
import { HOLD, OK, counts, port, send } from './simulate.js';

const P = (n: number) => `127.0.0.1:${8080 + n}`;

t.test('upstream_least_conn.t balanced: 10 quick sequential requests -> 5, 5, alternating', async (t) => {
  const b = createBalancer(upstream('u', LEAST_CONN, [P(1), P(2)]));
  const answered = Array.from({ length: 10 }, () => send(b, () => OK).answeredBy);
  t.equal(counts(b.peers, answered, port), '8081: 5, 8082: 5');
  t.same(answered.slice(0, 4).map((n) => port(n!)), ['8081', '8082', '8081', '8082']);
});

t.test('upstream_least_conn.t least conn: 8081 holds a slow request, the next 10 go to 8082', async (t) => {
  const b = createBalancer(upstream('u', LEAST_CONN, [P(1), P(2)]));
  const slow: Backend = (p) => (p.name === P(1) ? HOLD : OK);
  const opening = [send(b, slow), send(b, slow)];
  t.same(opening.map((ex) => port(ex.answeredBy!)), ['8081', '8082']);
  const answered = Array.from({ length: 10 }, () => send(b, slow).answeredBy);
  t.equal(counts(b.peers, answered, port), '8082: 10');
});

t.test('§11.20 with idle servers least_conn gives round robin\'s exact sequence', async (t) => {
  for (const weights of ['5,1,1', '1,2', '3,2,1', '4,3,2', '1,1,2', '10,1']) {
    const servers = weights.split(',').map((w, i) => `${'abc'[i]} weight=${w}`);
    const seq = (method: typeof RR) => {
      const b = createBalancer(upstream('u', method, servers));
      return Array.from({ length: 40 }, () => send(b, () => OK).answeredBy).join(' ');
    };
    t.equal(seq(LEAST_CONN), seq(RR), `weights ${weights}`);
  }
});

t.test('§3.5 conns/weight compared by cross-multiplication; ties by weighted round robin over the tied', async (t) => {
  const b = createBalancer(upstream('u', LEAST_CONN, ['a weight=2', 'b', 'c']));
  const held = send(b, () => HOLD);
  t.equal(held.answeredBy, 'a', 'all idle: round robin over all, a (weight 2) first');
  t.equal(send(b, () => HOLD).answeredBy, 'b', 'a: 1/2, b and c: 0 -> b and c tie, b first');
  t.equal(send(b, () => HOLD).answeredBy, 'c', 'a: 1/2, c: 0');
  t.equal(send(b, () => HOLD).answeredBy, 'a', 'a: 1/2 beats b: 1/1 and c: 1/1');
  t.equal(send(b, () => HOLD).answeredBy, 'c',
    'a, b, c all at 1 per weight: the tied round carries currentWeights (a 0, b 1, c 3) -> c');
});

t.test('§3.5 a single best touches no weights', async (t) => {
  const b = createBalancer(upstream('u', LEAST_CONN, ['a', 'b']));
  send(b, () => HOLD);
  const before = b.peers.primary.peers.map((p) => [p.currentWeight, p.effectiveWeight]);
  t.equal(send(b, () => OK).answeredBy, 'b');
  t.same(b.peers.primary.peers.map((p) => [p.currentWeight, p.effectiveWeight]), before);
});

t.test('least_conn: a failed peer is skipped for fail_timeout, and a single peer delegates to round robin', async (t) => {
  const clock = new FakeClock();
  const b = createBalancer(upstream('u', LEAST_CONN, ['a', 'b']), { clock });
  t.equal(send(b, (p) => (p.name === 'a' ? { kind: 'refuse' } : OK)).upstreamAddr, 'a, b');
  t.same(Array.from({ length: 4 }, () => send(b, () => OK).answeredBy), ['b', 'b', 'b', 'b']);
  const single = createBalancer(upstream('u', LEAST_CONN, ['a']));
  t.same(Array.from({ length: 3 }, () => send(single, () => ({ kind: 'refuse' })).upstreamAddr), ['a', 'a', 'a']);
});
