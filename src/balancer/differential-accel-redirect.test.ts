/**
 * X-Accel-Redirect against real nginx, response by response: an upstream's answer naming another
 * URI (a static file, with the upstream's Content-Type, Set-Cookie, Content-Disposition,
 * Cache-Control, Expires and Accept-Ranges carried over and its other headers and body dropped),
 * a named location (the method kept), arguments after `?`, a %-encoded path, an `internal`
 * location, a missing file, a location that proxies again (the first type standing when the
 * second upstream sends none, $upstream_* of both groups), a chunked body, the first of two
 * headers, a 404 carrying it, HEAD and POST (GET once redirected), unsafe URIs (404, with
 * nginx's log line), `proxy_ignore_headers X-Accel-Redirect`, and every [error] line of the log. Date and the Server product are set aside, and nginx's own pages. Skipped,
 * loudly, where nginx is not installed.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig } from '../testing/balancers.js';
import { answersOfBoth, errorLines, headBackend } from '../testing/raw-answers.js';

/** What the backend answers for each path: extra head lines and the X-Accel-Redirect target(s). */
const ANSWERS: Record<string, string> = {
  '/xa/file': 'X-Accel-Redirect: /files/a.txt\r\nContent-Type: application/x-custom\r\nSet-Cookie: s=1\r\nX-Other: 1\r\nCache-Control: no-cache\r\nContent-Disposition: attachment; filename="a.txt"\r\nSet-Cookie: t=2\r\nExpires: Thu, 01 Jan 2030 00:00:00 GMT\r\n',
  '/xa/notype': 'X-Accel-Redirect: /files/a.txt\r\n',
  '/xa/ranges': 'X-Accel-Redirect: /files/a.txt\r\nAccept-Ranges: none\r\n',
  '/xa/named': 'X-Accel-Redirect: @named\r\nContent-Type: text/x-named\r\n',
  '/xa/args': 'X-Accel-Redirect: /text?x=1&y=%41\r\n',
  '/xa/encoded': 'X-Accel-Redirect: /files/%61.txt\r\n',
  '/xa/internal': 'X-Accel-Redirect: /protected/b.txt\r\n',
  '/xa/missing': 'X-Accel-Redirect: /files/none.txt\r\n',
  '/xa/again': 'X-Accel-Redirect: /again/plain\r\nContent-Type: application/x-first\r\n',
  '/xa/two': 'X-Accel-Redirect: /files/a.txt\r\nX-Accel-Redirect: /files/b.txt\r\n',
  '/xa/unsafe': 'X-Accel-Redirect: /files/../a.txt\r\n',
  '/xa/unsafe-encoded': 'X-Accel-Redirect: /files/%2e%2e/a.txt\r\n',
  '/xa/unsafe-query': 'X-Accel-Redirect: ?x=1\r\n',
  '/xa/dots-in-query': 'X-Accel-Redirect: /text?p=/../x\r\n',
  '/xa/dots-then-query': 'X-Accel-Redirect: /files/..?x=1\r\n',
};

/** The backend's answer by path (a 404 for /xa/404, chunked for /xa/chunked), ANSWERS' otherwise. */
function answerFor(_method: string, path: string): string {
  if (path === '/xa/404') return 'HTTP/1.1 404 Not Found\r\nX-Accel-Redirect: /files/a.txt\r\nContent-Length: 4\r\n\r\nnope';
  if (path === '/xa/chunked') return 'HTTP/1.1 200 OK\r\nX-Accel-Redirect: /files/a.txt\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n';
  if (path === '/again/plain') return 'HTTP/1.1 200 OK\r\nX-From: second\r\nContent-Length: 7\r\n\r\nsecond\n';
  return `HTTP/1.1 200 OK\r\n${ANSWERS[path] ?? ''}Content-Length: 11\r\n\r\nnot passed\n`;
}

const REQUESTS: [string, string][] = [
  ...Object.keys(ANSWERS).map((p): [string, string] => [p, `GET ${p} HTTP/1.1`]),
  ['a 404 carrying it', 'GET /xa/404 HTTP/1.1'],
  ['a chunked body carrying it', 'GET /xa/chunked HTTP/1.1'],
  ['HEAD stays HEAD', 'HEAD /xa/file HTTP/1.1'],
  ['POST becomes GET', 'POST /xa/args HTTP/1.1'],
  ['POST to a named location stays POST', 'POST /xa/named HTTP/1.1'],
  ['proxy_ignore_headers X-Accel-Redirect: the answer passes, the header hidden', 'GET /ignored/xa/file HTTP/1.1'],
];

const nginx = findNginx();

t.test('X-Accel-Redirect is followed as nginx follows it', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const up = await headBackend(answerFor);
  t.teardown(() => up.server.close());
  const root = mkdtempSync(join(tmpdir(), 'lbtest-accel-'));
  mkdirSync(join(root, 'files'));
  mkdirSync(join(root, 'protected'));
  writeFileSync(join(root, 'files', 'a.txt'), 'file a\n');
  writeFileSync(join(root, 'files', 'b.txt'), 'file b\n');
  writeFileSync(join(root, 'protected', 'b.txt'), 'protected b\n');
  const port = await freePort();
  const conf = mainConfig(`upstream app { server 127.0.0.1:${up.port}; keepalive 4; }
server {
  listen 127.0.0.1:${port};
  root ${root};
  location /xa/ { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  location /ignored/ { proxy_pass http://app/; proxy_ignore_headers X-Accel-Redirect Expires; }
  location /again/ { proxy_pass http://app; add_header X-Upstream "$upstream_addr|$upstream_status" always; }
  location /protected/ { internal; }
  location /files/ { }
  location @named { return 200 "named $uri $request_method\\n"; }
  location = /text { return 200 "text $uri $args $request_method\\n"; }
}`);
  const { answers: seen, logs } = await answersOfBoth(nginx!, conf, port, REQUESTS);
  // every [error] line, as nginx and lbtest wrote them
  const unsafe = logs.map((l) => errorLines(l, (x) => x.startsWith('[error]')));
  for (const [name, [fromNginx, fromLbtest]] of seen) t.equal(fromLbtest, fromNginx, name);
  // what a user relies on, on lbtest's answers
  const answer = (name: string): string => seen.get(name)![1]!;
  t.match(answer('/xa/file'), /^HTTP\/1\.1 200 OK\r\n[^]*Content-Type: application\/x-custom\r\n[^]*\r\n\r\nfile a\n$/, 'the file, with the upstream\'s type');
  t.notMatch(answer('/xa/file'), /X-Other|not passed/, 'the upstream\'s other headers and body are dropped');
  t.equal(unsafe[1], unsafe[0], 'the error log says what nginx\'s says: unsafe URIs, files not found');
  t.match(unsafe[0], /unsafe URI "\/files\/\.\.\/a\.txt" was detected/);
  t.match(unsafe[0], /open\(\) "[^"]*\/files\/none\.txt" failed \(2: No such file or directory\), client: 127\.0\.0\.1, server: , request: "GET \/xa\/missing HTTP\/1\.1", upstream: "http:\/\/127\.0\.0\.1:\d+\/xa\/missing"/);
});
