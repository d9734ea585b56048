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
      seen.push(`${r.status} ${r.backend} [${nameAddrs(r.upstreamAddr, names)}] [${r.upstreamStatus}]`);
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
