/**
 * Static files and index files against real nginx, response by response: an index found is an
 * internal redirect (so `location = /index.html` answers for `/`), the first existing of several,
 * an absolute index taken unchecked, a directory without index (403), a missing one (404), a
 * directory without its slash (301), and the methods: PUT is 405 before the file is looked at,
 * POST is 405 once it is found, DELETE on a directory is 405; add_header between the static
 * module's ETag and the range filter's Accept-Ranges; a file under a file (ENOTDIR), for a
 * file and for an index, and a root written with a trailing slash; and the error log's lines for
 * every refusal (`open() ... failed`, `... is not found`, `directory index of ... is forbidden`);
 * and `return` with a text, typed by the URI's extension as nginx types it; `types` blocks and
 * default_type for both; log_not_found off, which drops the not-found lines only.
 * Only Date, the Server product and nginx's own pages are set aside. Skipped, loudly, where nginx
 * is not installed.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig } from '../testing/balancers.js';
import { answersOfBoth, errorLines } from '../testing/raw-answers.js';

const REQUESTS: [string, string][] = [
  ['/ goes to the exact location of its index', 'GET / HTTP/1.1'],
  ['HEAD /', 'HEAD / HTTP/1.1'],
  ['the second index name', 'GET /sub/ HTTP/1.1'],
  ['an absolute index, unchecked', 'GET /abs/ HTTP/1.1'],
  ['a directory without index', 'GET /empty/ HTTP/1.1'],
  ['a missing directory', 'GET /missing/ HTTP/1.1'],
  ['a directory without its slash, with a query', 'GET /sub?x=1 HTTP/1.1'],
  ['a file', 'GET /sub/index.htm HTTP/1.1'],
  ['PUT on a missing file', 'PUT /nothing HTTP/1.1'],
  ['POST on a file', 'POST /sub/index.htm HTTP/1.1'],
  ['POST on a missing file', 'POST /nothing HTTP/1.1'],
  ['POST /: the index, then 405', 'POST / HTTP/1.1'],
  ['DELETE /', 'DELETE / HTTP/1.1'],
  ['a file under a file', 'GET /sub/index.htm/x HTTP/1.1'],
  ['an index under a file', 'GET /sub/index.htm/ HTTP/1.1'],
  ['a root with a trailing slash, a missing file', 'GET /slash/none HTTP/1.1'],
  ['an alias, a missing file', 'GET /aliased/none HTTP/1.1'],
  ['return with a text: the type of the URI\'s extension', 'GET /ret/a.html HTTP/1.1'],
  ['return with a text: an extension in capitals', 'GET /ret/b.GIF HTTP/1.1'],
  ['return with a text: no extension', 'GET /ret/c HTTP/1.1'],
  ['return with a text: a dot in a directory name only', 'GET /ret/d.jpg/e HTTP/1.1'],
  ['types: a css file', 'GET /typed/a.css HTTP/1.1'],
  ['types: an extension in capitals', 'GET /typed/b.JS HTTP/1.1'],
  ['types: an extension not listed, default_type', 'GET /typed/c.bin HTTP/1.1'],
  ['types: the built-in html is gone with a block of its own', 'GET /typed/e.html HTTP/1.1'],
  ['types and return', 'GET /typed-ret/x.css HTTP/1.1'],
  ['types and return, an extension not listed', 'GET /typed-ret/x.html HTTP/1.1'],
  ['log_not_found off: a missing file, not logged', 'GET /quiet/none HTTP/1.1'],
  ['log_not_found off: a missing directory\'s index, not logged', 'GET /quiet/missing/ HTTP/1.1'],
  ['log_not_found off: a file under a file, not logged', 'GET /quiet/f.txt/x HTTP/1.1'],
  ['log_not_found off: a directory without index is still logged', 'GET /quiet/ HTTP/1.1'],
];

const nginx = findNginx();

t.test('static and index files are served as nginx serves them', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'lbtest-static-'));
  const file = (path: string, text: string): void => {
    writeFileSync(join(root, path), text);
    utimesSync(join(root, path), 1_700_000_000, 1_700_000_000);
  };
  for (const d of ['sub', 'abs', 'empty', 'typed', 'quiet']) mkdirSync(join(root, d));
  file('quiet/f.txt', 'f\n');
  for (const f of ['a.css', 'b.JS', 'c.bin', 'e.html']) file(`typed/${f}`, `${f}\n`);
  file('index.html', 'home\n');
  file('sub/index.htm', 'sub\n');
  file('fallback.html', 'fallback\n');
  const port = await freePort();
  const conf = mainConfig(`server {
  listen 127.0.0.1:${port};
  root ${root};
  index index.html index.htm;
  location = /index.html { add_header X-Exact yes; }
  location /abs/ { index /fallback.html; }
  location /slash/ { root ${root}/; }
  location /aliased/ { alias ${root}/sub/; }
  location /ret/ { return 200 "text\\n"; }
  location /typed/ { types { text/css css; application/javascript js; } default_type application/octet-stream; }
  location /typed-ret/ { types { text/css css; } return 200 "typed\\n"; }
  location /quiet/ { log_not_found off; }
}`);
  const { answers: seen, logs } = await answersOfBoth(nginx!, conf, port, REQUESTS);
  const errors = logs.map((l) => errorLines(l));
  for (const [name, [fromNginx, fromLbtest]] of seen) t.equal(fromLbtest, fromNginx, name);
  t.equal(errors[1], errors[0], 'the error log says what nginx\'s says');
  t.match(errors[0], /directory index of "[^"]*\/empty\/" is forbidden/);
  t.match(errors[0], /directory index of "[^"]*\/quiet\/" is forbidden/, 'log_not_found off leaves other refusals logged');
  t.notMatch(errors[0], /\/quiet\/(none|missing|f\.txt)/, 'and drops the not-found ones');
  t.match(seen.get('/ goes to the exact location of its index')![1], /\r\nX-Exact: yes\r\n/, 'the index was matched again');
});
