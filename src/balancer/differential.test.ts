/**
 * Differential tests: the same configuration and the same requests, sent one at a time, to real
 * nginx and to `lbtest serve`; every response compared — status, answering backend,
 * $upstream_addr and $upstream_status. Skipped, loudly, where nginx is not installed.
 */
import t from 'tap';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig, startLbtest, startNginx, type RunningBalancer } from '../testing/balancers.js';
import { startFleet, type MiniBehaviour, type MiniFleet } from '../testing/mini-backends.js';
import { nameAddrs, send, type Probe } from '../testing/requests.js';

interface Scenario {
  readonly name: string;
  readonly backends: Record<string, MiniBehaviour>;
  /** The http block's body; {{a}} is backend a's address, {{listen}} the balancer's. */
  readonly http: string;
  readonly probes: readonly Probe[];
}

const OK: MiniBehaviour = { kind: 'ok' };
const DEAD: MiniBehaviour = { kind: 'dead' };
const many = (n: number, p: Probe = {}): Probe[] => Array.from({ length: n }, () => p);
const TRACE = 'add_header X-Upstream $upstream_addr always; add_header X-Upstream-Status $upstream_status always;';
const site = (upstream: string, extra = ''): string =>
  `upstream u {\n${upstream}\n}\nserver {\n listen {{listen}};\n ${TRACE}\n location / { proxy_pass http://u; ${extra} }\n}`;

const SCENARIOS: Scenario[] = [
  { name: 'round robin 5:1:1', backends: { a: OK, b: OK, c: OK },
    http: site('server {{a}} weight=5; server {{b}}; server {{c}};'), probes: many(14) },
  { name: 'round robin 1:2 with a down server', backends: { a: OK, b: OK, c: OK },
    http: site('server {{a}}; server {{b}} weight=2; server {{c}} down;'), probes: many(9) },
  { name: 'backup takes over from dead primaries', backends: { a: DEAD, b: DEAD, s: OK },
    http: site('server {{a}}; server {{b}}; server {{s}} backup;'), probes: many(6) },
  { name: 'ip_hash over many client /24s', backends: { a: OK, b: OK, c: OK },
    http: site('ip_hash; server {{a}}; server {{b}}; server {{c}};'),
    probes: Array.from({ length: 24 }, (_, i) => ({ from: `127.0.${i + 1}.${(i % 3) + 1}` })) },
  { name: 'ip_hash with a down server keeps the mapping', backends: { a: OK, b: OK, c: OK },
    http: site('ip_hash; server {{a}}; server {{b}}; server {{c}} down;'),
    probes: Array.from({ length: 12 }, (_, i) => ({ from: `127.0.${i * 7 + 1}.9` })) },
  { name: 'hash $request_uri', backends: { a: OK, b: OK, c: OK },
    http: site('hash $request_uri; server {{a}}; server {{b}}; server {{c}};'),
    probes: ['/', '/a', '/b', '/c', '/index.html', '/api/users/1', '/api/users/2', '/item/42', '/a'].map((path) => ({ path })) },
  { name: 'hash $request_uri consistent', backends: { a: OK, b: OK, c: OK },
    http: site('hash $request_uri consistent; server {{a}}; server {{b}}; server {{c}};'),
    probes: ['/', '/a', '/b', '/c', '/index.html', '/static/app.js', '/img/1.png', '/item/42'].map((path) => ({ path })) },
  { name: 'hash with a dead server rehashes', backends: { a: OK, b: DEAD },
    http: site('hash $arg_k; server {{a}}; server {{b}};'),
    probes: Array.from({ length: 12 }, (_, i) => ({ path: `/?k=${i}` })) },
  { name: 'first refused, retried on the next', backends: { a: DEAD, b: OK, c: OK },
    http: site('server {{a}}; server {{b}}; server {{c}};'), probes: many(8) },
  { name: 'all refused: 502, then no live upstreams', backends: { a: DEAD, b: DEAD },
    http: site('server {{a}}; server {{b}};'), probes: many(4) },
  { name: 'single dead server: 502 every time, never no-live', backends: { a: DEAD },
    http: site('server {{a}};'), probes: many(3) },
  { name: 'http_500 listed: retried and counted', backends: { a: { kind: 'status', status: 500 }, b: OK },
    http: site('server {{a}}; server {{b}};', 'proxy_next_upstream error timeout http_500;'), probes: many(6) },
  { name: 'every server 500 with http_500 listed: last response passed', backends: { a: { kind: 'status', status: 500 }, b: { kind: 'status', status: 500 }, c: { kind: 'status', status: 500 } },
    http: site('server {{a}}; server {{b}}; server {{c}};', 'proxy_next_upstream error timeout http_500;'), probes: many(5) },
  { name: '503 not listed: passed through', backends: { a: { kind: 'status', status: 503 }, b: OK },
    http: site('server {{a}}; server {{b}};'), probes: many(4) },
  { name: '404 listed: retried, never counted', backends: { a: { kind: 'status', status: 404 }, b: OK },
    http: site('server {{a}}; server {{b}};', 'proxy_next_upstream error http_404;'), probes: many(6) },
  { name: 'tries 2', backends: { a: DEAD, b: DEAD, c: OK },
    http: site('server {{a}} max_fails=0; server {{b}} max_fails=0; server {{c}} max_fails=0;', 'proxy_next_upstream_tries 2;'), probes: many(6) },
  { name: 'closed without response: GET retried, POST not', backends: { a: { kind: 'close' }, b: OK },
    http: site('server {{a}} max_fails=0; server {{b}} max_fails=0;'),
    probes: [{}, {}, { method: 'POST', body: 'x=1' }, { method: 'POST', body: 'x=1' }, { method: 'PUT', body: 'x' }, { method: 'PUT', body: 'x' }] },
  { name: 'POST to a refused server is retried', backends: { a: DEAD, b: OK },
    http: site('server {{a}} max_fails=0; server {{b}};'), probes: many(4, { method: 'POST', body: 'hello' }) },
  { name: 'proxy_next_upstream off', backends: { a: DEAD, b: OK },
    http: site('server {{a}}; server {{b}};', 'proxy_next_upstream off;'), probes: many(5) },
  { name: 'read timeout: 504 and retry', backends: { a: { kind: 'hang' }, b: OK },
    http: site('server {{a}} max_fails=0; server {{b}};', 'proxy_read_timeout 300ms;'), probes: many(3) },
  { name: 'read timeout on every server: 504', backends: { a: { kind: 'hang' }, b: { kind: 'hang' } },
    http: site('server {{a}} max_fails=0; server {{b}} max_fails=0;', 'proxy_read_timeout 200ms;'), probes: many(2) },
  { name: 'realip: ip_hash and $remote_addr see X-Real-IP from a trusted peer', backends: { a: OK, b: OK },
    http: `set_real_ip_from 127.0.0.0/8;\n${site('ip_hash; server {{a}}; server {{b}};', 'add_header X-Remote $remote_addr;')}`,
    probes: Array.from({ length: 10 }, (_, i) => ({ headers: { 'X-Real-IP': `127.0.${i + 1}.2` } })) },
  { name: 'realip: X-Forwarded-For, recursive', backends: { a: OK, b: OK, c: OK },
    http: `set_real_ip_from 127.0.0.0/8; set_real_ip_from 10.0.0.0/8; real_ip_header X-Forwarded-For; real_ip_recursive on;\n${site('hash $remote_addr; server {{a}}; server {{b}}; server {{c}};')}`,
    probes: Array.from({ length: 10 }, (_, i) => ({ headers: { 'X-Forwarded-For': `192.0.2.${i}, 10.1.1.1` } })) },
  { name: 'least_conn with sequential requests is round robin', backends: { a: OK, b: OK, c: OK },
    http: site('least_conn; server {{a}} weight=2; server {{b}}; server {{c}};'), probes: many(8) },
];

