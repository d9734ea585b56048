/**
 * Each behaviour as a client on the wire sees it: one host process, one backend per behaviour,
 * raw sockets on 127.0.0.1 (testing/wire.ts).
 */
import t from 'tap';
import { behaviours as b, type BackendSpec } from './behaviour.js';
import { startBackendHost } from './client.js';
import { curl, get, parseResponse, parseResponses, probe } from './testing/wire.js';

const host = await startBackendHost();
t.teardown(() => host.stop());

const CLOSE = ['Connection: close'];
const specs: BackendSpec[] = [
  { name: 'a', port: 0, behaviour: b.ok() },
  { name: 'sized', port: 0, behaviour: b.ok({ body: { kind: 'size', bodyBytes: 10_000 }, headers: [['X-Extra', 'yes']] }) },
  { name: 'unavailable', port: 0, behaviour: b.status(503) },
  { name: 'limited', port: 0, behaviour: b.status(429, { headers: [['Retry-After', '1']] }) },
  { name: 'slow', port: 0, behaviour: b.slow({ delayMs: 120 }) },
  { name: 'jittery', port: 0, behaviour: b.slow({ delayMs: 20, jitterMs: 40, seed: 7 }) },
  { name: 'trickle', port: 0, behaviour: b.slow({}, { chunkBytes: 100, intervalMs: 40 }, { body: { kind: 'size', bodyBytes: 500 } }) },
  { name: 'reset-accept', port: 0, behaviour: b.reset('accept') },
  { name: 'reset-headers', port: 0, behaviour: b.reset('headers') },
  { name: 'reset-body', port: 0, behaviour: b.reset('body', 1, { body: { kind: 'size', bodyBytes: 4000 } }) },
  { name: 'reset-third', port: 0, behaviour: b.reset('headers', 3) },
  { name: 'close-headers', port: 0, behaviour: b.close('headers') },
  { name: 'close-body', port: 0, behaviour: b.close('body', 1, { body: { kind: 'size', bodyBytes: 4000 } }) },
  { name: 'hang', port: 0, behaviour: b.hang() },
  { name: 'dead', port: 0, behaviour: b.dead() },
];
await host.defineAll(specs);
const port = (name: string): number => host.info(name).port;

t.test('ok: 200, the backend named in a header and in the body', async (t) => {
  const r = await probe(port('a'), get('/', CLOSE));
  t.equal(r.ending, 'fin');
  const res = parseResponse(r.bytes)!;
  t.equal(res.status, 200);
  t.equal(res.headers.get('x-lbtest-backend'), 'a');
  t.equal(res.headers.get('connection'), 'close');
  t.equal(res.body.toString(), 'a\n');
});

t.test('ok: a body of the size asked, its name first, and extra headers', async (t) => {
  const res = parseResponse((await probe(port('sized'), get('/', CLOSE))).bytes)!;
  t.equal(res.body.length, 10_000);
  t.ok(res.complete);
  t.equal(res.body.subarray(0, 6).toString(), 'sized\n');
  t.equal(res.headers.get('x-extra'), 'yes');
});

t.test('ok: HEAD has the head only; HTTP/1.0 closes; pipelined requests answer in order', async (t) => {
  const head = parseResponse((await probe(port('sized'), 'HEAD / HTTP/1.1\r\nConnection: close\r\n\r\n')).bytes)!;
  t.equal(head.headers.get('content-length'), '10000');
  t.equal(head.body.length, 0);
  const old = await probe(port('a'), get('/', [], '1.0'));
  t.equal(old.ending, 'fin', 'HTTP/1.0 without keep-alive: the backend closes');
  t.equal(parseResponse(old.bytes)!.headers.get('connection'), 'close');
  const three = await probe(port('a'), get('/1') + get('/2') + get('/3', CLOSE));
  t.equal(three.ending, 'fin');
  t.same(parseResponses(three.bytes).map((r) => r.status), [200, 200, 200]);
});

t.test('ok: request bodies (Content-Length, chunked) are read past, and the next request answered', async (t) => {
  const post = 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello';
  const chunked = 'POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\n\r\n';
  const r = await probe(port('a'), post + chunked + get('/c', CLOSE));
  t.same(parseResponses(r.bytes).map((x) => x.status), [200, 200, 200]);
});

t.test('a malformed request gets 400 and a close', async (t) => {
  const r = await probe(port('a'), 'NONSENSE\r\n\r\n');
  t.equal(r.ending, 'fin');
  t.equal(parseResponse(r.bytes)!.status, 400);
});

t.test('status: 503 and 429 with valid framing; the connection stays usable', async (t) => {
  const r = await probe(port('unavailable'), get('/') + get('/', CLOSE));
  const [first, second] = parseResponses(r.bytes);
  t.equal(first!.status, 503);
  t.ok(first!.complete);
  t.equal(first!.body.toString(), 'unavailable\n');
  t.equal(second!.status, 503, 'kept alive after a 503');
  const limited = parseResponse((await probe(port('limited'), get('/', CLOSE))).bytes)!;
  t.equal(limited.status, 429);
  t.equal(limited.headers.get('retry-after'), '1');
});

