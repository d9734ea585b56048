/**
 * Upstream keepalive as nginx's upstream_keepalive.t and proxy_keepalive.t describe it, against
 * raw upstreams that count their connections: reuse, keepalive_requests, keepalive_time (checked
 * at release, injected clock), keepalive_timeout, Connection: close, HTTP/1.0, stale cached
 * connections, LRU eviction, and never reusing a connection with bytes left over.
 */
import t from 'tap';
import { PassThrough } from 'node:stream';
import { FakeClock } from '../../core/clock.js';
import { createUpstreamClient } from './upstream-client.js';
import type { DropReason } from './keepalive-pool.js';
import { KEEPALIVE, fetchOnce, mustHead, ok, rawUpstream, request, serveEach, withoutTime } from './testing.js';

const client = createUpstreamClient();

/** The next reason the pool drops an idle connection. */
function nextDrop(pool: ReturnType<typeof client.createPool>): Promise<[DropReason, string]> {
  return new Promise((resolve) => pool.observe((reason, peer) => { pool.observe(null); resolve([reason, peer]); }));
}

t.test('three requests share one connection', async (t) => {
  const up = await rawUpstream(t, serveEach((n) => ok(`r${n}`)));
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  const texts: string[] = [];
  for (let i = 0; i < 3; i++) texts.push((await fetchOnce(client, request(up.peer, { pool }))).text);
  t.same(texts, ['r0', 'r1', 'r2']);
  t.equal(up.accepted.length, 1);
  t.equal(pool.idleCount(), 1);
});

t.test('keepalive_requests 3: the 4th request opens a new connection, the first is closed', async (t) => {
  const up = await rawUpstream(t, serveEach(() => ok()));
  const pool = client.createPool({ ...KEEPALIVE, requests: 3 });
  t.teardown(() => pool.close());
  for (let i = 0; i < 4; i++) await fetchOnce(client, request(up.peer, { pool }));
  t.equal(up.accepted.length, 2);
  await up.accepted[0]!.closedByClient();
  t.equal(pool.idleCount(), 1);
});

t.test('keepalive_time is checked at release: the old connection serves once more', async (t) => {
  const clock = new FakeClock();
  const timed = createUpstreamClient({ clock });
  const up = await rawUpstream(t, serveEach(() => ok()));
  const pool = timed.createPool({ ...KEEPALIVE, timeMs: 2000 });
  t.teardown(() => pool.close());
  await fetchOnce(timed, request(up.peer, { pool }));
  clock.advance(2500);
  await fetchOnce(timed, request(up.peer, { pool }));
  t.equal(up.accepted.length, 1, 'reused after keepalive_time');
  t.equal(pool.idleCount(), 0, 'but not cached again');
  await fetchOnce(timed, request(up.peer, { pool }));
  t.equal(up.accepted.length, 2);
});

t.test('keepalive_timeout closes an idle connection', async (t) => {
  const up = await rawUpstream(t, serveEach(() => ok()));
  const pool = client.createPool({ ...KEEPALIVE, timeoutMs: 40 });
  t.teardown(() => pool.close());
  const dropped = nextDrop(pool);
  await fetchOnce(client, request(up.peer, { pool }));
  t.same(await dropped, ['timeout', up.peer.name]);
  t.equal(pool.idleCount(), 0);
  await up.accepted[0]!.closedByClient();
  await fetchOnce(client, request(up.peer, { pool }));
  t.equal(up.accepted.length, 2);
});

t.test('Connection: close and HTTP/1.0 responses are not reused, even with keep-alive', async (t) => {
  const answers = [
    ok('a', 'Connection: close\r\n'),
    'HTTP/1.0 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\nb',
    ok('c'),
  ];
  const up = await rawUpstream(t, serveEach(() => answers.shift()!));
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  const first = await fetchOnce(client, request(up.peer, { pool }));
  t.equal(first.head.keepAlive, false);
  const second = await fetchOnce(client, request(up.peer, { pool }));
  t.equal(second.head.keepAlive, false);
  await fetchOnce(client, request(up.peer, { pool }));
  t.equal(up.accepted.length, 3);
  await up.accepted[0]!.closedByClient();
  await up.accepted[1]!.closedByClient();
  t.equal(pool.idleCount(), 1);
});

