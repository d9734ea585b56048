/**
 * Response heads against real nginx, line for line and in nginx's order: the header filter's own
 * fields (Server, Date, Content-Type, Content-Length, Last-Modified, an absolute Location,
 * Transfer-Encoding, Connection) before the rest; a 204 of nginx's own without its entity
 * fields; an upstream's Content-Type and Content-Length moved up, its other headers in their
 * order, add_header after them; proxy_redirect (default with and without a URI, off, explicit
 * with a variable) over Location and Refresh, a rewritten relative Location made absolute with
 * the request's host, or the address when the request named none; the headers hidden by default
 * and never copied, proxy_hide_header and proxy_pass_header (a passed Server or Date standing in
 * the list for nginx's own), inherited by a nested location; $upstream_connect_time,
 * header and response times over a refused peer and one that answers (their values as T).
 * Only Date's value, the Server product and the length of error pages (which name their server)
 * are set aside. Skipped, loudly, where nginx is not installed.
 */
import t from 'tap';
import { connect, createServer, type Server } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig, startLbtest, startNginx } from '../testing/balancers.js';

/** What the backend answers, by the path it is asked for. */
const ANSWERS: Record<string, string> = {
  '/ok': 'HTTP/1.1 200 OK\r\nX-B: 1\r\nContent-Type: text/plain\r\nLast-Modified: Tue, 24 Nov 2026 00:00:00 GMT\r\nContent-Length: 2\r\nX-A: 2\r\n\r\nok',
  '/no-length': 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nuntil the end',
  '/204': 'HTTP/1.1 204 No Content\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nX-A: 1\r\n\r\n',
  '/two-types': 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 003\r\nContent-Type: text/csv\r\n\r\na,b',
  '/own': 'HTTP/1.1 302 Found\r\nLocation: http://be/x/y?q=1\r\nContent-Length: 0\r\n\r\n',
  '/relative': 'HTTP/1.1 302 Found\r\nLocation: /rel\r\nContent-Length: 0\r\n\r\n',
  '/elsewhere': 'HTTP/1.1 301 Moved Permanently\r\nLocation: http://elsewhere.example/z\r\nContent-Length: 0\r\n\r\n',
  '/refresh': 'HTTP/1.1 200 OK\r\nRefresh: 5; URL=http://be/r\r\nContent-Length: 0\r\n\r\n',
  '/hop': 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nUpgrade: foo\r\nProxy-Connection: x\r\nX-Accel-Foo: 1\r\n'
    + 'X-Accel-Expires: 10\r\nX-Accel-Charset: utf-8\r\nKeep-Alive: timeout=5\r\nX-Powered-By: php\r\nX-Pad: avoid\r\nServer: upstream/1\r\n'
    + 'Date: Tue, 01 Jan 2030 00:00:00 GMT\r\nX-Secret: s\r\nStatus: 200\r\n\r\nok',
};

function backend(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const path = buf.slice(0, buf.indexOf('\r\n')).split(' ')[1]!.replace(/^\/(uri|off|explicit)\//, '/');
      buf = buf.slice(end + 4);
      const answer = ANSWERS[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n';
      if (answer.includes('Connection: close')) s.end(answer); else s.write(answer);
    });
    s.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, port: typeof a === 'object' && a !== null ? a.port : 0 });
  }));
}

const REQUESTS: [string, string][] = [
  ['proxied 200, an upstream Last-Modified stays in its place', '/ok'],
  ['proxied without a length: chunked', '/no-length'],
  ['proxied 204 keeps its entity fields', '/204'],
  ['the last Content-Type and Content-Length win, the length as a number', '/two-types'],
  ['proxy_redirect default, no URI: absolute with the Host', '/own'],
  ['a relative Location no rule matched stays relative', '/relative'],
  ['a Location no rule matches', '/elsewhere'],
  ['Refresh rewritten', '/refresh'],
  ['hidden by default: Date, Server, X-Pad, five X-Accel-*; never copied: Keep-Alive; the rest passed', '/hop'],
  ['proxy_hide_header: the names, any case; Content-Length stays the response\'s', '/hide/hop'],
  ['proxy_pass_header: Server and Date in the list in place of lbtest\'s, the hidden ones passed, Keep-Alive not', '/pass/hop'],
  ['a nested location: its proxy_pass_header, its parent\'s proxy_hide_header', '/nest/inner/hop'],
  ['Server and Date passed, the upstream sent neither: none at all', '/pass-none/ok'],
  ['proxy_redirect default with a URI', '/uri/own'],
  ['proxy_redirect off', '/off/own'],
  ['proxy_redirect explicit, with a variable', '/explicit/own'],
  ['explicit: Refresh', '/explicit/refresh'],
  ['return 204', '/r204'],
  ['return 204 with text', '/r204t'],
  ['return 200 with text and add_header', '/r200'],
  ['return 302 relative', '/r302'],
  ['return 301 absolute, add_header after it', '/r301'],
  ['$upstream_*_time: a refused peer, then one that answers', '/times/x'],
  ['a static file', '/static/a.txt'],
  ['a static directory without its slash', '/static/dir'],
  ['404', '/static/missing'],
];

