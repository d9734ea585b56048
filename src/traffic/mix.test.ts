/** Source addresses and request slots: pure. */
import t from 'tap';
import { clientOf, keyOf, slotOf, sourceAddress, subnetOf } from './mix.js';
import { isLoopback } from './preflight.js';
import { ResultLog, classifyError } from './results.js';
import { MAX_SOURCES, type RequestMix } from './spec.js';

t.test('source addresses: the third octet changes from one client to the next', async (t) => {
  t.same([0, 1, 255, 256, 257, MAX_SOURCES - 1].map((i) => sourceAddress(i)), ['127.1.0.1', '127.1.1.1', '127.1.255.1', '127.2.0.1', '127.2.1.1', '127.254.255.1']);
  t.throws(() => sourceAddress(MAX_SOURCES));
  t.throws(() => sourceAddress(-1));
  const first3 = new Set(Array.from({ length: 1000 }, (_, i) => sourceAddress(i).split('.').slice(0, 3).join('.')));
  t.equal(first3.size, 1000, 'ip_hash sees 1000 keys');
});

t.test('request slots cycle sources, paths and keys independently', async (t) => {
  const mix: RequestMix = { method: 'GET', paths: ['/a', '/b', '/c'], headers: [], body: { kind: 'none' }, sources: { kind: 'bind', count: 2, perSubnet: 1 }, keys: { kind: 'header', name: 'X-K', count: 4 } };
  t.same([0, 1, 2, 3, 4, 5].map((s) => slotOf(mix, s)).map((x) => `${x.source}${x.path}${x.key}`), ['0/a0', '1/b1', '0/c2', '1/a3', '0/b0', '1/c1']);
  t.equal(clientOf(mix, 3), '127.1.1.1');
  t.equal(keyOf(mix, 5), 'key-1');
  t.equal(clientOf({ ...mix, sources: { kind: 'none' } }, 3), null);
});

t.test('loopback', async (t) => {
  t.same(['127.0.0.1', '127.9.9.9', '::1', 'localhost', '10.0.0.1', 'example.com', '::'].map(isLoopback), [true, true, true, true, false, false, false]);
});

t.test('results grow past their first capacity and keep every column', async (t) => {
  const log = new ResultLog(1);
  for (let i = 0; i < 100; i++) log.add(i, i * 10, i + 0.5, 200, i % 2 === 0 ? 'a' : 'b', i === 99 ? 'timeout' : 'none');
  const r = log.finish({ generator: 'own', kind: 'sequential', startedUs: 0, endedUs: 2000, stoppedBy: 'requests', latencyResolutionUs: 1, notes: [] });
  t.equal(r.count, 100);
  t.same(r.row(99), { seq: 99, startUs: 990, latencyUs: 99.5, status: 200, backend: 'b', error: 'timeout' });
  t.same(r.backends, ['', 'a', 'b']);
  t.equal(r.elapsedMs, 2);
});

t.test('socket errors by name', async (t) => {
  const e = (code: string, message = ''): Error => Object.assign(new Error(message), { code });
  t.same([e('ECONNREFUSED'), e('ECONNRESET', 'read ECONNRESET'), e('ECONNRESET', 'socket hang up'), e('ECONNRESET', 'aborted'), e('EWHAT'), Object.assign(new Error(''), { name: 'AbortError' })].map(classifyError),
    ['refused', 'reset', 'closed', 'truncated', 'other', 'aborted']);
});

t.test('clients per /24: the last octet varies within a /24, then the third octet moves on', async (t) => {
  t.same([0, 1, 2, 3, 4, 5].map((i) => sourceAddress(i, 3)), ['127.1.0.1', '127.1.0.2', '127.1.0.3', '127.1.1.1', '127.1.1.2', '127.1.1.3']);
  t.equal(sourceAddress(256 * 2, 2), '127.2.0.1');
  t.equal(sourceAddress(MAX_SOURCES * 254 - 1, 254), '127.254.255.254');
  t.throws(() => sourceAddress(MAX_SOURCES * 2, 2));
  t.throws(() => sourceAddress(0, 255));
  t.equal(subnetOf('127.1.5.3'), '127.1.5.0/24');
  const mix: RequestMix = { method: 'GET', paths: ['/'], headers: [], body: { kind: 'none' }, sources: { kind: 'header', name: 'X-Real-IP', count: 8, perSubnet: 4 }, keys: { kind: 'none' } };
  t.same([0, 3, 4, 9].map((s) => clientOf(mix, s)), ['127.1.0.1', '127.1.0.4', '127.1.1.1', '127.1.0.2']);
});
