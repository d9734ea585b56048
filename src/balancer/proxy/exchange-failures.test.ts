/**
 * Every failure of the head phase against raw upstreams on 127.0.0.1: its kind, requestSent,
 * cached and nginx's log line. A connect timeout comes from a listener whose accept queue is
 * full (its thread blocked, so nothing is accepted and the kernel drops further SYNs).
 */
import t from 'tap';
import { createServer, Socket } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { createUpstreamClient } from './upstream-client.js';
import { CollectSink, mustHead, rawUpstream, request, tcpPeer, unixPeer, withoutTime } from './testing.js';

const client = createUpstreamClient();

t.test('connection refused', async (t) => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  const out = await client.exchange(request(tcpPeer(port)));
  t.same(withoutTime(out), { ok: false, failure: {
    kind: 'error', requestSent: false, cached: false, aborted: false, level: 'error',
    log: 'connect() failed (111: Connection refused) while connecting to upstream',
  } });
});

t.test('the connection time: -1 when the connect failed, when it was there otherwise', async (t) => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  server.close();
  await once(server, 'close');
  t.equal((await client.exchange(request(tcpPeer(port)))).connectedAt, -1);
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    side.reset();
  });
  const before = performance.now();
  const out = await client.exchange(request(up.peer));
  t.equal(out.ok, false);
  t.ok(out.connectedAt >= before && out.connectedAt <= performance.now(), 'reset after connecting: the time it connected');
});

t.test('a unix socket that does not exist: connect() to ... failed at crit', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-px-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'none.sock');
  const out = await client.exchange(request(unixPeer(path)));
  t.same(withoutTime(out), { ok: false, failure: {
    kind: 'error', requestSent: false, cached: false, aborted: false, level: 'crit',
    log: `connect() to unix:${path} failed (2: No such file or directory) while connecting to upstream`,
  } });
});

t.test('a unix socket upstream works like TCP', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-px-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'up.sock');
  const server = createServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')));
  server.listen(path);
  t.teardown(() => server.close());
  await once(server, 'listening');
  const { head, body } = mustHead(await client.exchange(request(unixPeer(path))));
  const sink = new CollectSink();
  t.equal(head.status, 200);
  t.same(await body.pipe(sink), { complete: true, bytes: 2 });
  t.equal(sink.text(), 'ok');
});

