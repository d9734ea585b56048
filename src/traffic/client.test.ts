/**
 * lbtest's own client against a tiny node:http server on 127.0.0.1:0: exact order, source
 * addresses, paths/keys/methods/bodies, concurrency, the open-loop schedule, both bounds, stop(),
 * and errors recorded as outcomes.
 */
import t, { type Test } from 'tap';
import { once } from 'node:events';
import { isLbtestError } from '../core/errors.js';
import { runOwnClient, startOwnClient } from './client.js';
import { sourceAddress } from './mix.js';
import type { RequestMix, TrafficSpec } from './spec.js';
import { TestServer } from './test-server.js';

const MIX: RequestMix = { method: 'GET', paths: ['/'], headers: [], body: { kind: 'none' }, sources: { kind: 'none' }, keys: { kind: 'none' } };
const BOUNDS = { maxRequests: 10, maxDurationMs: 20_000 };

function sequential(over: Partial<Omit<Extract<TrafficSpec, { kind: 'sequential' }>, 'kind'>> = {}): TrafficSpec {
  return { kind: 'sequential', generator: 'own', bounds: BOUNDS, mix: MIX, timeoutMs: 5000, ...over };
}

async function server(t: Test, answer?: (n: number) => string): Promise<TestServer> {
  const s = await TestServer.start(answer);
  t.teardown(() => s.stop());
  return s;
}

