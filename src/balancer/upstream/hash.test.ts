import t from 'tap';
import { FakeClock } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import type { Balancer } from './balancer.js';
import { buildChashRing, CHASH_POINTS_PER_WEIGHT } from './chash.js';
import { crc32 } from './crc32.js';
import { compileRetryPolicy } from './next-upstream.js';
import { createPeerSet } from './peers.js';
import { CHASH, HASH, RR, upstream } from './testing.js';
import type { Backend } from './simulate.js';
import { CLOSE, OK, counts, port, send } from './simulate.js';

const P = (n: number) => `127.0.0.1:${8080 + n}`;
const THREE = [P(1), P(2), P(3)];

function index(b: Balancer, key: string): number {
  const name = send(b, () => OK, { hashKey: key }).answeredBy;
  return b.peers.primary.peers.findIndex((p) => p.name === name);
}

t.test('NGINX-UPSTREAM §5.3: key -> 0-based server, plain and consistent', async (t) => {
  const columns = [
    createBalancer(upstream('h2', HASH, [P(1), P(2)])),
    createBalancer(upstream('h3', HASH, THREE)),
    createBalancer(upstream('h3w', HASH, [`${P(1)} weight=2`, P(2), P(3)])),
    createBalancer(upstream('c2', CHASH, [P(1), P(2)])),
    createBalancer(upstream('c3', CHASH, THREE)),
  ];
  const rows: [string, string, number[]][] = [
    ['/', '79d3d2d4', [1, 2, 2, 1, 2]],
    ['/a', '69707b5c', [0, 1, 0, 1, 1]],
    ['/b', 'f0792ae6', [1, 2, 0, 0, 2]],
    ['/c', '877e1a70', [0, 1, 1, 1, 1]],
    ['/index.html', 'ea224b42', [0, 2, 1, 0, 2]],
    ['/api/users/1', '1082f714', [0, 2, 1, 1, 1]],
    ['/api/users/2', '898ba6ae', [1, 1, 2, 1, 1]],
    ['/static/app.js', 'a618fe0d', [0, 2, 0, 0, 0]],
    ['/img/1.png', 'feece48f', [0, 2, 0, 1, 1]],
    ['/item/42', '139b9d3b', [1, 0, 2, 1, 1]],
  ];
  for (const [key, crc, expected] of rows) {
    t.equal(crc32(key).toString(16).padStart(8, '0'), crc, `crc32(${key})`);
    t.same(columns.map((b) => index(b, key)), expected, key);
  }
});

t.test('§5.2 the ring: 160 points per weight, equal hashes dropped; three equal servers give 480', async (t) => {
  t.equal(CHASH_POINTS_PER_WEIGHT, 160);
  t.equal(buildChashRing(createPeerSet(upstream('c', CHASH, THREE))).hashes.length, 480);
  const weighted = buildChashRing(createPeerSet(upstream('c', CHASH, [P(1), `${P(2)} weight=3`])));
  t.equal(weighted.hashes.length, 640);
  t.ok(weighted.hashes.every((h, i) => i === 0 || h > weighted.hashes[i - 1]!), 'sorted, no duplicates');
  const twice = buildChashRing(createPeerSet(upstream('c', CHASH, [P(1), P(1), P(2)])));
  t.equal(twice.hashes.length, 320, 'duplicate server lines share their points');
  t.same(Array.from(twice.groupPeers[0]!), [0, 1], 'and both peers serve them');
});

t.test('§11.19 the ring hashes the server text as written: 10.0.0.1 and 10.0.0.1:80 differ', async (t) => {
  const ring = (s: string) => Array.from(buildChashRing(createPeerSet(upstream('c', CHASH, [s, P(9)]))).hashes);
  t.not(ring('10.0.0.1').join(), ring('10.0.0.1:80').join());
  t.equal(ring('10.0.0.1:80').join(), ring('10.0.0.1:80').join());
  t.equal(ring('unix:/tmp/a').join(), ring('/tmp/a').join(), 'unix: is hashed as its path with an empty port');
  t.equal(ring('unix:/tmp/a').join(), ring('UNIX:/tmp/a').join(), 'the unix: prefix is case-insensitive');
  t.not(crc32('?k=%2F'), crc32('?k=%2f'), 'keys are raw text: no URL decoding');
});

/** nginx-tests' iter(): keys 1..n, one request each, the answering server or null. */
function iter(b: Balancer, n: number, backend: Backend = () => OK, policy = compileRetryPolicy(DEFAULTS)): (string | null)[] {
  return Array.from({ length: n }, (_, i) => send(b, backend, { hashKey: String(i + 1), policy }).answeredBy);
}
const MASK = { error: true, timeout: true, invalidHeader: false, http500: false, http502: false, http503: false,
  http504: false, http403: false, http404: false, http429: false, nonIdempotent: false };
const DEFAULTS = { nextUpstream: MASK, nextUpstreamTries: 0, nextUpstreamTimeoutMs: 0 };

/** upstream_hash.t cmp_peers: may differ only where the first mapping used `gone`. */
function consistentMoves(a: (string | null)[], b: (string | null)[], gone: string): boolean {
  return a.every((x, i) => x === b[i] || x === gone);
}

