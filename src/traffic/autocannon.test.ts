/**
 * The autocannon adapter against a tiny node:http server: bounded in requests and in time, each
 * response paired with its backend and its request template, errors recorded, sub-ms latency.
 */
import t from 'tap';
import { startAutocannon } from './autocannon.js';
import { runTraffic } from './run.js';
import type { RequestMix, TrafficSpec } from './spec.js';
import { TestServer } from './test-server.js';

const MIX: RequestMix = { method: 'GET', paths: ['/p/0', '/p/1'], headers: [], body: { kind: 'none' }, sources: { kind: 'none' }, keys: { kind: 'none' } };

t.test('concurrent: the request bound, the backend and the path of every response', async (t) => {
  const s = await TestServer.start((_n, req) => (req.url === '/p/0' ? 'a' : 'b'));
  t.teardown(() => s.stop());
  const spec: TrafficSpec = { kind: 'concurrent', generator: 'autocannon', connections: 2, bounds: { maxRequests: 60, maxDurationMs: 20_000 }, mix: MIX, timeoutMs: 5000 };
  const r = await runTraffic({ host: '127.0.0.1', port: s.port }, spec);
  t.equal(r.count, 60);
  t.equal(s.seen.length, 60);
  for (let i = 0; i < r.count; i++) {
    if (r.backend(i) !== (r.columns.seq[i] === 0 ? 'a' : 'b')) { t.fail(`row ${i}: seq ${r.columns.seq[i]} answered by ${r.backend(i)}`); break; }
  }
  t.ok([...r.columns.latencyUs].some((us) => us % 1000 !== 0), 'latency finer than whole ms');
  t.equal(r.meta.generator, 'autocannon');
});

t.test('the time bound against a balancer that closes every connection: no rows, a note', async (t) => {
  const s = await TestServer.start();
  t.teardown(() => s.stop());
  s.mode = { kind: 'destroy' };
  const spec: TrafficSpec = { kind: 'rate', generator: 'autocannon', ratePerSec: 50, connections: 2, bounds: { maxRequests: 1_000_000, maxDurationMs: 300 }, mix: MIX, timeoutMs: 1000 };
  const r = await runTraffic({ host: '127.0.0.1', port: s.port }, spec);
  t.equal(r.meta.stoppedBy, 'time');
  t.ok(s.seen.length > 0, 'requests reached the server');
  t.equal(r.count, 0, 'autocannon counts a closed connection as nothing');
  t.match(r.meta.notes.join('\n'), /no response/);
});

t.test('refused connections: recorded as errors, bounded by the request count too', async (t) => {
  const s = await TestServer.start();
  const port = s.port;
  await s.stop();
  const spec: TrafficSpec = { kind: 'concurrent', generator: 'autocannon', connections: 2, bounds: { maxRequests: 500, maxDurationMs: 20_000 }, mix: MIX, timeoutMs: 1000 };
  const r = await runTraffic({ host: '127.0.0.1', port }, spec);
  t.ok(r.count >= 500 && r.count < 520, `${r.count} rows`);
  t.equal(r.error(0), 'refused');
  t.equal(r.meta.stoppedBy, 'requests');
});

t.test('stop() ends a run early', async (t) => {
  const s = await TestServer.start();
  t.teardown(() => s.stop());
  const spec: TrafficSpec = { kind: 'concurrent', generator: 'autocannon', connections: 2, bounds: { maxRequests: 10_000_000, maxDurationMs: 60_000 }, mix: MIX, timeoutMs: 1000 };
  const run = await startAutocannon({ host: '127.0.0.1', port: s.port }, spec);
  await new Promise((resolve) => s.once('request', resolve));
  run.stop();
  const r = await run.done;
  t.equal(r.meta.stoppedBy, 'signal');
});

t.test('no sources to bind, no sequential traffic', async (t) => {
  const spec: TrafficSpec = { kind: 'concurrent', generator: 'autocannon', connections: 2, bounds: { maxRequests: 1, maxDurationMs: 1 }, mix: { ...MIX, sources: { kind: 'bind', count: 2, perSubnet: 1 } }, timeoutMs: 1000 };
  await t.rejects(startAutocannon({ host: '127.0.0.1', port: 1 }, spec), { code: 'INTERNAL' });
});