const nginx = findNginx();
if (nginx === null) {
  t.comment('NOTICE: nginx is not installed: the differential balancer tests are SKIPPED (apt-get install nginx-light)');
}

function render(template: string, ports: Record<string, number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => `127.0.0.1:${ports[k]}`);
}

/** Runs the probes through one balancer; both balancers get the same backends and ports (the ketama ring hashes them). */
async function run(kind: 'nginx' | 'lbtest', s: Scenario, fleet: MiniFleet, listen: number): Promise<string[]> {
  const ports: Record<string, number> = { listen };
  for (const [name, b] of fleet.backends) ports[name] = b.port;
  const names = new Map([...fleet.backends].map(([n, b]) => [b.port, n]));
  const config = mainConfig(render(s.http, ports));
  let balancer: RunningBalancer | null = null;
  try {
    balancer = kind === 'nginx' ? await startNginx(nginx!, config) : await startLbtest(config);
    const seen: string[] = [];
    for (const p of s.probes) {
      const r = await send(listen, p);
      seen.push(`${r.status} ${r.backend} [${nameAddrs(r.upstreamAddr, names)}] [${r.upstreamStatus}]${r.remote ? ` remote=${r.remote}` : ''}`);
    }
    return seen;
  } finally {
    await balancer?.stop();
  }
}

for (const s of SCENARIOS) {
  t.test(s.name, { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
    const fleet = await startFleet(s.backends);
    t.teardown(() => fleet.closeAll());
    const listen = await freePort();
    const expected = await run('nginx', s, fleet, listen);
    const actual = await run('lbtest', s, fleet, listen);
    t.same(actual, expected, 'lbtest answers every request as nginx does');
  });
}

