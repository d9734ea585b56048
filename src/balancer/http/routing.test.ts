import t from 'tap';
import { loadConfig } from '../../config/load.js';
import { memorySource } from '../../testing/memfs.js';
import { LocationMatcher, normalizeUri, ServerSelector } from './routing.js';
import type { Location } from '../../config/model.js';

async function server(body: string) {
  const text = `events {}\nhttp {\n upstream u { server 127.0.0.1:1; }\n server {\n listen 127.0.0.1:1;\n${body}\n }\n}\n`;
  const { config } = await loadConfig('/r/n.conf', { prefix: '/r', source: memorySource({ '/r/n.conf': text }) });
  return config.http!.servers[0]!;
}

const name = (l: Location | null): string => {
  if (l === null) return '(server)';
  const m = l.match;
  return m.kind === 'exact' ? `=${m.path}` : m.kind === 'prefix' ? `${m.noRegex ? '^~' : ''}${m.path}` : m.kind === 'regex' ? `~${m.pattern}` : m.name;
};

t.test("nginx's location order: = first, longest prefix, ^~ stops, regexes in order, nested first", async (t) => {
  const srv = await server(`
  location = / { return 200; }
  location / { return 200; }
  location /documents/ { return 200; }
  location ^~ /images/ { return 200; }
  location ~* \\.(gif|jpg|jpeg)$ { return 200; }
  location /a/ {
    location ~ \\.php$ { return 200; }
    location /a/b/ { return 200; }
  }
  location ~ \\.php$ { return 200; }
  location /api/ { proxy_pass http://u; }`);
  const m = new LocationMatcher(srv.locations);
  const cases: Array<[string, string]> = [
    ['/', '=/'], ['/index.html', '/'], ['/documents/document.html', '/documents/'],
    ['/images/1.gif', '^~/images/'], ['/documents/1.jpg', '~\\.(gif|jpg|jpeg)$'], ['/x.JPG', '~\\.(gif|jpg|jpeg)$'],
    ['/a/x.php', '~\\.php$'], ['/a/b/c', '/a/b/'], ['/a/b/c.php', '~\\.php$'], ['/b.php', '~\\.php$'],
  ];
  for (const [uri, want] of cases) t.equal(name(m.match(uri).location), want, uri);
  t.same(m.match('/api'), { location: null, redirectTo: '/api/', captures: null }, 'a proxy location ending in / redirects its bare name');
});

t.test('no location matches: the server level answers', async (t) => {
  const srv = await server('location /only/ { return 200; }');
  t.same(new LocationMatcher(srv.locations).match('/other'), { location: null, redirectTo: null, captures: null });
});

t.test('server_name selection: exact, *.suffix, prefix.*, regex, default', async (t) => {
  const text = `events {}\nhttp {
  server { listen 127.0.0.1:1; server_name first; }
  server { listen 127.0.0.1:1 default_server; server_name dflt; }
  server { listen 127.0.0.1:1; server_name www.example.com *.example.com; }
  server { listen 127.0.0.1:1; server_name mail.*; }
  server { listen 127.0.0.1:1; server_name ~^api\\d+\\.test$; }
}\n`;
  const { config } = await loadConfig('/r/n.conf', { prefix: '/r', source: memorySource({ '/r/n.conf': text }) });
  const servers = config.http!.servers;
  const sel = new ServerSelector(servers, (s) => s.listens[0]);
  const pick = (h: string): string => sel.select(h).serverNames[0]!;
  t.equal(pick('www.example.com'), 'www.example.com');
  t.equal(pick('a.b.example.com'), 'www.example.com');
  t.equal(pick('mail.example.org'), 'mail.*');
  t.equal(pick('api7.test'), '~^api\\d+\\.test$');
  t.equal(pick('unknown'), 'dflt', 'default_server');
  t.equal(pick(''), 'dflt');
});

t.test('URI normalisation as nginx: decoding, dot segments, merged slashes', async (t) => {
  const cases: Array<[string, string | null]> = [
    ['/a/b', '/a/b'], ['/a//b', '/a/b'], ['/a/./b', '/a/b'], ['/a/../b', '/b'], ['/a/b/..', '/a/'],
    ['/%41%2fx', '/A/x'], ['/..', null], ['/a/%2e%2e/%2e%2e/..', null], ['/100%', '/100%'],
  ];
  for (const [raw, want] of cases) t.equal(normalizeUri(raw), want, raw);
});
