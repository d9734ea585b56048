/**
 * Request records end to end: what reaches the runner for each request (time, peer, forwarded
 * headers, method, URL, connection, in-flight count, action), per-backend counters, batches across
 * chunk boundaries, and incremental string tables across drains.
 */
import t from 'tap';
import { performance } from 'node:perf_hooks';
import { behaviours as b } from './behaviour.js';
import { startBackendHost } from './client.js';
import { get, open, parseResponses, probe } from './testing/wire.js';

const host = await startBackendHost();
t.teardown(() => host.stop());
const nowUs = (): number => (performance.timeOrigin + performance.now()) * 1000;

t.test('every field of a request reaches the runner', async (t) => {
  const [r1, r2] = await host.defineAll([
    { name: 'r1', port: 0, behaviour: b.ok() },
    { name: 'r2', port: 0, behaviour: b.ok() },
  ]);
  await host.drain();
  const beforeUs = nowUs();
  const kept = await probe(r1!.port,
    get('/x', ['X-Forwarded-For: 10.0.0.1', 'X-Forwarded-For: 10.0.0.2', 'X-Real-IP: 10.0.0.9']) +
    'POST /y HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc');
  t.equal(parseResponses(kept.bytes).length, 2);
  await probe(r2!.port, get('/z?q=1', [], '1.0'));
  const afterUs = nowUs();
  const set = await host.drain();
  t.equal(set.count, 3);
  const [x, y, z] = [...set.rows()];
  t.match(x, { backend: 'r1', method: 'GET', url: '/x', peer: '127.0.0.1', xForwardedFor: '10.0.0.1, 10.0.0.2', xRealIp: '10.0.0.9', inflight: 1, action: 'reply', status: 200 });
  t.match(y, { backend: 'r1', method: 'POST', url: '/y', xForwardedFor: '', xRealIp: '' });
  t.match(z, { backend: 'r2', method: 'GET', url: '/z?q=1' });
  t.equal(x!.connId, y!.connId, 'one kept-alive connection');
  t.equal(x!.peerPort, y!.peerPort);
  t.not(x!.connId, z!.connId);
  t.ok(x!.arrivalUs >= beforeUs - 5000 && z!.arrivalUs <= afterUs + 5000, 'arrival times in µs since the epoch');
  t.ok(x!.arrivalUs <= y!.arrivalUs && y!.arrivalUs <= z!.arrivalUs, 'in arrival order');
  t.same([...set.countByBackend()], [['r1', 2], ['r2', 1]]);
});

t.test('faults are recorded with what the backend did', async (t) => {
  const [reset, cut] = await host.defineAll([
    { name: 'rr', port: 0, behaviour: b.reset('headers') },
    { name: 'cc', port: 0, behaviour: b.close('body') },
  ]);
  await host.drain();
  await probe(reset!.port, get('/'));
  await probe(cut!.port, get('/'));
  const set = await host.drain();
  t.same([...set.rows()].map((r) => [r.backend, r.action, r.status]), [['rr', 'reset', 0], ['cc', 'close', 200]]);
});

t.test('in-flight count at arrival and peaks under concurrency', async (t) => {
  const { port } = await host.define({ name: 'hh', port: 0, behaviour: b.hang() });
  await host.drain();
  const sockets = await Promise.all(Array.from({ length: 5 }, () => open(port)));
  t.teardown(() => { for (const s of sockets) s.destroy(); });
  for (const s of sockets) { s.on('error', () => {}); s.write(get('/')); }
  let looks = 0;
  while ((await host.stats()).backends.find((x) => x.name === 'hh')!.inflight < 5 && ++looks < 10_000);
  const set = await host.drain();
  t.same([...set.columns.inflight].sort(), [1, 2, 3, 4, 5]);
  const stats = (await host.stats({ resetPeaks: true })).backends.find((x) => x.name === 'hh')!;
  t.match(stats, { connectionsOpened: 5, openConnections: 5, peakConnections: 5, inflight: 5, peakInflight: 5, requests: 5 });
  await host.kill('hh');
  const after = (await host.stats()).backends.find((x) => x.name === 'hh')!;
  t.match(after, { openConnections: 0, inflight: 0, peakConnections: 5, peakInflight: 5 }, 'peaks held until the next reset');
  const fresh = (await host.stats()).backends.find((x) => x.name === 'hh')!;
  t.equal(fresh.peakInflight, 5);
});

t.test('40 000 pipelined requests cross chunk boundaries; the string table grows across drains', async (t) => {
  const { port } = await host.define({ name: 'many', port: 0, behaviour: b.ok() });
  await host.drain();
  const perConnection = 10_000, burst = 100;
  await Promise.all(Array.from({ length: 4 }, async (_, c) => {
    for (let sent = 0; sent < perConnection; sent += burst) {
      const reqs = Array.from({ length: burst }, (_, i) => get(`/c${c}/${(sent + i) % 50}`, i === burst - 1 ? ['Connection: close'] : []));
      const r = await probe(port, reqs.join(''), { timeoutMs: 10_000 });
      t.equal(parseResponses(r.bytes).length, burst);
    }
  }));
  const set = await host.drain();
  t.equal(set.count, 40_000);
  t.equal(set.columns.url.length, 40_000);
  t.equal(set.countByBackend().get('many'), 40_000);
  const urls = new Set([...set.columns.url].map((id) => set.str(id)));
  t.equal(urls.size, 200, '4 connections x 50 URLs, interned once each');
  await probe(port, get('/brand-new', ['Connection: close']));
  const next = await host.drain();
  t.equal(next.count, 1);
  t.equal(next.row(0).url, '/brand-new', 'a string first seen in a later drain resolves');
  t.equal(next.row(0).backend, 'many', 'and one from an earlier drain still does');
});

t.test('a host started with record: false records nothing and still counts', async (t) => {
  const quiet = await startBackendHost({ record: false });
  t.teardown(() => quiet.stop());
  const { port } = await quiet.define({ name: 'q', port: 0, behaviour: b.ok() });
  await probe(port, get('/', ['Connection: close']));
  t.equal((await quiet.drain()).count, 0);
  t.equal((await quiet.stats()).backends[0]!.requests, 1);
});
