/**
 * A Deadline fires once its time has passed since the last arm, not before, follows a re-arm
 * later or sooner, and does not fire once disarmed.
 */
import t from 'tap';
import { Deadline } from './deadline.js';

// Deadlines do not hold the process open (a balancer's sockets do): this handle does, meanwhile
const open = setInterval(() => undefined, 60_000);
t.teardown(() => clearInterval(open));

/** A Deadline and the promise of the time it fired at. */
function watched(): { deadline: Deadline; done: Promise<number> } {
  let resolve!: (at: number) => void;
  const done = new Promise<number>((r) => { resolve = r; });
  return { deadline: new Deadline(() => resolve(performance.now())), done };
}

t.test('a Deadline fires once its time has passed since the last arm', async (t) => {
  const { deadline, done } = watched();
  const start = performance.now();
  deadline.arm(40);
  t.ok(deadline.isArmed, 'armed');
  const at = await done;
  t.ok(at - start >= 40, `fired after ${(at - start).toFixed(1)} ms, not before 40`);
  t.notOk(deadline.isArmed, 'and is no longer armed');
});

t.test('re-arming later moves it later; sooner moves it sooner', async (t) => {
  const later = watched();
  const start = performance.now();
  later.deadline.arm(30);
  await new Promise((r) => setTimeout(r, 20));
  const rearmed = performance.now();
  later.deadline.arm(30);
  const at = await later.done;
  t.ok(at - rearmed >= 30, `fired ${(at - rearmed).toFixed(1)} ms after the re-arm (${(at - start).toFixed(1)} after the first)`);

  const sooner = watched();
  const s0 = performance.now();
  sooner.deadline.arm(5000);
  sooner.deadline.arm(20);
  const at2 = await sooner.done;
  t.ok(at2 - s0 >= 20 && at2 - s0 < 2000, `a shorter arm fires on its own time: ${(at2 - s0).toFixed(1)} ms`);
});

t.test('a disarmed or disposed Deadline does not fire', async (t) => {
  let count = 0;
  const disarmed = new Deadline(() => { count++; });
  disarmed.arm(10);
  disarmed.disarm();
  t.notOk(disarmed.isArmed, 'no longer armed');
  const disposed = new Deadline(() => { count++; });
  disposed.arm(10);
  disposed.dispose();
  // a witness armed after them, for four times as long: they would have fired before it
  const witness = watched();
  witness.deadline.arm(40);
  await witness.done;
  t.equal(count, 0, 'neither fired');
});
