/**
 * The request head as nginx 1.22 reads it: request lines, header lines (invalid ones dropped),
 * the checks on Host, Content-Length and Transfer-Encoding, limits, and heads that arrive in
 * pieces. Table-driven; statuses are what nginx answers.
 */
import t from 'tap';
import { AGAIN, RequestParser } from './request-parser.js';
import { HEADER_TOO_LARGE } from '../pages.js';

const p = new RequestParser();
const parse = (text: string, lineMax = 8192, count = 4): number => p.parse(Buffer.from(text, 'latin1'), lineMax, lineMax * count);

t.test('request lines', async (t) => {
  const ok: [string, string, string, string][] = [
    ['GET / HTTP/1.1\r\nHost: a\r\n\r\n', 'GET', '/', '1.1'],
    ['\r\n\r\nGET /x?y=1 HTTP/1.0\r\n\r\n', 'GET', '/x?y=1', '1.0'],
    ['POST   /p   HTTP/1.1  \r\nHost: a\r\n\r\n', 'POST', '/p', '1.1'],
    ['M-Y_OWN / HTTP/1.1\nHost: a\n\n', 'M-Y_OWN', '/', '1.1'],
    ['GET /a HTTP/1.2\r\nHost: a\r\n\r\n', 'GET', '/a', '1.2'],
    ['GET http://Example.com:8080/p?q HTTP/1.1\r\nHost: a\r\n\r\n', 'GET', '/p?q', '1.1'],
    ['GET /\r\n', 'GET', '/', '0.9'],
  ];
  for (const [text, method, target, version] of ok) {
    t.equal(parse(text), 1, JSON.stringify(text));
    t.same([p.head!.method, p.head!.target, `${p.head!.major}.${p.head!.minor}`], [method, target, version], JSON.stringify(text));
  }
  t.equal(parse('GET http://Example.com:8080/p HTTP/1.1\r\nHost: a\r\n\r\n') && p.head!.lineHost, 'example.com:8080');
  const bad: [string, number][] = [
    ['get / HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['GET * HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['GET http:/a/ HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['GET / HTTP/2.0\r\nHost: a\r\n\r\n', 505],
    ['GET / HTTP/0.9\r\n\r\n', 400],
    ['GET / HTTP/1.\r\n\r\n', 400],
    ['GET / HTTX/1.1\r\n\r\n', 400],
    ['POST /\r\n', 400],
    ['GET / HTTP/1.1\rX\r\n', 400],
  ];
  for (const [text, status] of bad) t.equal(parse(text), status, JSON.stringify(text));
  p.parse(Buffer.from('POST /\r\n'), 8192, 32768);
  t.ok(p.error09, 'an HTTP/0.9 line is answered without a head');
});

t.test('header lines: kept, dropped, refused', async (t) => {
  t.equal(parse('GET / HTTP/1.1\r\nHost: a\r\nX-A:  v  w  \r\nX_U: 1\r\nX-@: 2\r\nEmpty:\r\nNoColon\r\nX-T: 1\t2\r\n\r\n'), 1);
  t.same(p.head!.rawHeaders, ['Host', 'a', 'X-A', 'v  w', 'Empty', '', 'NoColon', '', 'X-T', '1\t2'], 'underscores and other non-token bytes in a name: dropped');
  const bad = [
    'GET / HTTP/1.1\r\nHost: a\r\nBad Header: 1\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nX-A: a\0b\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\rX\r\n\r\n',
  ];
  for (const text of bad) t.equal(parse(text), 400, JSON.stringify(text));
});

t.test("the head's checks", async (t) => {
  const cases: [string, number][] = [
    ['GET / HTTP/1.1\r\n\r\n', 400],
    ['GET / HTTP/1.0\r\n\r\n', 1],
    ['GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
    ['POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n', 400],
    ['POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n', 400],
    ['POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n', 501],
    ['POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
    ['TRACE / HTTP/1.1\r\nHost: a\r\n\r\n', 405],
  ];
  for (const [text, status] of cases) t.equal(parse(text), status, JSON.stringify(text));
  t.equal(parse('POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 12\r\nConnection: Keep-Alive, close\r\nExpect: 100-Continue\r\n\r\n'), 1);
  t.same([p.head!.contentLength, p.head!.chunked, p.head!.keepAlive, p.head!.expectContinue], [12, false, false, true]);
  t.equal(parse('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n'), 1);
  t.same([p.head!.contentLength, p.head!.chunked, p.head!.keepAlive], [-1, true, true]);
  t.equal(parse('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'), 1);
  t.equal(p.head!.keepAlive, true, 'HTTP/1.0 keeps alive only when asked');
  t.equal(parse('GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n') && p.head!.expectContinue, false, 'no 100 Continue for HTTP/1.0');
});

t.test('limits: large_client_header_buffers', async (t) => {
  t.equal(parse(`GET /${'a'.repeat(100)} HTTP/1.1\r\nHost: a\r\n\r\n`, 64), 414);
  t.equal(parse(`GET /${'a'.repeat(100)}`, 64), 414, 'still arriving, already too long');
  t.equal(parse(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(100)}\r\n\r\n`, 64), HEADER_TOO_LARGE);
  t.equal(parse(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(100)}`, 64), HEADER_TOO_LARGE, 'a header line still arriving');
  t.equal(parse(`GET / HTTP/1.1\r\nHost: a\r\n${'X-A: 0123456789\r\n'.repeat(20)}\r\n`, 64, 4), HEADER_TOO_LARGE, 'more than N x SIZE in all');
});

t.test('a head in pieces is AGAIN until its blank line', async (t) => {
  const text = 'GET /p HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\r\nGET /next';
  const end = text.indexOf('\r\n\r\n') + 4;
  for (let i = 0; i < end; i++) t.equal(parse(text.slice(0, i)), AGAIN, `${i} bytes`);
  t.equal(parse(text), 1);
  t.equal(p.head!.headEnd, end, 'what follows is the next request');
});
