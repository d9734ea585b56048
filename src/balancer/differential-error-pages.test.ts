/**
 * error_page, proxy_intercept_errors, recursive_error_pages and `internal` against real nginx,
 * response by response: a failed upstream sent to a static page with its status kept, `=` and
 * `=200`, a named location (the method kept), a redirect to a URL (302, or `=301`), upstream
 * errors intercepted (a 401 with its first WWW-Authenticate; the last of the tries, with
 * $upstream_addr and $upstream_status intact, and proxy_next_upstream_tries: NGINX-UPSTREAM.md's
 * proxy_next_upstream(_tries).t cards) or
 * passed through, an error page that is missing, a cycle with recursive_error_pages, an
 * internal location asked for directly, `return 404` with a query in the page's URI, POST and
 * HEAD; and the error log's line for the cycle. Only Date, the Server product and nginx's own
 * pages (which name their server) are set aside, and the log line's connection number (nginx
 * numbers its upstream connections too). Skipped, loudly, where nginx is not installed.
 */
import t from 'tap';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig } from '../testing/balancers.js';
import { answersOfBoth, errorLines } from '../testing/raw-answers.js';

/** A backend that answers 404 with its port in the body (401 with two challenges under /auth/), keeping the connection. */
function notFound(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const auth = buf.startsWith('GET /auth/');
        buf = buf.slice(end + 4);
        const body = `not here (${(server.address() as { port: number }).port})\n`;
        s.write(auth
          ? `HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="a"\r\nWWW-Authenticate: Basic realm="b"\r\nContent-Length: 0\r\n\r\n`
          : `HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      }
    });
    s.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

const REQUESTS: [string, string][] = [
  ['a dead upstream: the static 50x page with 502', 'GET /dead/x HTTP/1.1'],
  ['HEAD: the same head, no body', 'HEAD /dead/x HTTP/1.1'],
  ['POST: the page is fetched with GET', 'POST /dead/x HTTP/1.1'],
  ['`=`: the status of what answers', 'GET /dead-eq HTTP/1.1'],
  ['`=200`', 'GET /dead-200 HTTP/1.1'],
  ['a named location keeps the method and the URI', 'POST /dead-named HTTP/1.1'],
  ['a URL: 302 to it', 'GET /dead-url HTTP/1.1'],
  ['`=301` and a URL', 'GET /dead-301 HTTP/1.1'],
  ['intercepted upstream 404', 'GET /intercept/a HTTP/1.1'],
  ['not intercepted: the upstream 404 passes', 'GET /pass/a HTTP/1.1'],
  ['an intercepted 401 keeps its WWW-Authenticate', 'GET /auth/a HTTP/1.1'],
  ['the last of the tries intercepted', 'GET /tries/a HTTP/1.1'],
  ['proxy_next_upstream_tries 2 over three lines of one server', 'GET /tries2/a HTTP/1.1'],
  ['proxy_next_upstream_tries 0: every line once', 'GET /tries0/a HTTP/1.1'],
  ['an error page that proxies again: $upstream_* of both groups', 'GET /dead-then-pair HTTP/1.1'],
  ['the error page is missing too: the standard 404', 'GET /missing-page HTTP/1.1'],
  ['recursive_error_pages on: a cycle ends in 500', 'GET /cycle HTTP/1.1'],
  ['an internal location asked for directly', 'GET /secret HTTP/1.1'],
  ['return 404 to a page with a query', 'GET /r404 HTTP/1.1'],
  ['a static file missing, the server\'s error_page', 'GET /nothing.txt HTTP/1.1'],
];

const nginx = findNginx();

t.test('error pages are served as nginx serves them', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const [a, b] = [await notFound(), await notFound()];
  t.teardown(() => { a.server.close(); b.server.close(); });
  const dead = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'lbtest-error-pages-'));
  writeFileSync(join(root, '50x.html'), 'sorry, try later\n');
  const port = await freePort();
  const conf = mainConfig(`upstream dead { server 127.0.0.1:${dead}; }
upstream pair { server 127.0.0.1:${a.port}; server 127.0.0.1:${b.port}; }
upstream trio { server 127.0.0.1:${a.port}; server 127.0.0.1:${a.port}; server 127.0.0.1:${a.port}; }
server {
  listen 127.0.0.1:${port};
  root ${root};
  error_page 500 502 503 504 /50x.html;
  location = /50x.html { internal; }
  location /dead/ { proxy_pass http://dead; }
  location = /dead-eq { proxy_pass http://dead; error_page 502 = /text; }
  location = /dead-200 { proxy_pass http://dead; error_page 502 =200 /text; }
  location = /dead-named { proxy_pass http://dead; error_page 502 @fallback; }
  location @fallback { return 200 "fallback $uri $request_method\\n"; }
  location = /dead-url { proxy_pass http://dead; error_page 502 http://elsewhere.example/sorry; }
  location = /dead-301 { proxy_pass http://dead; error_page 502 =301 http://elsewhere.example/moved; }
  location = /text { return 200 "text $uri $args $request_method\\n"; }
  location /intercept/ { proxy_pass http://pair; proxy_intercept_errors on; error_page 404 /caught; }
  location /pass/ { proxy_pass http://pair; error_page 404 /caught; }
  location /auth/ { proxy_pass http://pair; proxy_intercept_errors on; error_page 401 /text; add_header X-After 1 always; }
  location /tries/ { proxy_pass http://pair; proxy_next_upstream http_404; proxy_intercept_errors on; error_page 404 /caught; }
  location /tries2/ { proxy_pass http://trio; proxy_next_upstream http_404; proxy_next_upstream_tries 2; proxy_intercept_errors on; error_page 404 /caught; }
  location /tries0/ { proxy_pass http://trio; proxy_next_upstream http_404; proxy_intercept_errors on; error_page 404 /caught; }
  location = /caught { return 200 "caught $upstream_addr $upstream_status\\n"; }
  location = /dead-then-pair { proxy_pass http://dead; error_page 502 /via-pair; }
  location = /via-pair { internal; proxy_pass http://pair; add_header X-Upstream "$upstream_addr|$upstream_status" always; }
  location = /missing-page { error_page 404 /gone.html; }
  location = /cycle { recursive_error_pages on; error_page 404 /cycle; }
  location = /secret { internal; return 200 "secret\\n"; }
  location = /r404 { error_page 404 /text?from=r404; return 404; }
}`);
  const { answers: seen, logs } = await answersOfBoth(nginx!, conf, port, REQUESTS);
  const cycles = logs.map((l) => errorLines(l, (x) => x.includes('redirection cycle')));
  for (const [name, [fromNginx, fromLbtest]] of seen) t.equal(fromLbtest, fromNginx, name);
  // the cards' own expectations, on lbtest's answers
  const body = (name: string): string => seen.get(name)![1]!.split('\r\n\r\n')[1]!;
  t.match(body('proxy_next_upstream_tries 2 over three lines of one server'), /^caught [\d.:]+, [\d.:]+ 404, 404\n$/, 'x404, 404x');
  t.match(seen.get('an error page that proxies again: $upstream_* of both groups')![1], /\r\nX-Upstream: 127\.0\.0\.1:\d+ : 127\.0\.0\.1:\d+\|502 : 404\r\n/, 'groups joined with " : "');
  t.match(body('proxy_next_upstream_tries 0: every line once'), /^caught [\d.:]+, [\d.:]+, [\d.:]+ 404, 404, 404\n$/, 'x404, 404, 404x');
  t.equal(cycles[1], cycles[0], 'the cycle is logged as nginx logs it');
  t.match(cycles[0], /rewrite or internal redirection cycle while internally redirecting to "\/cycle"/);
});