t.test('an idle connection the upstream closes leaves the pool', async (t) => {
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    side.write(ok());
    await new Promise((resolve) => side.socket.once('drain', resolve).once('close', resolve).write('', resolve));
    side.socket.end();
  });
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  const dropped = nextDrop(pool);
  await fetchOnce(client, request(up.peer, { pool }));
  t.same(await dropped, ['closed', up.peer.name]);
  t.equal(pool.idleCount(), 0);
});

t.test('a stale cached connection fails with cached: true', async (t) => {
  for (const [how, log] of [
    ['close', 'upstream prematurely closed connection while reading response header from upstream'],
    ['reset', 'recv() failed (104: Connection reset by peer) while reading response header from upstream'],
  ] as const) {
    const up = await rawUpstream(t, async (side) => {
      await side.request();
      side.write(ok());
      await side.request();
      if (how === 'close') side.socket.end();
      else side.reset();
    });
    const pool = client.createPool(KEEPALIVE);
    t.teardown(() => pool.close());
    await fetchOnce(client, request(up.peer, { pool }));
    const out = await client.exchange(request(up.peer, { pool }));
    t.same(withoutTime(out), { ok: false, failure: { kind: 'error', requestSent: true, cached: true, aborted: false, level: 'error', log } }, how);
  }
});

t.test('LRU: with keepalive 1 the older idle connection is evicted; peers never share', async (t) => {
  const a = await rawUpstream(t, serveEach(() => ok('a')));
  const b = await rawUpstream(t, serveEach(() => ok('b')));
  const pool = client.createPool({ ...KEEPALIVE, connections: 1 });
  t.teardown(() => pool.close());
  await fetchOnce(client, request(a.peer, { pool }));
  const dropped = nextDrop(pool);
  t.equal((await fetchOnce(client, request(b.peer, { pool }))).text, 'b', 'b does not take a\'s connection');
  t.same(await dropped, ['evicted', a.peer.name]);
  await fetchOnce(client, request(a.peer, { pool }));
  t.same([a.accepted.length, b.accepted.length, pool.idleCount()], [2, 1, 1]);
});

t.test('close() drops idle connections and caches nothing after', async (t) => {
  const up = await rawUpstream(t, serveEach(() => ok()));
  const pool = client.createPool(KEEPALIVE);
  await fetchOnce(client, request(up.peer, { pool }));
  const dropped = nextDrop(pool);
  pool.close();
  t.same(await dropped, ['shutdown', up.peer.name]);
  await fetchOnce(client, request(up.peer, { pool }));
  t.equal(pool.idleCount(), 0);
  await up.accepted[1]!.closedByClient();
});

t.test('pipelining safety: bytes beyond the response are never left on a cached connection', async (t) => {
  const up = await rawUpstream(t, serveEach((n) => n === 0 ? ok('one') + 'HTTP/1.1 200 OK\r\n' : ok()));
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  const first = await fetchOnce(client, request(up.peer, { pool }));
  t.same(first.result, {
    complete: true, bytes: 3, level: 'warn',
    log: 'upstream sent more data than specified in "Content-Length" header while reading upstream',
  });
  t.equal(first.text, 'one');
  t.equal(pool.idleCount(), 0);
  await up.accepted[0]!.closedByClient();

  const late = await rawUpstream(t, async (side) => {
    await side.request();
    side.write(ok());
    await side.request();
  });
  const dropped = nextDrop(pool);
  await fetchOnce(client, request(late.peer, { pool }));
  late.accepted[0]!.write('HTTP/1.1 200 OK\r\n\r\n');
  t.same(await dropped, ['data', late.peer.name], 'bytes on an idle connection close it');
});

