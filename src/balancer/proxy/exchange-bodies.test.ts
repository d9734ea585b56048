/**
 * Request and response bodies on the wire: request bodies passed through or re-chunked byte for
 * byte, response bodies de-chunked, truncation detected the way nginx words it (proxy_unfinished.t),
 * HEAD/204/304 without bodies, 1xx heads, backpressure, aborts and a client that goes away.
 */
import t from 'tap';
import { Readable } from 'node:stream';
import { createUpstreamClient } from './upstream-client.js';
import { CollectSink, fetchOnce, mustHead, ok, rawUpstream, request, serveEach, type UpstreamSide } from './testing.js';

const client = createUpstreamClient();
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Serves one response, written in the given pieces, then does `after`. */
function pieces(parts: string[], after: 'end' | 'reset' | 'stay' = 'stay'): (side: UpstreamSide) => Promise<void> {
  return async (side) => {
    await side.request();
    for (const p of parts) {
      side.write(p);
      await tick();
    }
    if (after === 'end') side.socket.end();
    if (after === 'reset') side.reset();
  };
}

t.test('request bodies: Content-Length passed through, chunked re-framed', async (t) => {
  const seen: string[] = [];
  const up = await rawUpstream(t, async (side) => {
    for (;;) {
      const r = await side.request();
      if (r === null) return;
      seen.push(r.head.split('\r\n')[0] + ' | ' + r.body.toString('latin1'));
      side.write(ok());
    }
  });
  const len = Buffer.from('POST /l HTTP/1.1\r\nHost: b\r\nContent-Length: 11\r\n\r\n');
  await fetchOnce(client, request(up.peer, { head: len, body: Readable.from([Buffer.from('hello'), Buffer.from(' world')]), bodyFraming: 'length' }));
  const chunked = Buffer.from('POST /c HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n');
  const big = Buffer.alloc(300, 0x62);
  await fetchOnce(client, request(up.peer, {
    head: chunked, body: Readable.from([Buffer.from('hello'), Buffer.alloc(0), big]), bodyFraming: 'chunked',
  }));
  await fetchOnce(client, request(up.peer, { head: chunked, body: Readable.from([]), bodyFraming: 'chunked' }));
  t.same(seen, [
    'POST /l HTTP/1.1 | hello world',
    `POST /c HTTP/1.1 | 5\r\nhello\r\n12c\r\n${big.toString('latin1')}\r\n0\r\n\r\n`,
    'POST /c HTTP/1.1 | 0\r\n\r\n',
  ]);
});

t.test('the request line and headers go out exactly as given', async (t) => {
  let raw = '';
  const up = await rawUpstream(t, async (side) => {
    const r = await side.request();
    raw = r!.head;
    side.socket.end('HTTP/1.0 200 OK\r\n\r\nbye');
  });
  const head = Buffer.from('GET /x?y=1 HTTP/1.0\r\nHost: backend\r\nConnection: close\r\nx-lower:  spaced \r\n\r\n');
  const r = await fetchOnce(client, request(up.peer, { head }));
  t.equal(raw, head.toString('latin1'));
  t.same([r.head.httpVersion, r.head.framing, r.result.complete, r.text], ['1.0', { kind: 'close' }, true, 'bye']);
});

t.test('chunked responses are de-chunked, however the reads fall', async (t) => {
  const body = '4\r\nWiki\r\n5;ext=1\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nTrailer: x\r\n\r\n';
  const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
  const whole = await rawUpstream(t, pieces([head + body]));
  const r = await fetchOnce(client, request(whole.peer));
  t.same([r.head.framing, r.result, r.text], [{ kind: 'chunked' }, { complete: true, bytes: 23 }, 'Wikipedia in\r\n\r\nchunks.']);
  const split = await rawUpstream(t, pieces([head.slice(0, 20), head.slice(20) + body.slice(0, 9), ...body.slice(9).split('')]));
  t.equal((await fetchOnce(client, request(split.peer))).text, 'Wikipedia in\r\n\r\nchunks.');
});

t.test('truncated bodies: complete false, in nginx words (proxy_unfinished.t)', async (t) => {
  const cases: [string, string, { buffering?: boolean }, number, string][] = [
    ['length', ok('x'.repeat(100)).slice(0, -88), {}, 12, 'upstream prematurely closed connection while reading upstream'],
    ['chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n', {}, 5,
      'upstream prematurely closed connection while reading upstream'],
  ];
  for (const [name, response, over, bytes, log] of cases) {
    const up = await rawUpstream(t, pieces([response], 'end'));
    const r = await fetchOnce(client, request(up.peer, over));
    t.same(r.result, { complete: false, bytes, log, level: 'error' }, `${name}, closed`);
  }
});