t.test('slow: the head leaves after the delay', async (t) => {
  const r = await probe(port('slow'), get('/', CLOSE));
  t.equal(parseResponse(r.bytes)!.status, 200);
  t.ok(r.reads[0]!.atMs >= 115, `first byte after ${r.reads[0]!.atMs.toFixed(1)}ms`);
});

t.test('slow: jittered delays stay within [delay, delay + jitter)', async (t) => {
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) delays.push((await probe(port('jittery'), get('/', CLOSE))).reads[0]!.atMs);
  t.ok(delays.every((d) => d >= 19), `all at least 20ms: ${delays.map((d) => d.toFixed(0)).join(' ')}`);
  t.ok(Math.max(...delays) - Math.min(...delays) > 3, 'not all equal');
});

t.test('slow: a trickled body arrives a chunk per interval after the head', async (t) => {
  const r = await probe(port('trickle'), get('/', CLOSE));
  const res = parseResponse(r.bytes)!;
  t.ok(res.complete);
  t.equal(res.body.length, 500);
  t.ok(r.reads.length >= 5, `${r.reads.length} reads`);
  const spanMs = r.reads.at(-1)!.atMs - r.reads[0]!.atMs;
  t.ok(spanMs >= 4 * 40 * 0.9, `body spread over ${spanMs.toFixed(0)}ms`);
});

t.test('reset at accept: ECONNRESET, no byte', async (t) => {
  const r = await probe(port('reset-accept'), get('/'));
  t.equal(r.ending, 'reset');
  t.equal(r.bytes.length, 0);
});

t.test('reset at headers: ECONNRESET after the request, no byte', async (t) => {
  const r = await probe(port('reset-headers'), get('/'));
  t.equal(r.ending, 'reset');
  t.equal(r.errorCode, 'ECONNRESET');
  t.equal(r.bytes.length, 0);
});

t.test('reset mid-body: the head and part of the body, then the connection ends', async (t) => {
  // libuv reports an RST that lands with the data as an end of stream; curl (below) names it.
  const r = await probe(port('reset-body'), get('/'));
  t.ok(r.ending === 'reset' || r.ending === 'fin', `ended by ${r.ending}`);
  const res = parseResponse(r.bytes)!;
  t.equal(res.status, 200);
  t.equal(res.body.length, 2000);
  t.notOk(res.complete);
});

t.test('reset every 3rd request: 200, 200, reset, 200, 200, reset', async (t) => {
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await probe(port('reset-third'), get('/', CLOSE));
    seen.push(r.ending === 'reset' ? 'reset' : String(parseResponse(r.bytes)?.status));
  }
  t.same(seen, ['200', '200', 'reset', '200', '200', 'reset']);
});

t.test('close at headers: FIN without a byte (upstream prematurely closed)', async (t) => {
  const r = await probe(port('close-headers'), get('/'));
  t.equal(r.ending, 'fin');
  t.equal(r.bytes.length, 0);
});

t.test('close mid-body: FIN after a truncated body', async (t) => {
  const r = await probe(port('close-body'), get('/'));
  t.equal(r.ending, 'fin');
  const res = parseResponse(r.bytes)!;
  t.equal(res.headers.get('content-length'), '4000');
  t.equal(res.body.length, 2000);
  t.notOk(res.complete);
});

t.test('hang: accepted, never answered (the client times out)', async (t) => {
  const r = await probe(port('hang'), get('/'), { timeoutMs: 300 });
  t.equal(r.ending, 'timeout');
  t.equal(r.bytes.length, 0);
});

t.test('dead: ECONNREFUSED on a port that is kept', async (t) => {
  const info = host.info('dead');
  t.equal(info.listening, false);
  t.ok(info.port > 0);
  const r = await probe(info.port, get('/'));
  t.equal(r.ending, 'refused');
  t.equal(r.errorCode, 'ECONNREFUSED');
});

t.test('as curl sees them: reset 56, truncated 18, empty reply 52, refused 7, timeout 28, 503 served', async (t) => {
  const url = (name: string): string => `http://${host.address(name)}/`;
  const first = await curl(url('a'), ['-o', '/dev/null']);
  if (first === null) { t.comment('curl is not installed: skipped'); return; }
  t.equal(first.exitCode, 0);
  // An RST right after the handshake may reach curl while it still checks the connect (7) or on
  // its first read (56); both are "104: Connection reset by peer".
  const expected: Record<string, readonly number[]> = {
    'reset-accept': [7, 56], 'reset-headers': [56], 'reset-body': [56], 'close-body': [18], 'close-headers': [52], dead: [7],
  };
  for (const [name, codes] of Object.entries(expected)) {
    const r = (await curl(url(name), ['-o', '/dev/null']))!;
    t.ok(codes.includes(r.exitCode), `${name}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    if (name === 'reset-accept' && r.exitCode === 7) t.match(r.stderr, /reset|connect/i);
  }
  t.equal((await curl(url('hang'), ['-o', '/dev/null', '--max-time', '0.3']))!.exitCode, 28, 'hang: curl times out');
  const unavailable = (await curl(url('unavailable'), ['-o', '/dev/null', '-w', '%{http_code}']))!;
  t.equal(unavailable.exitCode, 0);
  t.equal(unavailable.stdout, '503');
});
