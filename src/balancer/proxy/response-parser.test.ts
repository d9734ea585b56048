/**
 * The response head parser against nginx 1.22's status-line and header-line machines: what is
 * accepted, what is not HTTP (HTTP/0.9 pass-through), what is an invalid header and how nginx
 * words it, and the framing headers. No sockets.
 */
import t from 'tap';
import { AGAIN, DONE, HeadParser, INVALID, NOT_HTTP, atoof, containsCi } from './response-parser.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const parser = new HeadParser();
const parse = (s: string, limit = 4096): number => parser.parse(b(s), limit);

t.test('a status line, headers in order, and where the head ends', async (t) => {
  const text = 'HTTP/1.1 200 OK\r\nServer: x\r\nX-Two: a b\r\nContent-Length: 2\r\n\r\nok';
  t.equal(parse(text), DONE);
  t.equal(parser.status, 200);
  t.equal(parser.reason, 'OK');
  t.same([parser.httpMajor, parser.httpMinor], [1, 1]);
  t.same(parser.rawHeaders, ['Server', 'x', 'X-Two', 'a b', 'Content-Length', '2']);
  t.equal(parser.headEnd, text.length - 2);
  t.equal(parser.contentLength, 2);
});

t.test('status lines nginx accepts', async (t) => {
  const cases: [string, number, string, string][] = [
    ['HTTP/1.0 404 Not Found\r\n\r\n', 404, 'Not Found', '1.0'],
    ['HTTP/1.1 200\r\n\r\n', 200, '', '1.1'],
    ['HTTP/1.1 200\n\n', 200, '', '1.1'],
    ['HTTP/1.1 204 \r\n\r\n', 204, '', '1.1'],
    ['HTTP/1.1 403.1 Forbidden\r\n\r\n', 403, '.1 Forbidden', '1.1'],
    ['HTTP/1.1   502 Bad  Gateway \r\n\r\n', 502, 'Bad  Gateway ', '1.1'],
    ['HTTP/1.1 2 0 0 OK\r\n\r\n', 200, 'OK', '1.1'],
    ['HTTP/2.0 200 OK\r\n\r\n', 200, 'OK', '2.0'],
    ['HTTP/10.100 200 OK\r\n\r\n', 200, 'OK', '10.100'],
    ['HTTP/1.1 099 Low\r\n\r\n', 99, 'Low', '1.1'],
    ['HTTP/1.1 200 OK\r\r\n\r\n', -1, '', ''],
  ];
  for (const [text, status, reason, version] of cases) {
    const r = parse(text);
    if (status < 0) {
      t.equal(r, NOT_HTTP, JSON.stringify(text));
      continue;
    }
    t.equal(r, DONE, JSON.stringify(text));
    t.equal(parser.status, status, JSON.stringify(text));
    t.equal(parser.reason, reason, JSON.stringify(text));
    t.equal(`${parser.httpMajor}.${parser.httpMinor}`, version, JSON.stringify(text));
  }
});

t.test('not HTTP: nginx passes these as an HTTP/0.9 body', async (t) => {
  for (const text of ['hello\r\n', 'http/1.1 200 OK\r\n\r\n', 'HTTP/0.9 200 OK\r\n\r\n', 'HTTP/1.1 20 OK\r\n\r\n',
    'HTTP/1.1 2000 OK\r\n\r\n', 'HTTP/1.1 200OK\r\n\r\n', 'HTTP/1.1\r\n\r\n', 'HTTP/1 200 OK\r\n\r\n',
    'HTTP/1.1 200 OK\rX\n\r\n', 'HTTP/1000.1 200 OK\r\n\r\n', 'HTTP/1.1000 200 OK\r\n\r\n', ' HTTP/1.1 200 OK\r\n\r\n']) {
    t.equal(parse(text), NOT_HTTP, JSON.stringify(text));
  }
});

t.test('every proper prefix of a head is AGAIN, the whole is DONE', async (t) => {
  const text = 'HTTP/1.1 200 OK\r\nA: 1\r\nB:\r\nC: x y \r\n\r\n';
  const results = new Set<number>();
  for (let i = 0; i < text.length; i++) results.add(parse(text.slice(0, i)));
  t.same([...results], [AGAIN]);
  t.equal(parse(text), DONE);
  t.same(parser.rawHeaders, ['A', '1', 'B', '', 'C', 'x y']);
});

t.test('the limit is proxy_buffer_size: a head that does not fit stays AGAIN', async (t) => {
  const text = 'HTTP/1.1 200 OK\r\nA: 1\r\n\r\n';
  t.equal(parse(text, text.length), DONE);
  t.equal(parse(text, text.length - 1), AGAIN);
  t.equal(parse(text + 'body', text.length), DONE, 'bytes past the head do not count');
});

