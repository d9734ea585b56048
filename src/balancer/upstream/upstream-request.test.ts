import t from 'tap';
import type { NextUpstream } from '../../config/model.js';
import { FakeClock } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import { compileRetryPolicy } from './next-upstream.js';
import type { RetryPolicy } from './next-upstream.js';
import { RR, upstream } from './testing.js';
import type { Backend, Reply, SendOptions } from './simulate.js';
import { CLOSE, OK, REFUSE, send } from './simulate.js';

const A = '127.0.0.1:8081';
const B = '127.0.0.1:8082';
const C = '127.0.0.1:8083';
const NONE: NextUpstream = { error: false, timeout: false, invalidHeader: false, http500: false, http502: false,
  http503: false, http504: false, http403: false, http404: false, http429: false, nonIdempotent: false };

/** `proxy_next_upstream a b c; proxy_next_upstream_tries n; proxy_next_upstream_timeout ms`. */
function policy(masks: string, tries = 0, timeoutMs = 0): RetryPolicy {
  const n: Record<string, boolean> = { ...NONE };
  const names: Record<string, string> = { invalid_header: 'invalidHeader', non_idempotent: 'nonIdempotent' };
  for (const word of masks.split(' ').filter((w) => w !== '' && w !== 'off')) {
    const key = names[word] ?? word.replace('http_', 'http');
    if (!(key in n)) throw new Error(`invalid value "${word}"`);
    n[key] = true;
  }
  return compileRetryPolicy({ nextUpstream: n as unknown as NextUpstream, nextUpstreamTries: tries, nextUpstreamTimeoutMs: timeoutMs });
}

const status = (s: number): Reply => ({ kind: 'respond', status: s });
const byPeer = (replies: Record<string, Reply>, otherwise: Reply = OK): Backend => (p) => replies[p.name] ?? otherwise;

t.test('§6.3 what the client receives (fresh two- or three-server groups)', async (t) => {
  type Row = [string, string[], Backend, SendOptions, number, string, string];
  const rows: Row[] = [
    ['first refuses, second OK', [A, B], byPeer({ [A]: REFUSE }), {}, 200, `${A}, ${B}`, '502, 200'],
    ['all refuse', [A, B], () => REFUSE, {}, 502, `${A}, ${B}`, '502, 502'],
    ['read timeout on one, next OK', [A, B], byPeer({ [A]: { kind: 'timeout', phase: 'read' } }), {}, 200, `${A}, ${B}`, '504, 200'],
    ['read timeout on every server', [A, B, C], () => ({ kind: 'timeout', phase: 'read' }), {}, 504, `${A}, ${B}, ${C}`, '504, 504, 504'],
    ['connect timeout on every server', [A, B], () => ({ kind: 'timeout', phase: 'connect' }), {}, 504, `${A}, ${B}`, '504, 504'],
    ['5xx not listed: passed through', [A, B], () => status(503), {}, 503, A, '503'],
    ['listed 5xx on every server: the last response', [A, B, C], () => status(500), { policy: policy('error timeout http_500') },
      500, `${A}, ${B}, ${C}`, '500, 500, 500'],
    ['close without a response, GET: retried', [A, B], byPeer({ [A]: CLOSE }), {}, 200, `${A}, ${B}`, '502, 200'],
    ['close without a response, POST: not retried', [A, B], byPeer({ [A]: CLOSE }), { method: 'POST' }, 502, A, '502'],
    ['proxy_next_upstream off and an error', [A, B], () => REFUSE, { policy: policy('off') }, 502, A, '502'],
    ['proxy_next_upstream off and a timeout', [A, B], () => ({ kind: 'timeout', phase: 'read' }), { policy: policy('off') }, 504, A, '504'],
    ['invalid header, not listed', [A, B], () => ({ kind: 'invalid_header' }), {}, 502, A, '502'],
    ['invalid header, listed', [A, B], byPeer({ [A]: { kind: 'invalid_header' } }), { policy: policy('invalid_header') },
      200, `${A}, ${B}`, '502, 200'],
    ['headers sent, then cut short: the original status stands', [A, B], () => ({ kind: 'respond', status: 200, cutShort: true }), {},
      200, A, '200'],
  ];
  for (const [what, servers, backend, opts, client, addr, st] of rows) {
    const b = createBalancer(upstream('u', RR, servers), { clock: new FakeClock() });
    const ex = send(b, backend, opts);
    t.same([ex.status, ex.upstreamAddr, ex.upstreamStatus], [client, addr, st], what);
  }
});