t.test('reset in the middle of a body: readv() when buffered, recv() when not', async (t) => {
  // the reset is sent once the client has passed bytes on, so it arrives in a read of its own
  // (libuv reports a reset that comes with data in one wake-up as an end of file)
  const cases: [string, string, { buffering?: boolean }, number, string][] = [
    ['length', ok('x'.repeat(100)).slice(0, -88), {}, 12, 'readv() failed (104: Connection reset by peer) while reading upstream'],
    ['close framing, unbuffered', 'HTTP/1.1 200 OK\r\n\r\nabc', { buffering: false }, 3,
      'recv() failed (104: Connection reset by peer) while reading upstream'],
  ];
  for (const [name, response, over, bytes, log] of cases) {
    const up = await rawUpstream(t, pieces([response]));
    const sink = new CollectSink({ onWrite: () => up.accepted[0]!.reset() });
    const r = await fetchOnce(client, request(up.peer, over), sink);
    t.same(r.result, { complete: false, bytes, log, level: 'error' }, name);
  }
});

t.test('read timeout in the middle of a body', async (t) => {
  const up = await rawUpstream(t, pieces([ok('0123456789').slice(0, -4)]));
  const r = await fetchOnce(client, request(up.peer, { readTimeoutMs: 60 }));
  t.same(r.result, { complete: false, bytes: 6, log: 'upstream timed out (110: Connection timed out) while reading upstream', level: 'error' });
  await up.accepted[0]!.closedByClient();
});

t.test('an invalid chunked body, and data after the final chunk', async (t) => {
  const bad = await rawUpstream(t, pieces(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX']));
  t.same((await fetchOnce(client, request(bad.peer))).result, {
    complete: false, bytes: 2, log: 'upstream sent invalid chunked response while reading upstream', level: 'error',
  });
  const after = await rawUpstream(t, pieces(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\nextra']));
  t.same((await fetchOnce(client, request(after.peer))).result, {
    complete: true, bytes: 2, log: 'upstream sent data after final chunk while reading upstream', level: 'warn',
  });
});

t.test('HEAD, 204 and 304 have no body whatever their headers say; close framing reads to EOF', async (t) => {
  const answers = [
    'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n',
    'HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n',
    'HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n',
  ];
  const up = await rawUpstream(t, serveEach(() => answers.shift()!));
  for (const isHead of [true, false, false]) {
    const r = await fetchOnce(client, request(up.peer, { isHead }));
    t.same([r.head.framing, r.result], [{ kind: 'none' }, { complete: true, bytes: 0 }]);
  }
  const eof = await rawUpstream(t, pieces(['HTTP/1.1 200 OK\r\n\r\nuntil', ' the end'], 'end'));
  const r = await fetchOnce(client, request(eof.peer));
  t.same([r.head.framing, r.head.keepAlive, r.result, r.text], [{ kind: 'close' }, true, { complete: true, bytes: 13 }, 'until the end']);
});

t.test('1xx: nginx 1.22 takes it as the final response; `interim: skip` reads past all but 101', async (t) => {
  const wire = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
  const up = await rawUpstream(t, pieces([wire], 'end'));
  const passed = await fetchOnce(client, request(up.peer));
  t.same([passed.head.status, passed.head.framing, passed.text], [100, { kind: 'close' }, wire.slice('HTTP/1.1 100 Continue\r\n\r\n'.length)]);
  const skipping = createUpstreamClient({ interim: 'skip' });
  const again = await rawUpstream(t, pieces([wire.slice(0, 30), wire.slice(30)], 'end'));
  const skipped = await fetchOnce(skipping, request(again.peer));
  t.same([skipped.head.status, skipped.head.rawHeaders, skipped.text], [200, ['Content-Length', '2'], 'ok']);
  const upgrade = await rawUpstream(t, pieces(['HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n']));
  const { head, body } = mustHead(await skipping.exchange(request(upgrade.peer)));
  t.same([head.status, head.keepAlive], [101, false]);
  body.discard();
});

t.test('backpressure: a slow client gets every byte', async (t) => {
  const size = 4 * 1024 * 1024;
  const up = await rawUpstream(t, async (side) => {
    await side.request();
    side.write(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`);
    side.write(Buffer.alloc(size, 0x7a));
  });
  const sink = new CollectSink({ slow: true, highWaterMark: 16 * 1024 });
  const r = await fetchOnce(client, request(up.peer, { readTimeoutMs: 5000 }), sink);
  t.same(r.result, { complete: true, bytes: size });
  t.equal(Buffer.concat(sink.pieces).length, size);
});

t.test('abort and a vanishing client in the middle of a body', async (t) => {
  const up = await rawUpstream(t, pieces([ok('x'.repeat(50)).slice(0, -40)]));
  const ac = new AbortController();
  const { body } = mustHead(await client.exchange(request(up.peer, { signal: ac.signal })));
  const piped = body.pipe(new CollectSink());
  ac.abort();
  t.same(await piped, { complete: false, bytes: 10 });
  await up.accepted[0]!.closedByClient();

  const big = await rawUpstream(t, pieces([`HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n${'y'.repeat(65536)}`]));
  const sink = new CollectSink({ slow: true, highWaterMark: 1 });
  const out = mustHead(await client.exchange(request(big.peer)));
  const pending = out.body.pipe(sink);
  sink.writable.destroy();
  t.match(await pending, { complete: false });
  await big.accepted[0]!.closedByClient();
});