function ask(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(raw));
    let buf = '';
    s.on('data', (d: Buffer) => { buf += d.toString('latin1'); });
    s.on('error', () => undefined);
    s.on('close', () => {
      const head = buf.slice(0, buf.indexOf('\r\n\r\n'));
      const page = /^HTTP\/1\.1 [34]\d\d/.test(head) && /\r\nContent-Type: text\/html/.test(head);
      resolve(head.replace(/\r\nDate: [^\r]*/, '\r\nDate: (date)').replace(/\r\nX-Times: [^\r]*/, (m) => m.replace(/\d+\.\d{3}/g, 'T')).replace(/\r\nServer: [^\r]*/, '\r\nServer: (server)')
        .replace(/\r\nContent-Length: \d+/, page ? '\r\nContent-Length: (page)' : '$&'));
    });
  });
}

const nginx = findNginx();

t.test('response heads are written as nginx writes them', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const be = await backend();
  t.teardown(() => be.server.close());
  const root = mkdtempSync(join(tmpdir(), 'lbtest-heads-'));
  writeFileSync(join(root, 'a.txt'), 'static\n');
  utimesSync(join(root, 'a.txt'), 1_700_000_000, 1_700_000_000);
  mkdirSync(join(root, 'dir'));
  const seen = new Map<string, string[]>();
  // one port for both: absolute Locations carry it
  const port = await freePort();
  const dead = await freePort();
  for (const kind of ['nginx', 'lbtest'] as const) {
    const conf = mainConfig(`upstream be { server 127.0.0.1:${be.port}; }
upstream mixed { server 127.0.0.1:${dead}; server 127.0.0.1:${be.port}; }
server {
  listen 127.0.0.1:${port};
  location / { proxy_pass http://be; proxy_http_version 1.1; add_header X-Added yes; }
  location /uri/ { proxy_pass http://be/; }
  location /off/ { proxy_pass http://be/; proxy_redirect off; }
  location /explicit/ { proxy_pass http://be/; proxy_redirect http://be/ http://$host:1234/e/; }
  location /times/ { proxy_pass http://mixed; add_header X-Times "$upstream_connect_time|$upstream_header_time|$upstream_response_time" always; }
  location = /r204 { return 204; }
  location = /r204t { return 204 "text"; }
  location = /r200 { add_header X-R 1; return 200 "hi"; }
  location = /r302 { return 302 /rel; }
  location = /r301 { add_header X-R 1 always; return 301 http://ex.example/abs; }
  location /static/ { alias ${root}/; }
  location /hide/ { proxy_pass http://be/; proxy_hide_header x-powered-by; proxy_hide_header X-Secret; proxy_hide_header Content-Length; proxy_hide_header Content-Type; }
  location /pass/ { proxy_pass http://be/; proxy_pass_header Server; proxy_pass_header date; proxy_pass_header X-Accel-Expires;
    proxy_pass_header X-Pad; proxy_pass_header Keep-Alive; proxy_hide_header X-Secret; proxy_pass_header X-SECRET; }
  location /nest/ { proxy_hide_header X-Powered-By; location /nest/inner/ { proxy_pass http://be/; proxy_pass_header Server; } }
  location /pass-none/ { proxy_pass http://be/; proxy_pass_header Server; proxy_pass_header Date; }
}`);
    const b = kind === 'nginx' ? await startNginx(nginx!, conf) : await startLbtest(conf);
    for (const [name, path] of REQUESTS) {
      const answer = await ask(port, `GET ${path} HTTP/1.1\r\nHost: Site.Example:8080\r\nConnection: close\r\n\r\n`);
      (seen.get(name) ?? seen.set(name, []).get(name)!).push(answer);
    }
    const noHost = await ask(port, 'GET /own HTTP/1.0\r\n\r\n');
    (seen.get('no Host: the address') ?? seen.set('no Host: the address', []).get('no Host: the address')!).push(noHost);
    await b.stop();
  }
  for (const [name, [fromNginx, fromLbtest]] of seen) t.equal(fromLbtest, fromNginx, name);
});