t.test('connect timeout: a listener with a full accept queue', async (t) => {
  const release = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const server = require('node:net').createServer();
    server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
      parentPort.postMessage(server.address().port);
      Atomics.wait(workerData, 0, 0);
    });`, { eval: true, workerData: release });
  const fillers: Socket[] = [];
  t.teardown(async () => {
    for (const s of fillers) s.destroy();
    Atomics.store(release, 0, 1);
    Atomics.notify(release, 0);
    await worker.terminate();
  });
  const [port] = (await once(worker, 'message')) as [number];
  // backlog 1 holds two established connections; Linux then drops SYNs (tcp_abort_on_overflow=0)
  for (let i = 0; i < 2; i++) {
    const s = new Socket();
    fillers.push(s);
    s.connect(port, '127.0.0.1');
    await once(s, 'connect');
  }
  const out = await client.exchange(request(tcpPeer(port), { connectTimeoutMs: 50 }));
  t.same(withoutTime(out), { ok: false, failure: {
    kind: 'timeout', requestSent: false, cached: false, aborted: false, level: 'error',
    log: 'upstream timed out (110: Connection timed out) while connecting to upstream',
  } });
});

t.test('an injected connect error (no route to host) is worded as nginx does', async (t) => {
  const failing = createUpstreamClient({
    connect: () => {
      const s = new Socket();
      setImmediate(() => s.destroy(Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH', errno: -113, syscall: 'connect' })));
      return s;
    },
  });
  const out = await failing.exchange(request(tcpPeer(9)));
  t.match(out, { ok: false, failure: { kind: 'error', requestSent: false, log: 'connect() failed (113: No route to host) while connecting to upstream' } });
});

t.test('reset before the header', async (t) => {
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    side.reset();
  });
  const out = await client.exchange(request(up.peer));
  t.same(withoutTime(out), { ok: false, failure: {
    kind: 'error', requestSent: true, cached: false, aborted: false, level: 'error',
    log: 'recv() failed (104: Connection reset by peer) while reading response header from upstream',
  } });
});

t.test('closed before the header, and closed in the middle of it', async (t) => {
  for (const partial of ['', 'HTTP/1.1 200 OK\r\nContent-Len']) {
    const up = await rawUpstream(t, async (side) => {
      await side.request();
      side.socket.end(partial);
    });
    const out = await client.exchange(request(up.peer));
    t.same(withoutTime(out), { ok: false, failure: {
      kind: 'error', requestSent: true, cached: false, aborted: false, level: 'error',
      log: 'upstream prematurely closed connection while reading response header from upstream',
    } }, JSON.stringify(partial));
  }
});

t.test('read timeout before the header: counted from the end of the request, not per read', async (t) => {
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    side.write('HTTP/1.1 200 OK\r\n');
  });
  const out = await client.exchange(request(up.peer, { readTimeoutMs: 60 }));
  t.same(withoutTime(out), { ok: false, failure: {
    kind: 'timeout', requestSent: true, cached: false, aborted: false, level: 'error',
    log: 'upstream timed out (110: Connection timed out) while reading response header from upstream',
  } });
  await up.accepted[0]!.closedByClient();
  t.pass('the connection is closed');
});

t.test('invalid header and too big header are invalid_header', async (t) => {
  const up = await rawUpstream(t, async (side) => {
    const r = await side.request();
    side.write(r!.head.includes('/big')
      ? `HTTP/1.1 200 OK\r\nX-Big: ${'x'.repeat(200)}\r\n\r\n`
      : 'HTTP/1.1 200 OK\r\nBad Header: 1\r\n\r\n');
  });
  const bad = await client.exchange(request(up.peer));
  t.same(withoutTime(bad), { ok: false, failure: {
    kind: 'invalid_header', requestSent: true, cached: false, aborted: false, level: 'error',
    log: 'upstream sent invalid header: "Bad\\x20..." while reading response header from upstream',
  } });
  const big = await client.exchange(request(up.peer, { head: Buffer.from('GET /big HTTP/1.0\r\n\r\n'), maxHeadBytes: 128 }));
  t.same(withoutTime(big), { ok: false, failure: {
    kind: 'invalid_header', requestSent: true, cached: false, aborted: false, level: 'error',
    log: 'upstream sent too big header while reading response header from upstream',
  } });
});

t.test('a head of exactly proxy_buffer_size bytes is accepted, even split over reads', async (t) => {
  const head = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ' + 'p'.repeat(40) + '\r\n\r\n';
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    for (let i = 0; i < head.length; i += 7) {
      side.write(head.slice(i, i + 7));
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
  const out = await client.exchange(request(up.peer, { maxHeadBytes: head.length }));
  t.equal(mustHead(out).head.status, 200);
  t.same(mustHead(out).head.rawHeaders, ['Content-Length', '0', 'X-Pad', 'p'.repeat(40)]);
});

t.test('no status line: nginx 1.22 passes the bytes as an HTTP/0.9 body with 200', async (t) => {
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    side.socket.end('hello, world\n');
  });
  const { head, body } = mustHead(await client.exchange(request(up.peer)));
  t.same(head, {
    status: 200, reason: '', httpVersion: '0.9', rawHeaders: [], framing: { kind: 'close' }, keepAlive: false,
    note: { log: 'upstream sent no valid HTTP/1.0 header while reading response header from upstream', level: 'error' },
  });
  const sink = new CollectSink();
  t.same(await body.pipe(sink), { complete: true, bytes: 13 });
  t.equal(sink.text(), 'hello, world\n');
});

t.test('send timeout: the upstream reads nothing while a large body waits', async (t) => {
  const up = await rawUpstream(t, (side) => { side.socket.pause(); });
  let produced = 0;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const body = new Readable({
    read() {
      if (produced >= 512 * 1024 * 1024) { this.push(null); return; }
      produced += chunk.length;
      this.push(chunk);
    },
  });
  const head = Buffer.from('PUT /up HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n');
  const out = await client.exchange(request(up.peer, { head, body, bodyFraming: 'chunked', sendTimeoutMs: 80 }));
  t.same(withoutTime(out), { ok: false, failure: {
    kind: 'timeout', requestSent: true, cached: false, aborted: false, level: 'error',
    log: 'upstream timed out (110: Connection timed out) while sending request to upstream',
  } });
  t.ok(produced < 512 * 1024 * 1024, 'the body stream was paused, not drained');
});

t.test('abort while waiting for the head: aborted, and the upstream sees the close', async (t) => {
  let got!: () => void;
  const requested = new Promise<void>((resolve) => { got = resolve; });
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    got();
  });
  const ac = new AbortController();
  const pending = client.exchange(request(up.peer, { signal: ac.signal }));
  await requested;
  ac.abort();
  const out = await pending;
  t.match(out, { ok: false, failure: { kind: 'error', requestSent: true, aborted: true, level: 'info' } });
  await up.accepted[0]!.closedByClient();
  const already = await client.exchange(request(up.peer, { signal: AbortSignal.abort() }));
  t.match(already, { ok: false, failure: { aborted: true, requestSent: false } }, 'an aborted signal never connects');
  t.equal(up.accepted.length, 1);
});
