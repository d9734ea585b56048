/** The client address each backend received, against the clients it answered: exact, as multisets. */
import t from 'tap';
import { forwardedVerdict, type ValueCounts } from './forwarded.js';

const vc = (o: Record<string, Record<string, number>>): ValueCounts => new Map(Object.entries(o).map(([b, m]) => [b, new Map(Object.entries(m))]));

t.test('every request carried its client address', async (t) => {
  const v = forwardedVerdict('X-Real-IP', vc({ a: { '127.1.0.1': 2, '127.1.2.1': 1 }, b: { '127.1.1.1': 3 } }), vc({ a: { '127.1.0.1': 2, '127.1.2.1': 1 }, b: { '127.1.1.1': 3 } }));
  t.ok(v.passed);
  t.equal(v.explanation, 'All 6 requests reached their backend with their client\'s address in X-Real-IP.');
});

t.test('the balancer passed its own peer address instead', async (t) => {
  const v = forwardedVerdict('X-Real-IP', vc({ a: { '127.1.0.1': 2 } }), vc({ a: { '127.0.0.1': 2 } }));
  t.notOk(v.passed);
  t.equal(v.explanation, '2 of 2 requests reached their backend without their client\'s address in X-Real-IP; e.g. a answered 127.1.0.1 2 times but received it in X-Real-IP 0 times (it received "127.0.0.1" instead).');
  t.same(v.numbers, { requests: 2, matched: 0, arrived: 2 });
});

t.test('more arrived than were answered; nothing to compare', async (t) => {
  t.match(forwardedVerdict('X-Forwarded-For', vc({ a: { x: 1 } }), vc({ a: { x: 2 } })).explanation, /received 2 requests for 1 answered/);
  t.notOk(forwardedVerdict('X-Real-IP', vc({}), vc({})).passed);
});