t.test('sequential: one connection, requests in order, the answering backend of each, µs latency', async (t) => {
  const s = await server(t, (n) => 'abc'[n % 3]!);
  const r = await runOwnClient({ host: '127.0.0.1', port: s.port }, sequential());
  t.equal(r.count, 10);
  t.same(Array.from({ length: r.count }, (_, i) => r.backend(i)).join(''), 'abcabcabca');
  t.same([...r.columns.seq], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.ok([...r.columns.status].every((x) => x === 200));
  t.ok([...r.columns.latencyUs].every((x) => x > 0 && x < 5_000_000), 'latency in µs');
  t.ok([...r.columns.startUs].every((x, i, a) => i === 0 || x >= a[i - 1]!), 'starts ascend');
  t.equal(new Set(s.seen.map((x) => x.remote)).size, 1);
  t.equal(r.meta.stoppedBy, 'requests');
  t.equal(r.meta.latencyResolutionUs, 1);
});

t.test('bound source addresses: the third octet varies, one connection each', async (t) => {
  const s = await server(t);
  const r = await runOwnClient({ host: '127.0.0.1', port: s.port }, sequential({ mix: { ...MIX, sources: { kind: 'bind', count: 3, perSubnet: 1 } }, bounds: { ...BOUNDS, maxRequests: 6 } }));
  t.equal(r.count, 6);
  t.same(s.seen.map((x) => x.remote.replace(/^::ffff:/, '')), ['127.1.0.1', '127.1.1.1', '127.1.2.1', '127.1.0.1', '127.1.1.1', '127.1.2.1']);
  t.equal(sourceAddress(256), '127.2.0.1');
  t.match(r.meta.notes.join(), /one connection per request/);
});

t.test('client addresses in a header, keys in a header, many paths, a method and a body', async (t) => {
  const s = await server(t);
  const mix: RequestMix = {
    method: 'POST', paths: ['/p/0', '/p/1'], headers: [['X-Extra', 'yes']], body: { kind: 'size', bodyBytes: 3000 },
    sources: { kind: 'header', name: 'X-Real-IP', count: 2, perSubnet: 1 }, keys: { kind: 'header', name: 'X-Session', count: 3 },
  };
  await runOwnClient({ host: '127.0.0.1', port: s.port }, sequential({ mix, bounds: { ...BOUNDS, maxRequests: 4 } }));
  t.same(s.seen.map((x) => [x.method, x.url, x.headers['x-real-ip'], x.headers['x-session'], x.headers['x-extra'], x.bodyBytes]), [
    ['POST', '/p/0', '127.1.0.1', 'key-0', 'yes', 3000],
    ['POST', '/p/1', '127.1.1.1', 'key-1', 'yes', 3000],
    ['POST', '/p/0', '127.1.0.1', 'key-2', 'yes', 3000],
    ['POST', '/p/1', '127.1.1.1', 'key-0', 'yes', 3000],
  ]);
});

t.test('concurrent: exactly `connections` requests in flight, closed loop', async (t) => {
  const s = await server(t);
  s.mode = { kind: 'batch', size: 4 };
  const r = await runOwnClient({ host: '127.0.0.1', port: s.port }, { kind: 'concurrent', generator: 'own', connections: 4, bounds: { maxRequests: 40, maxDurationMs: 20_000 }, mix: MIX, timeoutMs: 5000 });
  t.equal(r.count, 40);
  t.equal(s.peakInflight, 4, 'four held at once, never more');
  t.same(new Set(r.columns.seq).size, 40);
});

t.test('rate: request i is due at start + i/rate, latency counted from that time', async (t) => {
  const s = await server(t);
  const r = await runOwnClient({ host: '127.0.0.1', port: s.port }, { kind: 'rate', generator: 'own', ratePerSec: 500, connections: 2, bounds: { maxRequests: 20, maxDurationMs: 20_000 }, mix: MIX, timeoutMs: 5000 });
  t.equal(r.count, 20);
  const startOf = new Map([...r.columns.seq].map((seq, i) => [seq, r.columns.startUs[i]!]));
  const t0 = startOf.get(0)!;
  for (let seq = 0; seq < 20; seq++) t.ok(Math.abs(startOf.get(seq)! - t0 - seq * 2000) < 1, `seq ${seq} due at +${seq * 2}ms`);
});

t.test('the time bound stops a run against a balancer that never answers', async (t) => {
  const s = await server(t);
  s.mode = { kind: 'hang' };
  const r = await runOwnClient({ host: '127.0.0.1', port: s.port }, { kind: 'concurrent', generator: 'own', connections: 2, bounds: { maxRequests: 1_000_000, maxDurationMs: 150 }, mix: MIX, timeoutMs: 100 });
  t.equal(r.meta.stoppedBy, 'time');
  t.ok(r.count >= 2 && r.count < 100, `${r.count} requests`);
  t.ok([...Array(r.count).keys()].every((i) => r.error(i) === 'timeout'));
});

t.test('stop(): in-flight requests are abandoned and recorded as aborted', async (t) => {
  const s = await server(t);
  s.mode = { kind: 'hang' };
  const run = await startOwnClient({ host: '127.0.0.1', port: s.port }, sequential({ timeoutMs: 60_000 }));
  await once(s, 'request');
  run.stop();
  const r = await run.done;
  t.equal(r.meta.stoppedBy, 'signal');
  t.equal(r.count, 1);
  t.equal(r.error(0), 'aborted');
});

t.test('an abort signal stops it too', async (t) => {
  const s = await server(t);
  s.mode = { kind: 'hang' };
  const ac = new AbortController();
  const run = await startOwnClient({ host: '127.0.0.1', port: s.port }, sequential({ timeoutMs: 60_000 }), { signal: ac.signal });
  await once(s, 'request');
  ac.abort();
  t.equal((await run.done).meta.stoppedBy, 'signal');
});

t.test('errors are outcomes: refused, closed without a response', async (t) => {
  const s = await server(t);
  const port = s.port;
  s.mode = { kind: 'destroy' };
  const closed = await runOwnClient({ host: '127.0.0.1', port }, sequential({ bounds: { ...BOUNDS, maxRequests: 2 } }));
  t.same([closed.error(0), closed.error(1)], ['closed', 'closed']);
  t.equal(closed.columns.status[0], 0);
  await s.stop();
  const refused = await runOwnClient({ host: '127.0.0.1', port }, sequential({ bounds: { ...BOUNDS, maxRequests: 3 } }));
  t.same([0, 1, 2].map((i) => refused.error(i)), ['refused', 'refused', 'refused']);
});

t.test('loopback only', async (t) => {
  await t.rejects(startOwnClient({ host: '192.0.2.1', port: 80 }, sequential()), { code: 'TRAFFIC_RUN' });
  const err = await startOwnClient({ host: '10.0.0.1', port: 80 }, sequential()).catch((e: unknown) => e);
  t.ok(isLbtestError(err));
  t.match((err as Error).message, /loopback/);
});