/** What a backend receives: the request head nginx sends, compared line by line (ports named). */
interface HeadScenario { readonly name: string; readonly location: string; readonly probe: Probe }
const HEADS: HeadScenario[] = [
  { name: 'defaults: HTTP/1.0, Host $proxy_host, Connection close, client headers passed', location: 'proxy_pass http://u;',
    probe: { path: '/p?q=1', headers: { 'X-Custom': 'v', 'X-Forwarded-For': '1.2.3.4', 'Keep-Alive': '5', TE: 'trailers', 'User-Agent': 'probe' } } },
  { name: 'the usual proxy_set_header lines', location: 'proxy_pass http://u; proxy_set_header Host $host; proxy_set_header X-Real-IP $remote_addr; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    probe: { headers: { Host: 'Example.COM:8080', 'X-Forwarded-For': '1.2.3.4' } } },
  { name: 'HTTP/1.1 with Connection cleared, a POST body', location: 'proxy_pass http://u; proxy_http_version 1.1; proxy_set_header Connection "";',
    probe: { method: 'POST', body: 'a=1&b=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } },
  { name: 'URI part replaces the location prefix; args kept', location: 'proxy_pass http://u/v2/;',
    probe: { path: '/api/users/7?x=1' } },
  { name: 'proxy_pass to an address: Host is the address', location: 'proxy_pass http://{{a}};', probe: { path: '/x' } },
  { name: 'proxy_method: a POST in place of a GET', location: 'proxy_pass http://u; proxy_method POST;', probe: { path: '/m' } },
  { name: 'proxy_method from a variable, written as given', location: 'proxy_pass http://u; proxy_method $arg_m;', probe: { path: '/m?m=patch' } },
  { name: 'variables: $arg_, $cookie_, $http_, $request_uri, $scheme, $server_port', location: 'proxy_pass http://u; proxy_set_header X-Vars "$arg_id|$cookie_sid|$http_x_custom|$request_uri|$uri|$args|$scheme|$request_method";',
    probe: { path: '/api/q?id=42&z=9', headers: { Cookie: 'a=1; sid=abc', 'X-Custom': 'c' } } },
];

function normalizeHead(head: string, ports: ReadonlyMap<number, string>, listen: number): string[] {
  return head.split('\r\n')
    .map((l) => l.replace(`:${listen}`, ':LISTEN').replace(/127\.0\.0\.1:(\d+)/g, (m, p: string) => `127.0.0.1:${ports.get(Number(p)) ?? p}`));
}

for (const h of HEADS) {
  t.test(`request sent upstream: ${h.name}`, { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
    const fleet = await startFleet({ a: OK });
    t.teardown(() => fleet.closeAll());
    const listen = await freePort();
    const ports: Record<string, number> = { listen, a: fleet.port('a') };
    const names = new Map([[fleet.port('a'), 'a']]);
    const http = render(`upstream u { server {{a}}; }\nserver { listen {{listen}}; location /api/ { ${h.location} } location / { ${h.location.replace('/v2/', '')} } }`, ports);
    const heads: string[][] = [];
    for (const kind of ['nginx', 'lbtest'] as const) {
      const b = kind === 'nginx' ? await startNginx(nginx!, mainConfig(http)) : await startLbtest(mainConfig(http));
      try {
        const before = fleet.backends.get('a')!.received.length;
        await send(listen, h.probe);
        heads.push(normalizeHead(fleet.backends.get('a')!.received[before]!, names, listen));
      } finally {
        await b.stop();
      }
    }
    t.same(heads[1], heads[0], 'the backend receives the same request head');
  });
}

t.test('location and server selection: the same location answers every URI and Host', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const listen = await freePort();
  const http = `server { listen 127.0.0.1:${listen}; server_name _;
  location = / { return 200 "exact-root"; }
  location / { return 200 "root"; }
  location /documents/ { return 200 "documents"; }
  location ^~ /images/ { return 200 "images"; }
  location ~* \\.(gif|jpg|jpeg)$ { return 200 "pictures"; }
  location /a/ { location ~ \\.php$ { return 200 "a-php"; } location /a/b/ { return 200 "a-b"; } return 200 "a"; }
  location ~ \\.php$ { return 200 "php"; }
  location ~ ^/re(gex)?/ { return 200 "regex $1"; }
}
server { listen 127.0.0.1:${listen}; server_name www.example.com *.example.org; location / { return 200 "named $host"; } }
server { listen 127.0.0.1:${listen}; server_name mail.*; location / { return 200 "mail $host"; } }`;
  const probes: Probe[] = ['/', '/index.html', '/documents/x.html', '/documents/x.jpg', '/images/x.jpg', '/x.GIF', '/a/', '/a/x.php',
    '/a/b/c', '/a/b/c.php', '/z.php', '/regex/1', '/re/2', '/%61/b/', '/a/../documents/', '//a//b//', '/a/./b/x']
    .map((path) => ({ path }));
  probes.push({ headers: { Host: 'www.example.com' } }, { headers: { Host: 'x.example.org' } }, { headers: { Host: 'mail.test' } },
    { headers: { Host: 'WWW.Example.COM:81' } }, { headers: { Host: 'unknown' } });
  const bodies: string[][] = [];
  for (const kind of ['nginx', 'lbtest'] as const) {
    const b = kind === 'nginx' ? await startNginx(nginx!, mainConfig(http)) : await startLbtest(mainConfig(http));
    try {
      const out: string[] = [];
      for (const p of probes) { const r = await send(listen, p); out.push(`${r.status} ${r.body}`); }
      bodies.push(out);
    } finally {
      await b.stop();
    }
  }
  t.same(bodies[1], bodies[0]);
});