t.test('header values: leading and trailing spaces go, tabs and inner spaces stay', async (t) => {
  t.equal(parse('HTTP/1.1 200 OK\r\nA:    v  w   \r\nB:\tt\t\r\nC:\r\nD\r\nE: x\n\n'), DONE);
  t.same(parser.rawHeaders, ['A', 'v  w', 'B', '\tt\t', 'C', '', 'D', '', 'E', 'x']);
});

t.test('names nginx lets through: underscores, dots, bytes above 0x7f; an IIS status line is skipped', async (t) => {
  t.equal(parse('HTTP/1.1 200 OK\r\nX_Under: 1\r\nX.Dot@: 2\r\n\xe9t\xe9: 3\r\nHTTP/1.1 200 OK\r\n\r\n'), DONE);
  t.same(parser.rawHeaders, ['X_Under', '1', 'X.Dot@', '2', '\xe9t\xe9', '3']);
});

t.test('invalid headers, in nginx 1.22 words', async (t) => {
  const cases: [string, string][] = [
    ['Bad Name: x\r\n', 'Bad\\x20'],
    [' folded\r\n', '\\x20'],
    ['\tfolded\r\n', '\\x09'],
    [': empty\r\n', '\\x3a'],
    ['X-A: b\x00c\r\n', 'X-A: b\\x00'],
    ['X-A:\x00\r\n', 'X-A:\\x00'],
    ['X-A: b \x00\r\n', 'X-A: b \\x00'],
    ['X-A: b\rc\r\n', 'X-A: b\\x0d'],
    ['X-A: b  \rc\r\n', 'X-A: b\\x20'],
    ['X\x7fA: b\r\n', 'X\\x7f'],
    ['\rX\r\n', '\\x0d'],
  ];
  for (const [line, shown] of cases) {
    t.equal(parse(`HTTP/1.1 200 OK\r\nOk: 1\r\n${line}\r\n`), INVALID, JSON.stringify(line));
    t.equal(parser.invalid?.log, `upstream sent invalid header: "${shown}..." while reading response header from upstream`);
    t.equal(parser.invalid?.level, 'error');
  }
});

t.test('framing headers: the last Content-Length, chunked anywhere, close anywhere', async (t) => {
  const cases: [string, number, boolean, boolean][] = [
    ['Content-Length: 5', 5, false, false],
    ['content-length: 5\r\nCONTENT-LENGTH: 7', 7, false, false],
    ['Content-Length: 5\r\nContent-Length: x', -1, false, false],
    ['Content-Length: +5', -1, false, false],
    ['Content-Length: 5 5', -1, false, false],
    ['Content-Length:', -1, false, false],
    ['Content-Length: 99999999999999999999', -1, false, false],
    ['Transfer-Encoding: gzip, Chunked', -1, true, false],
    ['Transfer-Encoding: identity', -1, false, false],
    ['Transfer-Encoding: chunked\r\nContent-Length: 3', 3, true, false],
    ['Connection: Keep-Alive, CLOSE', -1, false, true],
    ['Connection: closed', -1, false, true],
    ['Connection: keep-alive', -1, false, false],
    ['X-Connection: close', -1, false, false],
  ];
  for (const [headers, cl, chunked, close] of cases) {
    t.equal(parse(`HTTP/1.1 200 OK\r\n${headers}\r\n\r\n`), DONE, headers);
    t.same([parser.contentLength, parser.chunked, parser.connectionClose], [cl, chunked, close], headers);
  }
});

t.test('ngx_atoof and ngx_strlcasestrn', async (t) => {
  t.equal(atoof(b('0'), 0, 1), 0);
  t.equal(atoof(b('12345'), 0, 5), 12345);
  t.equal(atoof(b(''), 0, 0), -1);
  t.equal(atoof(b('1a'), 0, 2), -1);
  t.equal(atoof(b(' 1'), 0, 2), -1);
  t.ok(containsCi(b('xxChUnKeD'), 0, 9, 'chunked'));
  t.notOk(containsCi(b('chunke'), 0, 6, 'chunked'));
  t.notOk(containsCi(b('xchunked'), 0, 7, 'chunked'), 'the end bound is respected');
});

t.test('parsing again resets what the previous head left', async (t) => {
  t.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n'), DONE);
  t.equal(parse('HTTP/1.1 200 OK\r\n\r\n'), DONE);
  t.same([parser.contentLength, parser.chunked, parser.connectionClose, parser.rawHeaders.length], [-1, false, false, 0]);
});
