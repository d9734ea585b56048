/**
 * eventNow() holds one time for all the handling of a read (what the balancer's timings and
 * deadlines count from) and is the live clock again once the read's handler returns, or throws.
 */
import t from 'tap';
import { atEvent, eventNow } from './event-time.js';

/** Spins until performance.now() has moved by `ms`. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

t.test('inside a read the time is the read\'s; outside it is now', async (t) => {
  const before = performance.now();
  const seen: number[] = [];
  atEvent((a: number, b: number) => {
    seen.push(eventNow());
    spin(a);
    seen.push(eventNow());
    // a handler nested in the read keeps the read's time
    atEvent(() => { spin(b); seen.push(eventNow()); }, 0, 0);
    seen.push(eventNow());
  }, 3, 2);
  const after = eventNow();
  t.ok(seen[0]! >= before, 'the time the read began');
  t.same(seen, [seen[0], seen[0], seen[0], seen[0]], 'one time for the whole read, nested handling included');
  t.ok(after - seen[0]! >= 5, `live again after it: ${(after - seen[0]!).toFixed(1)} ms later`);
});

t.test('a handler that throws leaves the clock live', async (t) => {
  t.throws(() => atEvent(() => { throw new Error('boom'); }, 0, 0), /boom/);
  const a = eventNow();
  spin(2);
  t.ok(eventNow() - a >= 2, 'the clock moves again');
});