t.test('§2.4 / §6.3 read timeouts on the tried servers, then none left alive: 502, not 504', async (t) => {
  const b = createBalancer(upstream('s3', RR, [A, B, C]), { clock: new FakeClock() });
  send(b, byPeer({ [A]: REFUSE }));
  const ex = send(b, () => ({ kind: 'timeout', phase: 'read' }));
  t.same([ex.status, ex.upstreamAddr, ex.upstreamStatus], [502, `${C}, ${B}, s3`, '504, 504, 502'],
    'the (V) example, order included');
});

t.test('§2.3 (V) three servers all returning 500 with http_500: two disabled, the third passed on and kept', async (t) => {
  const b = createBalancer(upstream('u', RR, [A, B, C]), { clock: new FakeClock() });
  const ex = send(b, () => status(500), { policy: policy('error timeout http_500') });
  t.same([ex.status, ex.upstreamStatus], [500, '500, 500, 500']);
  t.same(b.peers.primary.peers.map((p) => p.fails), [1, 1, 0]);
  t.same(Array.from({ length: 3 }, () => send(b, () => OK).answeredBy), [C, C, C]);
});

t.test('§2.3 (V) http_503 with proxy_next_upstream_tries 2: only the first is disabled', async (t) => {
  const b = createBalancer(upstream('u', RR, [A, B, C]), { clock: new FakeClock() });
  const ex = send(b, () => status(503), { policy: policy('error timeout http_503', 2) });
  t.same([ex.status, ex.upstreamStatus], [503, '503, 503']);
  t.same(b.peers.primary.peers.map((p) => p.fails), [1, 0, 0]);
});

t.test('§2.3 / §11.12 what counts as a failure', async (t) => {
  const cases: [string, Reply, string, string, number][] = [
    ['connect refused', REFUSE, 'error timeout', 'GET', 1],
    ['error with proxy_next_upstream off', REFUSE, 'off', 'GET', 1],
    ['POST closed after sending (not retried)', CLOSE, 'error timeout', 'POST', 1],
    ['timeout', { kind: 'timeout', phase: 'read' }, 'error timeout', 'GET', 1],
    ['invalid header, not listed', { kind: 'invalid_header' }, 'error timeout', 'GET', 1],
    ['listed 502, retried', status(502), 'http_502', 'GET', 1],
    ['502 not listed', status(502), 'error timeout', 'GET', 0],
    ['listed 502 on a POST (not retried)', status(502), 'http_502', 'POST', 0],
    ['404 listed and retried', status(404), 'http_404', 'GET', 0],
    ['403 listed and retried', status(403), 'http_403', 'GET', 0],
    ['listed 429, retried', status(429), 'http_429', 'GET', 1],
  ];
  for (const [what, reply, masks, method, fails] of cases) {
    const b = createBalancer(upstream('u', RR, [A, B]), { clock: new FakeClock() });
    send(b, byPeer({ [A]: reply }), { policy: policy(masks), method });
    t.equal(b.peers.primary.peers[0]!.fails, fails, what);
  }
});

