/**
 * The cached wall clock agrees with Date.now() (to the few ms two reads apart can differ), for
 * now and for an earlier performance.now() reading.
 */
import t from 'tap';
import { wallNow } from './wall-clock.js';

t.test('wallNow() is Date.now() without the call', async (t) => {
  for (let i = 0; i < 3; i++) {
    const d = Date.now();
    t.ok(Math.abs(wallNow() - d) <= 5, `now: ${wallNow() - d} ms apart`);
  }
  const perf = performance.now();
  const then = Date.now();
  await new Promise((r) => setTimeout(r, 20));
  t.ok(Math.abs(wallNow(perf) - then) <= 5, 'an earlier reading maps to its own time');
  t.ok(wallNow() - wallNow(perf) >= 15, 'and later readings to later times');
});
