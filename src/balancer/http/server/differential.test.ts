/**
 * The front (lbtest's own HTTP/1.1 server) against real nginx, byte for byte where it matters:
 * the same raw requests to both, answers reduced to status line, Connection, framing, answering
 * backend and body (error pages by status only: they name their server), what the backend
 * received, and whether the connection was closed. Versions and keep-alive, pipelining, bodies
 * (length, chunked, 100-continue, unread), malformed and refused requests, keepalive_requests.
 * Skipped, loudly, where nginx is not installed.
 */
import t from 'tap';
import { connect } from 'node:net';
import { findNginx } from '../../../testing/nginx.js';
import { freePort, mainConfig, startLbtest, startNginx } from '../../../testing/balancers.js';
import { startFleet } from '../../../testing/mini-backends.js';

interface Case { readonly name: string; readonly bytes: string; readonly responses: number }

const GET = (path = '/', extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: a\r\n${extra}\r\n`;
const CLOSE = 'Connection: close\r\n';

const CASES: Case[] = [
  { name: 'HTTP/1.0, no keep-alive', bytes: 'GET / HTTP/1.0\r\n\r\n', responses: 1 },
  { name: 'HTTP/1.0 keep-alive, twice', bytes: 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'.repeat(2), responses: 2 },
  { name: 'three pipelined requests', bytes: GET('/1') + GET('/2') + GET('/3', CLOSE), responses: 3 },
  { name: 'keepalive_requests 2', bytes: GET('/1') + GET('/2') + GET('/3'), responses: 2 },
  { name: 'chunked body', bytes: `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n${CLOSE}\r\n5\r\nhello\r\n0\r\n\r\n`, responses: 1 },
  { name: '100-continue', bytes: `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n${CLOSE}\r\nhello`, responses: 2 },
  { name: 'a body nobody reads, then the next request', bytes: `POST /static/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello${GET('/', CLOSE)}`, responses: 2 },
  { name: 'leading blank lines, bare LF', bytes: `\r\n\r\nGET / HTTP/1.1\nHost: a\n${CLOSE}\n`, responses: 1 },
  { name: 'absolute URI', bytes: GET('http://a/x', CLOSE), responses: 1 },
  { name: 'unknown method', bytes: `FOO / HTTP/1.1\r\nHost: a\r\n${CLOSE}\r\n`, responses: 1 },
  { name: 'HTTP/1.2 is 1.x', bytes: `GET / HTTP/1.2\r\nHost: a\r\n${CLOSE}\r\n`, responses: 1 },
  { name: 'invalid header names dropped', bytes: GET('/', `X_U: 1\r\nX-@: 2\r\nX-Ok: 3\r\nNoColon\r\n${CLOSE}`), responses: 1 },
  { name: 'lower-case method', bytes: 'get / HTTP/1.1\r\nHost: a\r\n\r\n', responses: 1 },
  { name: 'HTTP/2.0', bytes: 'GET / HTTP/2.0\r\nHost: a\r\n\r\n', responses: 1 },
  { name: 'HTTP/1.1 without Host', bytes: 'GET / HTTP/1.1\r\n\r\n', responses: 1 },
  { name: 'two Host headers', bytes: GET('/', 'Host: b\r\n'), responses: 1 },
  { name: 'bad Content-Length', bytes: GET('/', 'Content-Length: x\r\n'), responses: 1 },
  { name: 'Content-Length and chunked', bytes: GET('/', 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n') + '0\r\n\r\n', responses: 1 },
  { name: 'Transfer-Encoding: gzip', bytes: GET('/', 'Transfer-Encoding: gzip\r\n'), responses: 1 },
  { name: 'TRACE', bytes: 'TRACE / HTTP/1.1\r\nHost: a\r\n\r\n', responses: 1 },
  { name: 'CONNECT host:port', bytes: 'CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n', responses: 1 },
  { name: 'space in the URI', bytes: 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n', responses: 1 },
  { name: 'folded header', bytes: GET('/', 'X-A: 1\r\n  more\r\n'), responses: 1 },
  { name: 'bad chunk size', bytes: `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`, responses: 1 },
  { name: 'HTTP/0.9 GET', bytes: 'GET /\r\n', responses: 0 },
  { name: 'HTTP/0.9 POST', bytes: 'POST /\r\n', responses: 0 },
];

interface Seen { readonly answers: string[]; readonly rest: string }

/** Sends the bytes; reads `n` answers (then closes), or until the server closes. */
function exchange(port: number, bytes: string, n: number): Promise<Seen> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let buf = '';
    const answers: string[] = [];
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0 && answers.length < n; end = buf.indexOf('\r\n\r\n')) {
        const lines = buf.slice(0, end).split('\r\n');
        const header = (name: string): string => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
        let bodyEnd = end + 4;
        if (/^HTTP\/1\.1 1\d\d/.test(lines[0]!)) { answers.push(lines[0]!); buf = buf.slice(bodyEnd); continue; }
        if (header('transfer-encoding') !== '') {
          const last = buf.indexOf('0\r\n\r\n', end + 4);
          if (last < 0) break;
          bodyEnd = last + 5;
        } else {
          bodyEnd += Number(header('content-length') || 0);
          if (buf.length < bodyEnd) break;
        }
        const page = /^HTTP\/1\.1 [45]/.test(lines[0]!);
        const body = buf.slice(end + 4, bodyEnd).replace(/\r\n[0-9a-f]+\r\n|^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, '');
        answers.push(`${lines[0]} | connection: ${header('connection')} | chunked: ${header('transfer-encoding') !== ''} | backend: ${header('x-lbtest-backend')} | ${page ? '(page)' : JSON.stringify(body)}`);
        buf = buf.slice(bodyEnd);
      }
      if (answers.length >= n && n > 0) s.end();
    });
    s.on('error', () => undefined);
    s.on('close', () => resolve({ answers, rest: buf.includes('<html>') ? '(page)' : buf }));
    s.write(bytes);
  });
}

const nginx = findNginx();

t.test('the front answers raw requests as nginx does', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const fleet = await startFleet({ a: { kind: 'ok' } });
  t.teardown(() => fleet.closeAll());
  const received = fleet.backends.get('a')!.received;
  const seen = new Map<string, string[]>();
  for (const kind of ['nginx', 'lbtest'] as const) {
    const port = await freePort();
    const conf = mainConfig(`keepalive_requests 2;
server { listen 127.0.0.1:${port}; location / { proxy_pass http://127.0.0.1:${fleet.port('a')}; } location /static/ { root /nonexistent; } }`);
    const b = kind === 'nginx' ? await startNginx(nginx!, conf) : await startLbtest(conf);
    for (const c of CASES) {
      received.length = 0;
      const r = await exchange(port, c.bytes, c.responses);
      const upstream = received.map((h) => h.split('\r\n').filter((l) => /^x-/i.test(l)).join(','));
      (seen.get(c.name) ?? seen.set(c.name, []).get(c.name)!).push(JSON.stringify({ ...r, upstream }));
    }
    await b.stop();
  }
  for (const c of CASES) {
    const [fromNginx, fromLbtest] = seen.get(c.name)!;
    t.equal(fromLbtest, fromNginx, c.name);
  }
});
