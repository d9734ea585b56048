import t from 'tap';
import type { RandomSource } from '../../core/clock.js';
import { FakeClock, seededRandom } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import { RANDOM, RANDOM_TWO, upstream } from './testing.js';
import type { Backend } from './simulate.js';
import { CLOSE, HOLD, OK, counts, port, send } from './simulate.js';

const P = (n: number) => `127.0.0.1:${8080 + n}`;
const SEEDS = [1, 2, 3, 42, 1234];

/** A RandomSource that replays `values`, then repeats the last one. */
function scripted(...values: number[]): RandomSource {
  let i = 0;
  return { next: () => values[Math.min(i++, values.length - 1)]! };
}

t.test('upstream_random.t u: random over 8081, 8082 and 8083 down never picks 8083, and picks both', async (t) => {
  const b = createBalancer(upstream('u', RANDOM, [P(1), P(2), `${P(3)} down`]), { random: seededRandom(7) });
  const answered = new Set(Array.from({ length: 200 }, () => send(b, () => OK).answeredBy));
  t.same([...answered].sort(), [P(1), P(2)]);
});

t.test('random follows weights (seeded; statistical, 5% tolerance)', async (t) => {
  const b = createBalancer(upstream('u', RANDOM, [P(1), `${P(2)} weight=3`]), { random: seededRandom(99) });
  const n = 20_000;
  const second = Array.from({ length: n }, () => send(b, () => OK).answeredBy).filter((x) => x === P(2)).length;
  t.ok(Math.abs(second / n - 0.75) < 0.05, `8082 share ${(second / n).toFixed(3)}`);
});

t.test('random: a seed replays the same sequence', async (t) => {
  const seq = (seed: number) => {
    const b = createBalancer(upstream('u', RANDOM, [P(1), P(2), P(3)]), { random: seededRandom(seed) });
    return Array.from({ length: 30 }, () => port(send(b, () => OK).answeredBy!)).join(' ');
  };
  t.equal(seq(5), seq(5));
  t.not(seq(5), seq(6));
});

t.test('§3.6 random two: the second pick wins a tie; the first only when the second is strictly more loaded', async (t) => {
  const pair = (random: RandomSource, holdOn: string | null) => {
    const b = createBalancer(upstream('lc', RANDOM_TWO, ['a', 'b']), { random });
    if (holdOn !== null) b.peers.primary.peers.find((p) => p.name === holdOn)!.conns = 1;
    return send(b, () => OK).answeredBy;
  };
  t.equal(pair(scripted(0, 1), null), 'b', 'picks a then b, tie -> b');
  t.equal(pair(scripted(1, 0), null), 'a', 'picks b then a, tie -> a');
  t.equal(pair(scripted(0, 1), 'b'), 'a', 'second (b) more loaded -> first');
  t.equal(pair(scripted(1, 0), 'b'), 'a', 'first (b) more loaded -> second');
  t.equal(pair(scripted(0, 0, 0, 1), null), 'b', 'the same peer twice does not make a pair');
});

t.test('upstream_random.t random wait: with one slow request held, the next goes to the other server', async (t) => {
  for (const seed of SEEDS) {
    const b = createBalancer(upstream('lc', RANDOM_TWO, [P(1), P(2)]), { random: seededRandom(seed) });
    const slow = send(b, () => HOLD).answeredBy;
    t.not(send(b, () => OK).answeredBy, slow, `seed ${seed}`);
  }
});

t.test('upstream_random.t w: random two least_conn, 8082 weight=2, parallel 3 -> 1, 2', async (t) => {
  for (const seed of SEEDS) {
    const b = createBalancer(upstream('w', RANDOM_TWO, [P(1), `${P(2)} weight=2`]), { random: seededRandom(seed) });
    const answered = Array.from({ length: 3 }, () => send(b, () => HOLD).answeredBy);
    t.equal(counts(b.peers, answered, port), '8081: 1, 8082: 2', `seed ${seed}`);
  }
});

t.test('upstream_random.t mc / mc2: 8081 max_conns=2, 8082 max_conns=1, parallel 4 -> 2, 1', async (t) => {
  for (const method of [RANDOM, RANDOM_TWO]) {
    for (const seed of SEEDS) {
      const b = createBalancer(upstream('mc', method, [`${P(1)} max_conns=2`, `${P(2)} max_conns=1`]), { random: seededRandom(seed) });
      const ex = Array.from({ length: 4 }, () => send(b, () => HOLD));
      t.equal(counts(b.peers, ex.map((e) => e.answeredBy), port), '8081: 2, 8082: 1', `two=${method.kind === 'random' && method.two} seed ${seed}`);
      t.same([ex[3]!.status, ex[3]!.upstreamAddr], [502, 'mc'], 'the 4th: no live upstreams');
    }
  }
});

t.test('upstream_random.t single variants always use the one server', async (t) => {
  for (const method of [RANDOM, RANDOM_TWO]) {
    const b = createBalancer(upstream('one', method, [P(1)]), { random: seededRandom(3) });
    t.same(new Set(Array.from({ length: 10 }, () => send(b, () => OK).answeredBy)), new Set([P(1)]));
  }
});

t.test('upstream_random.t failures: 8081 drops /close, 10 requests -> 8082: 10', async (t) => {
  for (const method of [RANDOM, RANDOM_TWO]) {
    for (const seed of SEEDS) {
      const b = createBalancer(upstream('u', method, [P(1), P(2)]), { random: seededRandom(seed), clock: new FakeClock() });
      const drop: Backend = (p) => (p.name === P(1) ? CLOSE : OK);
      const answered = Array.from({ length: 10 }, () => send(b, drop).answeredBy);
      t.equal(counts(b.peers, answered, port), '8082: 10', `seed ${seed}`);
    }
  }
});

t.test('§3.6 after more than 20 unsuccessful picks random falls back to round robin', async (t) => {
  const b = createBalancer(upstream('u', RANDOM, ['a down', 'b', 'c']), { random: scripted(0) });
  t.same(Array.from({ length: 3 }, () => send(b, () => OK).answeredBy), ['b', 'c', 'b'], 'the peek always lands on a');
});