t.test('upstream_hash.t inconsistent / consistent / consistent weight', async (t) => {
  const u = iter(createBalancer(upstream('u', HASH, THREE)), 20);
  const u2 = iter(createBalancer(upstream('u2', HASH, [P(1), P(3)])), 20);
  t.notOk(consistentMoves(u, u2, P(2)), 'modulo hashing moves keys of servers that stayed');
  const c = iter(createBalancer(upstream('c', CHASH, THREE)), 20);
  const c2 = iter(createBalancer(upstream('c2', CHASH, [P(1), P(3)])), 20);
  t.ok(consistentMoves(c, c2, P(2)), 'consistent: only 8082 keys move');
  t.ok(c.includes(P(2)), 'and some keys did live on 8082');
  const cw = iter(createBalancer(upstream('cw', CHASH, [P(1), P(2), `${P(3)} weight=10`])), 20);
  const cw2 = iter(createBalancer(upstream('cw2', CHASH, [P(1), `${P(3)} weight=10`])), 20);
  t.ok(consistentMoves(cw, cw2, P(2)), 'consistent weight');
});

t.test('upstream_hash.t stable hash and empty key (round robin), plain and consistent', async (t) => {
  for (const method of [HASH, CHASH]) {
    const b = createBalancer(upstream('u', method, THREE));
    const same = Array.from({ length: 10 }, () => send(b, () => OK, { hashKey: '1' }).answeredBy);
    t.match(counts(b.peers, same, port), /^808[123]: 10$/, 'stable hash');
    const empty = Array.from({ length: 6 }, () => send(b, () => OK, { hashKey: '' }).answeredBy);
    t.equal(counts(b.peers, empty, port), '8081: 2, 8082: 2, 8083: 2', 'empty key');
  }
});

t.test('upstream_hash.t all hashed peers, no proxy_next_upstream, proxy_next_upstream peers', async (t) => {
  const b = createBalancer(upstream('u', HASH, THREE), { clock: new FakeClock() });
  const all = iter(b, 10);
  t.equal(all.filter((x) => x !== null).length, 10, 'all hashed peers');
  const on502: Backend = (p) => (p.name === P(3) ? { kind: 'respond', status: 502 } : OK);
  const answered = Array.from({ length: 10 }, (_, i) => send(b, on502, { hashKey: String(i + 1) }))
    .map((ex) => (ex.status === 502 ? null : ex.answeredBy));
  t.same(answered.filter((x) => x !== null), all.filter((x) => x !== P(3)), 'no proxy_next_upstream: 8083 keys get its 502');
  t.ok(answered.includes(null), 'no proxy_next_upstream peers: fewer than 10');
  const pnu = compileRetryPolicy({ ...DEFAULTS, nextUpstream: { ...MASK, error: false, timeout: false, http502: true } });
  t.equal(iter(b, 10, on502, pnu).filter((x) => x !== null && x !== P(3)).length, 10, 'proxy_next_upstream http_502: all 10');
});

t.test('upstream_hash.t all hashed peers - bad, then upstream name - busy (plain and consistent)', async (t) => {
  for (const [name, method] of [['bad', HASH], ['cbad', CHASH]] as const) {
    const b = createBalancer(upstream(name, method, [P(1), P(4)]), { clock: new FakeClock() });
    const bad = iter(b, 20, (p) => (p.name === P(4) ? CLOSE : OK));
    t.equal(bad.filter((x) => x === P(1)).length, 20, `${name}: all 20 answered by 8081`);
    const busy = send(b, () => CLOSE, { hashKey: '' });
    t.equal(busy.upstreamAddr, `${P(1)}, ${name}`, `${name}: upstream name - busy`);
    t.equal(busy.status, 502);
  }
});

t.test('§3.2 / §11.3 a down server keeps its hash slot: only its keys move', async (t) => {
  for (const method of [HASH, CHASH]) {
    const up = iter(createBalancer(upstream('u', method, THREE)), 40);
    const down = iter(createBalancer(upstream('u', method, [P(1), `${P(2)} down`, P(3)])), 40);
    t.ok(consistentMoves(up, down, P(2)), `${method.kind}${method.kind === 'hash' && method.consistent ? ' consistent' : ''}`);
    t.notOk(down.includes(P(2)));
  }
  const removed = iter(createBalancer(upstream('u', HASH, [P(1), P(3)])), 40);
  const up = iter(createBalancer(upstream('u', HASH, THREE)), 40);
  t.notOk(consistentMoves(up, removed, P(2)), 'removing the line instead remaps other keys');
});

t.test('§5.4 after HASH_MAX_TRIES failed probes: round robin, which reaches a backup declared before hash', async (t) => {
  for (const method of [HASH, CHASH]) {
    const b = createBalancer(upstream('u', method, [P(1), P(2), `${P(9)} backup`]), { clock: new FakeClock() });
    const ex = send(b, (p) => (p.name === P(9) ? OK : CLOSE), { hashKey: 'k' });
    t.equal(ex.upstreamStatus, '502, 502, 200');
    t.equal(ex.answeredBy, P(9));
  }
});

t.test('with fewer than 2 peers (single) hash is round robin', async (t) => {
  const b = createBalancer(upstream('u', HASH, [P(1)]));
  t.equal(send(b, () => OK, { hashKey: 'x' }).answeredBy, P(1));
  t.equal(createBalancer(upstream('u', RR, [P(1)])).method.kind, 'round_robin');
});
