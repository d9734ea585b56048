/**
 * kill / revive / switch under traffic. The property under test: a control call resolves only
 * once its effect holds, so every request that starts after the acknowledgement sees the effect.
 * Traffic is bounded (maxRequests) and every wait is on outcomes or events, never on time.
 */
import t from 'tap';
import { performance } from 'node:perf_hooks';
import { behaviours as b } from './behaviour.js';
import { startBackendHost } from './client.js';
import { Traffic, type Outcome } from './testing/traffic.js';
import { get, open, probe } from './testing/wire.js';

const host = await startBackendHost();
t.teardown(() => host.stop());

const results = (os: readonly Outcome[]): string[] => [...new Set(os.map((o) => String(o.result)))].sort();

t.test('kill under traffic refuses every connection started after the ack; revive serves again on the same port', async (t) => {
  const { port } = await host.define({ name: 'k', port: 0, behaviour: b.ok() });
  const traffic = new Traffic(port, { workers: 4, keepAlive: false, maxRequests: 3000 });
  t.teardown(() => traffic.stop());
  await traffic.reached(100);
  const killSentMs = performance.now();
  const killed = await host.kill('k');
  const killAckMs = performance.now();
  t.equal(killed.listening, false);
  await traffic.more(100);
  const reviveSentMs = performance.now();
  const revived = await host.revive('k');
  const reviveAckMs = performance.now();
  t.equal(revived.port, port, 'same port');
  await traffic.more(100);
  await traffic.stop();
  t.same(results(traffic.outcomes.filter((o) => o.endedMs < killSentMs)), ['200'], 'before the kill: all served');
  t.same(results(traffic.startedAfter(killAckMs, reviveSentMs)), ['refused'], 'between kill ack and revive: all refused');
  t.same(results(traffic.startedAfter(reviveAckMs)), ['200'], 'after the revive ack: all served');
});

t.test('kill resets open connections: kept-alive ones and one hanging in a request', async (t) => {
  const { port } = await host.define({ name: 'kh', port: 0, behaviour: b.hang() });
  const hanging = probe(port, get('/'), { timeoutMs: 10_000 });
  const idle = await open(port);
  const idleClosed = new Promise<string>((resolve) => {
    idle.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    idle.on('end', () => resolve('fin'));
  });
  t.teardown(() => idle.destroy());
  // The hanging request is in once the host counts it in flight (each look is one IPC round trip).
  let looks = 0;
  while ((await host.stats()).backends.find((x) => x.name === 'kh')!.inflight < 1 && ++looks < 10_000);
  t.ok(looks < 10_000, 'the hanging request arrived');
  await host.kill('kh');
  const hung = await hanging;
  t.equal(hung.ending, 'reset', 'the hanging request sees ECONNRESET');
  t.equal(hung.bytes.length, 0);
  t.equal(await idleClosed, 'ECONNRESET', 'the idle kept-alive connection is reset');
  t.equal((await probe(port, get('/'))).ending, 'refused');
});

t.test('switch under keep-alive traffic: every request after the ack follows the new behaviour', async (t) => {
  const { port } = await host.define({ name: 's', port: 0, behaviour: b.ok() });
  const traffic = new Traffic(port, { workers: 4, keepAlive: true, maxRequests: 5000 });
  t.teardown(() => traffic.stop());
  await traffic.reached(100);
  const sentMs = performance.now();
  const info = await host.switch('s', b.status(503));
  const ackMs = performance.now();
  t.equal(info.kind, 'status');
  await traffic.more(200);
  await traffic.stop();
  t.same(results(traffic.outcomes.filter((o) => o.endedMs < sentMs)), ['200']);
  t.same(results(traffic.startedAfter(ackMs)), ['503'], 'kept-alive connections see the switch too');
  const stats = (await host.stats()).backends.find((x) => x.name === 's')!;
  t.equal(stats.connectionsOpened, 4, 'no reconnects: the same 4 connections throughout');
  t.equal(stats.peakConnections, 4);
});

t.test('switch to dead and back: refused, then served on the same port', async (t) => {
  const { port } = await host.define({ name: 'sd', port: 0, behaviour: b.ok() });
  const traffic = new Traffic(port, { workers: 2, keepAlive: true, maxRequests: 3000 });
  t.teardown(() => traffic.stop());
  await traffic.reached(50);
  await host.switch('sd', b.dead());
  const deadAckMs = performance.now();
  await traffic.more(50);
  const backSentMs = performance.now();
  const back = await host.switch('sd', b.reset('headers', 2));
  const backAckMs = performance.now();
  t.same([back.listening, back.port], [true, port]);
  await traffic.more(100);
  await traffic.stop();
  const whileDead = results(traffic.startedAfter(deadAckMs, backSentMs));
  t.ok(whileDead.every((r) => r === 'refused' || r === 'reset'), `while dead: ${whileDead.join(', ')}`);
  t.notOk(whileDead.includes('200'), 'nothing served while dead');
  t.same(results(traffic.startedAfter(backAckMs)), ['200', 'reset'], 'back as a backend that resets every 2nd request');
});

t.test('revive of a backend defined dead makes it ok', async (t) => {
  const dead = await host.define({ name: 'rd', port: 0, behaviour: b.dead() });
  t.equal((await probe(dead.port, get('/'))).ending, 'refused');
  const revived = await host.revive('rd');
  t.same([revived.kind, revived.port, revived.listening], ['ok', dead.port, true]);
  t.equal((await probe(dead.port, get('/', ['Connection: close']))).ending, 'fin');
});

t.test('control errors are BACKEND_CONTROL / BACKEND_START', async (t) => {
  await t.rejects(host.kill('nobody'), { code: 'BACKEND_CONTROL' });
  await t.rejects(host.define({ name: 'k', port: 0, behaviour: b.ok() }), { code: 'BACKEND_START' }, 'a name twice');
  await t.rejects(host.define({ name: 'taken', port: host.info('s').port, behaviour: b.ok() }), { code: 'BACKEND_START' }, 'a port in use');
  await t.rejects(host.define({ name: 'nosite', port: 0, behaviour: b.static('/nonexistent/dir') }), { code: 'BACKEND_START' });
});
