import t from 'tap';
import { behaviours as b, type Trigger } from '../behaviour.js';
import { compilePlan, compileTrigger } from './plan.js';

const fires = (trigger: Trigger, n: number, nowMs = 0): string =>
  Array.from({ length: n }, (_, i) => (compileTrigger(trigger, 0)(i + 1, nowMs) ? 'x' : '.')).join('');

t.test('every Nth: requests N, 2N, 3N …', async (t) => {
  t.equal(fires({ kind: 'every', every: 3 }, 9), '..x..x..x');
  t.equal(fires({ kind: 'every', every: 1 }, 4), 'xxxx');
});

t.test('a seeded probability draws the same sequence for the same seed', async (t) => {
  const draw = (seed: number): string => {
    const f = compileTrigger({ kind: 'probability', probability: 0.3, seed }, 0);
    return Array.from({ length: 1000 }, (_, i) => (f(i + 1, 0) ? 'x' : '.')).join('');
  };
  t.equal(draw(5), draw(5));
  t.not(draw(5), draw(6));
  const share = draw(5).split('').filter((c) => c === 'x').length / 1000;
  t.ok(share > 0.25 && share < 0.35, `share ${share}`);
  t.equal(fires({ kind: 'probability', probability: 0, seed: 1 }, 50), '.'.repeat(50));
  t.equal(fires({ kind: 'probability', probability: 1, seed: 1 }, 50), 'x'.repeat(50));
});

t.test('a schedule fires inside its half-open windows, measured from the plan start', async (t) => {
  const f = compileTrigger({ kind: 'schedule', windows: [{ fromMs: 100, toMs: 200 }, { fromMs: 500, toMs: Infinity }] }, 1000);
  t.same([1050, 1100, 1199, 1200, 1499, 1500, 99_999].map((ms) => f(1, ms)), [false, true, true, false, false, true, true]);
});

t.test('plans: actions decided per request, precomputed (the same object each time)', async (t) => {
  const reset = await compilePlan('a', b.reset('body', 2), 0);
  const kinds = [1, 2, 3, 4].map((n) => reset.decide('/', n, 0).kind);
  t.same(kinds, ['reply', 'reset', 'reply', 'reset']);
  t.equal(reset.decide('/', 1, 0), reset.decide('/', 3, 0), 'no allocation per request');
  const accept = await compilePlan('a', b.reset('accept', 2), 0);
  t.same([1, 2, 3, 4].map((n) => accept.resetAtAccept(n, 0)), [false, true, false, true]);
  t.equal(accept.decide('/', 2, 0).kind, 'reply', 'requests on surviving connections are answered');
  const slow = await compilePlan('a', b.slow({ delayMs: 10, jitterMs: 5, seed: 3 }), 0);
  const delays = Array.from({ length: 100 }, () => slow.delayMs({ delayMs: 10, jitterMs: 5, seed: 3 }));
  t.ok(delays.every((d) => d >= 10 && d < 15), 'delay + [0, jitter)');
});