t.test('proxy_next_upstream.t', async (t) => {
  const clock = new FakeClock();
  const u = createBalancer(upstream('u', RR, [A, B]), { clock });
  const p = policy('http_500 http_404');
  const backend = (uri: string): Backend => (peer) => {
    if (peer.name === B) return uri.startsWith('/all/') ? status(404) : OK;
    return uri === '/ok' ? OK : uri === '/500' ? status(500) : status(404);
  };
  t.same([send(u, backend('/'), { policy: p }).answeredBy, send(u, backend('/'), { policy: p }).answeredBy], [B, B],
    'a 404 from 8081 is retried on 8082, twice');
  t.ok([send(u, backend('/ok'), { policy: p }), send(u, backend('/ok'), { policy: p })].some((ex) => ex.answeredBy === A),
    'not down: a 404 never disables 8081');
  t.same([send(u, backend('/500'), { policy: p }).answeredBy, send(u, backend('/500'), { policy: p }).answeredBy], [B, B]);
  t.notOk([send(u, backend('/ok'), { policy: p }), send(u, backend('/ok'), { policy: p })].some((ex) => ex.answeredBy === A),
    'down after 500');
  const u2 = createBalancer(upstream('u2', RR, [A, B]), { clock });
  const all = send(u2, backend('/all/rr'), { policy: p });
  t.same([all.status, all.upstreamAddr], [404, `${A}, ${B}`], 'all tried once');
  const u3 = createBalancer(upstream('u3', RR, [A, `${B} down`]), { clock });
  const down = send(u3, () => status(404), { policy: policy('http_404') });
  t.same([down.status, down.upstreamAddr], [404, A], 'all tried with down: the 404, not a 502 (down is no try)');
});

t.test('proxy_next_upstream_tries.t', async (t) => {
  const clock = new FakeClock();
  const x = (s: string) => `x${s}x`;
  const notFound = () => status(404);
  const u = createBalancer(upstream('u', RR, [A, A, A]), { clock });
  const u2 = createBalancer(upstream('u2', RR, [A, `${A} backup`, `${A} backup`]), { clock });
  const resolver = createBalancer({ ...upstream(`127.0.0.1:8081`, RR, [`host:8081 addrs=${A},127.0.0.2:8081,127.0.0.3:8081`]), implicit: true },
    { clock });
  t.equal(x(send(u, notFound, { policy: policy('http_404', 2) }).upstreamStatus), 'x404, 404x', 'tries');
  t.equal(x(send(u2, notFound, { policy: policy('http_404', 2) }).upstreamStatus), 'x404, 404x', 'tries backup');
  t.equal(x(send(resolver, notFound, { policy: policy('http_404', 2) }).upstreamStatus), 'x404, 404x', 'tries resolver');
  t.equal(x(send(u, notFound, { policy: policy('http_404', 0) }).upstreamStatus), 'x404, 404, 404x', 'tries zero');
  for (const [what, b] of [['timeout', u], ['timeout backup', u2], ['timeout resolver', resolver]] as const) {
    const slow = send(b, notFound, { policy: policy('http_404', 0, 3800), clock, attemptMs: 2000 });
    t.equal(x(slow.upstreamStatus), 'x404, 404x', `${what}: no third attempt after 4 s >= 3.8 s`);
  }
  const zero = send(u, notFound, { policy: policy('http_404', 0, 0), clock, attemptMs: 1000 });
  t.equal(x(zero.upstreamStatus), 'x404, 404, 404x', 'timeout zero');
});

t.test('§3.1 / §11.11 backups serve inside a retry chain even when the primaries are healthy', async (t) => {
  const b = createBalancer(upstream('u', RR, ['p1', 'p2', 'backup backup']));
  const ex = send(b, () => status(404), { policy: policy('http_404') });
  t.same([ex.upstreamAddr, ex.upstreamStatus, ex.request.tries], ['p1, p2, backup', '404, 404, 404', 0]);
});

t.test('proxy_non_idempotent.t (u: 8081 twice, max_fails=0)', async (t) => {
  const servers = [`${A} max_fails=0`, `${A} max_fails=0`];
  const b = createBalancer(upstream('u', RR, servers));
  const main = policy('error timeout http_404');
  const non = policy('error timeout non_idempotent');
  const addr = (backend: Backend, method: string, p: RetryPolicy, cached = false) =>
    send(b, backend, { method, policy: p, cached }).upstreamAddr;
  t.equal(addr(() => CLOSE, 'GET', main), `${A}, ${A}`, 'get');
  t.equal(addr(() => CLOSE, 'POST', main), A, 'post');
  const seeThis = send(b, () => status(404), { method: 'GET', policy: main });
  t.same([seeThis.upstreamAddr, seeThis.answeredBy, seeThis.status], [`${A}, ${A}`, A, 404], 'get 404');
  const post404 = send(b, () => status(404), { method: 'POST', policy: main });
  t.same([post404.upstreamAddr, post404.status], [A, 404], 'post 404: the backend body, no builtin page');
  t.equal(addr(() => CLOSE, 'GET', non), `${A}, ${A}`, 'get non_idempotent');
  t.equal(addr(() => CLOSE, 'POST', non), `${A}, ${A}`, 'post non_idempotent');
  t.equal(addr(() => CLOSE, 'POST', policy('error timeout'), true), A, 'keepalive post: a cached connection follows the same rules');
});

