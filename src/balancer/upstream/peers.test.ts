import t from 'tap';
import type { BalanceMethod } from '../../config/model.js';
import { crc32, crc32Binary, crc32Decimal, crc32Final, crc32String, CRC32_INIT } from './crc32.js';
import { createPeerSet, peerAtWeight } from './peers.js';
import { createMethod, METHODS } from './registry.js';
import { CHASH, HASH, IP_HASH, LEAST_CONN, RANDOM, RANDOM_TWO, RR, upstream } from './testing.js';
import { seededRandom } from '../../core/clock.js';

t.test('createPeerSet mirrors ngx_http_upstream_init_round_robin', async (t) => {
  const set = createPeerSet(upstream('u', RR, ['a weight=3', 'b down weight=2', 'h addrs=10.0.0.1:80,10.0.0.2:80', 'x backup', 'y backup down']));
  t.same(set.primary.peers.map((p) => p.name), ['a', 'b', '10.0.0.1:80', '10.0.0.2:80']);
  t.same(set.primary.peers.map((p) => p.server), ['a', 'b', 'h', 'h'], 'each address keeps its server text');
  t.equal(set.primary.totalWeight, 7, 'down peers keep their weight (hash slots)');
  t.same([set.primary.tries, set.backup!.tries, set.tries], [3, 1, 4], 'tries count non-down peers of both tiers');
  t.same([set.primary.single, set.backup!.single], [false, false]);
  t.equal(set.maxTierSize, 4);
  t.same(set.primary.peers.map((p) => [p.effectiveWeight, p.currentWeight, p.conns, p.fails]), 
    [[3, 0, 0, 0], [2, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]], 'effectiveWeight = weight, the rest 0');
});

t.test('single is exactly one primary address and no backup', async (t) => {
  t.ok(createPeerSet(upstream('u', RR, ['a'])).primary.single);
  t.ok(createPeerSet(upstream('u', RR, ['a down'])).primary.single, 'down counts');
  t.notOk(createPeerSet(upstream('u', RR, ['a', 'b backup'])).primary.single);
  t.notOk(createPeerSet(upstream('u', RR, ['h addrs=10.0.0.1:80,10.0.0.2:80'])).primary.single);
});

t.test('a group of backups only is nginx\'s "no servers in upstream" error', async (t) => {
  t.throws(() => createPeerSet(upstream('u', RR, ['a backup'])),
    { code: 'CONF_VALUE', message: 'no servers in upstream "u" in test.conf:1' });
});

t.test('fail_timeout is compared in whole seconds', async (t) => {
  const set = createPeerSet(upstream('u', RR, ['a fail_timeout=30s', 'b fail_timeout=2m']));
  t.same(set.primary.peers.map((p) => [p.failTimeoutMs, p.failTimeoutSec]), [[30_000, 30], [120_000, 120]]);
});

t.test('peerAtWeight finds the slot nginx\'s weight walk finds', async (t) => {
  const set = createPeerSet(upstream('u', RR, ['a weight=2', 'b', 'c weight=3', 'd']));
  const walk = (w: number) => {
    let i = 0;
    for (const p of set.primary.peers) { if (w < p.weight) return i; w -= p.weight; i++; }
    return -1;
  };
  for (let w = 0; w < set.primary.totalWeight; w++) t.equal(peerAtWeight(set.primary, w), walk(w), `w=${w}`);
});

t.test('crc32 is zlib\'s; states continue; decimals and UTF-8 are bytes', async (t) => {
  t.equal(crc32('123456789'), 0xcbf43926);
  t.equal(crc32(''), 0);
  t.equal(crc32Final(crc32String(crc32String(CRC32_INIT, 'foo'), 'bar')), crc32('foobar'));
  t.equal(crc32Final(crc32String(crc32Decimal(CRC32_INIT, 120), '/x')), crc32('120/x'));
  t.equal(crc32Final(crc32Decimal(CRC32_INIT, 0)), crc32('0'));
  t.same([crc32('é'), crc32('😀'), crc32('/ключ')], [0x0e048d3e, 0x054db544, 0xd2cc10af], 'UTF-8: 2, 4 and 2-byte sequences');
});

t.test('registry: every BalanceMethod kind has a factory', async (t) => {
  t.same(Object.keys(METHODS).sort(), ['hash', 'ip_hash', 'least_conn', 'random', 'round_robin']);
  const methods: [BalanceMethod, string][] = [
    [RR, 'round_robin'], [LEAST_CONN, 'least_conn'], [IP_HASH, 'ip_hash'], [HASH, 'hash'], [CHASH, 'hash'],
    [RANDOM, 'random'], [RANDOM_TWO, 'random'],
  ];
  const set = createPeerSet(upstream('u', RR, ['a', 'b']));
  for (const [method, kind] of methods) t.equal(createMethod(set, method, { random: seededRandom(1) }).kind, kind);
});

t.test('hash keys are byte strings: a latin1 header value hashes as the bytes nginx saw', async (t) => {
  t.equal(crc32Final(crc32Binary(CRC32_INIT, 'Ã©')), crc32('é'), 'bytes C3 A9 either way');
  t.equal(crc32Final(crc32Binary(CRC32_INIT, '/a?k=1')), crc32('/a?k=1'), 'ASCII is the same in both forms');
});