t.test('bytes that come with a bodiless head: dropped for HEAD (cached), a warning for 204', async (t) => {
  const answers = ['HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody', 'HTTP/1.1 204 No Content\r\n\r\nbody', ok()];
  const up = await rawUpstream(t, serveEach(() => answers.shift()!));
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  const head = await fetchOnce(client, request(up.peer, { pool, isHead: true }));
  t.same([head.result, pool.idleCount()], [{ complete: true, bytes: 0 }, 1]);
  const noContent = await fetchOnce(client, request(up.peer, { pool }));
  t.same([noContent.result, pool.idleCount()], [{
    complete: true, bytes: 0, level: 'warn',
    log: 'upstream sent more data than specified in "Content-Length" header while reading upstream',
  }, 0]);
  t.equal(up.accepted.length, 1);
});

t.test('bodies of every framing keep the connection (proxy_keepalive.t)', async (t) => {
  const answers = [
    ok('length'),
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
    'HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n',
    'HTTP/1.1 204 No Content\r\n\r\n',
    'HTTP/1.1 304 Not Modified\r\n\r\n',
    'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n',
  ];
  const heads = [false, false, false, false, true, false, false, false];
  const up = await rawUpstream(t, serveEach(() => answers.shift()!));
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  const texts: string[] = [];
  for (const isHead of heads) {
    const r = await fetchOnce(client, request(up.peer, { pool, isHead }));
    t.equal(r.result.complete, true);
    texts.push(r.text);
  }
  t.same(texts, ['length', 'abcde', '', '', '', '', '', '']);
  t.equal(up.accepted.length, 1);
});

t.test('a bodiless response dropped with reuse keeps its connection (nginx sets u->keepalive for it)', async (t) => {
  const up = await rawUpstream(t, serveEach((n) => (n === 0
    ? 'HTTP/1.1 200 OK\r\nX-Accel-Redirect: /elsewhere\r\nContent-Length: 0\r\n\r\n'
    : n === 1 ? 'HTTP/1.1 204 No Content\r\n\r\n' : ok('after'))));
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  mustHead(await client.exchange(request(up.peer, { pool }))).body.discard(true);
  t.equal(pool.idleCount(), 1, 'Content-Length: 0, dropped: cached');
  mustHead(await client.exchange(request(up.peer, { pool }))).body.discard(true);
  t.equal(pool.idleCount(), 1, 'a 204, dropped: cached');
  t.equal((await fetchOnce(client, request(up.peer, { pool }))).text, 'after');
  t.equal(up.accepted.length, 1, 'all three on one connection');
  const failed = await rawUpstream(t, serveEach(() => 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  mustHead(await client.exchange(request(failed.peer, { pool }))).body.discard();
  await failed.accepted[0]!.closedByClient();
  t.equal(pool.idleCount(), 1, 'without reuse (NGX_PEER_FAILED) even a bodiless answer\'s connection is closed');
});

t.test('a connection whose body was discarded, or whose request body was cut short, is not cached', async (t) => {
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    side.write(ok('discarded'));
    side.socket.once('data', () => side.write(ok('early')));
  });
  const pool = client.createPool(KEEPALIVE);
  t.teardown(() => pool.close());
  mustHead(await client.exchange(request(up.peer, { pool }))).body.discard();
  await up.accepted[0]!.closedByClient();

  const early = await rawUpstream(t, (side) => { side.socket.once('data', () => side.write(ok('early'))); });
  const body = new PassThrough();
  body.write('part');
  const head = Buffer.from('POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 100\r\n\r\n');
  const r = await fetchOnce(client, request(early.peer, { pool, head, body, bodyFraming: 'length' }));
  t.equal(r.text, 'early');
  t.equal(pool.idleCount(), 0, 'the head came before the body was sent: nginx does not cache it');
  t.ok(body.isPaused(), 'the rest of the body is left to the caller, paused');
  await early.accepted[0]!.closedByClient();
});