t.test('§11.13 POST, PATCH and LOCK are not resent once sent; retried when connect failed; PUT and DELETE are', async (t) => {
  for (const [method, sentRetried] of [['POST', false], ['PATCH', false], ['LOCK', false], ['PUT', true], ['DELETE', true], ['GET', true]] as const) {
    const closed = send(createBalancer(upstream('u', RR, [A, B])), byPeer({ [A]: CLOSE }), { method });
    t.equal(closed.status === 200, sentRetried, `${method} closed after sending`);
    const refused = send(createBalancer(upstream('u', RR, [A, B])), byPeer({ [A]: REFUSE }), { method });
    t.equal(refused.status, 200, `${method} refused`);
  }
});

t.test('§6.2 an unbuffered body that was sent is never resent', async (t) => {
  const b = () => createBalancer(upstream('u', RR, [A, B]));
  t.equal(send(b(), byPeer({ [A]: CLOSE }), { bodyUnbuffered: true }).upstreamAddr, A);
  t.equal(send(b(), byPeer({ [A]: REFUSE }), { bodyUnbuffered: true }).upstreamAddr, `${A}, ${B}`, 'nothing sent yet');
  t.equal(send(b(), byPeer({ [A]: status(502) }), { bodyUnbuffered: true, policy: policy('http_502') }).upstreamAddr, A);
});

t.test('§6.2 an error on a cached keepalive connection does not use up a try', async (t) => {
  const b = createBalancer(upstream('u', RR, [A, B]));
  const ex = send(b, (_p, attempt) => (attempt < 2 ? CLOSE : OK), { cached: true, policy: policy('error', 2) });
  t.same([ex.upstreamAddr, ex.status], [`${A}, ${B}, u`, 502], 'the tries come back; then every peer was tried: no live upstreams');
  const c = createBalancer(upstream('u', RR, [A, B, C]));
  const ex2 = send(c, (_p, attempt) => (attempt < 2 ? CLOSE : OK), { cached: true, policy: policy('error', 2) });
  t.same([ex2.upstreamAddr, ex2.status], [`${A}, ${B}, ${C}`, 200], 'proxy_next_upstream_tries 2, yet a third attempt');
});

t.test('the request object: misuse is an INTERNAL error, reuse allocates nothing new, abort releases', async (t) => {
  const b = createBalancer(upstream('u', RR, [A, B]));
  const req = b.request();
  t.throws(() => req.pick(), { code: 'INTERNAL' });
  req.start(policy('error timeout'), { method: 'GET' });
  const peer = req.pick()!;
  t.throws(() => req.pick(), { code: 'INTERNAL' });
  t.throws(() => req.finish(), { code: 'INTERNAL' });
  t.throws(() => req.start(policy(''), { method: 'GET' }), { code: 'INTERNAL' }, 'a held peer must be released first');
  req.abort();
  t.same([req.phase, req.status, peer.conns, req.upstreamStatus()], ['done', 499, 0, '-']);
  for (let i = 0; i < 3; i++) send(b, () => OK, { request: req });
  t.same([req.upstreamAddr().includes(','), req.attempts], [false, 1], 'reused: the attempt list starts over');
  t.equal(send(b, () => ({ kind: 'respond', status: 200, hold: true }), { request: req }).request.failed({ kind: 'error', requestSent: true }),
    'finalize', 'a failure after the header is not retried');
  t.same([req.status, b.peers.primary.peers.map((p) => p.fails).join()], [200, '0,0'], 'and not counted');
});
