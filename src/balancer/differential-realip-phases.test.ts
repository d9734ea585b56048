/**
 * realip across nginx's phases against real nginx, response by response: the server's settings
 * apply first (post-read); a location's own set_real_ip_from only where they set nothing, and
 * only for what gets past the rewrite phase (preaccess: never for a `return`); an address once
 * set survives an internal redirect (error_page to a path or a named location) unchanged even
 * where the new location reads another header. Static answers carry $remote_addr and
 * $realip_remote_addr in a header. Skipped, loudly, where nginx is not installed.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig } from '../testing/balancers.js';
import { answersOfBoth } from '../testing/raw-answers.js';

const BOTH = 'X-Real-IP: 192.0.2.1\r\nX-Forwarded-For: 198.51.100.7';
const XFF = 'X-Forwarded-For: 198.51.100.7';
const REQUESTS: [string, string][] = [
  ['both headers, a location reading XFF: the server already set X-Real-IP', `GET /x/f.txt HTTP/1.1\r\n${BOTH}`],
  ['only XFF: the server sets nothing, the location does', `GET /x/f.txt HTTP/1.1\r\n${XFF}`],
  ['no headers at all', 'GET /x/f.txt HTTP/1.1'],
  ['both headers, redirected by error_page to the XFF location: X-Real-IP stands', `GET /to-x HTTP/1.1\r\n${BOTH}`],
  ['only XFF, redirected: the XFF location applies after the redirect', `GET /to-x HTTP/1.1\r\n${XFF}`],
  ['only XFF, to a named location reading XFF', `GET /to-named HTTP/1.1\r\n${XFF}`],
  ['only XFF, a location reading XFF that returns: realip never runs', `GET /ret HTTP/1.1\r\n${XFF}`],
  ['both headers, a location without its own settings', `GET /plain HTTP/1.1\r\n${BOTH}`],
];

const nginx = findNginx();

t.test('realip applies once, as nginx applies it across phases and redirects', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'lbtest-realip-'));
  mkdirSync(join(root, 'x'));
  for (const f of ['x/f.txt', 'x/to-named']) {
    writeFileSync(join(root, f), 'file\n');
    utimesSync(join(root, f), 1_700_000_000, 1_700_000_000);
  }
  const port = await freePort();
  const remote = 'add_header X-Remote "$remote_addr $realip_remote_addr" always;';
  const xff = 'set_real_ip_from 127.0.0.0/8; real_ip_header X-Forwarded-For;';
  const conf = mainConfig(`server {
  listen 127.0.0.1:${port};
  root ${root};
  set_real_ip_from 127.0.0.0/8;
  location /x/ { ${xff} ${remote} }
  location = /to-x { error_page 404 = /x/f.txt; return 404; }
  location = /to-named { error_page 404 = @named; return 404; }
  location @named { ${xff} root ${root}/x; ${remote} }
  location = /ret { ${xff} return 200 "ret $remote_addr\\n"; }
  location = /plain { return 200 "plain $remote_addr\\n"; }
}`);
  const { answers: seen } = await answersOfBoth(nginx!, conf, port, REQUESTS);
  for (const [name, [fromNginx, fromLbtest]] of seen) t.equal(fromLbtest, fromNginx, name);
  const answer = (name: string): string => seen.get(name)![1]!;
  t.match(answer('both headers, a location reading XFF: the server already set X-Real-IP'), /\r\nX-Remote: 192\.0\.2\.1 127\.0\.0\.1\r\n/);
  t.match(answer('only XFF: the server sets nothing, the location does'), /\r\nX-Remote: 198\.51\.100\.7 127\.0\.0\.1\r\n/);
  t.match(answer('only XFF, a location reading XFF that returns: realip never runs'), /\r\n\r\nret 127\.0\.0\.1\n$/);
});
