/**
 * Differential tests of what is observed around the responses: upstream keepalive reuse
 * (connections a backend sees), max_conns under concurrent requests, the access log written
 * with a log_format, and the error-log lines for refused, disabled and no-live upstreams.
 * The same configuration runs under real nginx and `lbtest serve`; skipped where nginx is absent.
 */
import t from 'tap';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig, startLbtest, startNginx, type RunningBalancer } from '../testing/balancers.js';
import { startFleet } from '../testing/mini-backends.js';
import { send } from '../testing/requests.js';

const nginx = findNginx();
const skip = nginx === null ? 'nginx is not installed (apt-get install nginx-light)' : false;
if (nginx === null) t.comment('NOTICE: nginx is not installed: differential log and keepalive tests are SKIPPED');

function boot(kind: 'nginx' | 'lbtest', config: string): Promise<RunningBalancer> {
  return kind === 'nginx' ? startNginx(nginx!, config) : startLbtest(config);
}

/** A keep-alive backend that counts the connections it accepts. */
async function countingBackend(): Promise<{ server: Server; port: number; connections: () => number }> {
  let n = 0;
  const server = createServer((_req, res) => { res.setHeader('X-Lbtest-Backend', 'k'); res.end('k'); });
  server.on('connection', () => { n++; });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port, connections: () => n };
}

t.test('upstream keepalive: connections reused as nginx reuses them', { skip }, async (t) => {
  const counts: Record<string, number[]> = {};
  for (const kind of ['nginx', 'lbtest'] as const) {
    const be = await countingBackend();
    const listen = await freePort();
    const http = `upstream k { server 127.0.0.1:${be.port}; keepalive 2; keepalive_requests 4; }
upstream c { server 127.0.0.1:${be.port}; }
server { listen 127.0.0.1:${listen};
 location /ka { proxy_pass http://k; proxy_http_version 1.1; proxy_set_header Connection ""; }
 location /close { proxy_pass http://c; } }`;
    const lb = await boot(kind, mainConfig(http));
    const seen: number[] = [];
    try {
      for (let i = 0; i < 10; i++) await send(listen, { path: '/ka' });
      seen.push(be.connections());
      for (let i = 0; i < 3; i++) await send(listen, { path: '/close' });
      seen.push(be.connections());
    } finally {
      await lb.stop();
      be.server.closeAllConnections();
      be.server.close();
    }
    counts[kind] = seen;
  }
  t.same(counts['lbtest'], counts['nginx'], `backend connections after 10 keepalive and 3 plain requests: ${JSON.stringify(counts['nginx'])}`);
});

t.test('max_conns: a single server limited to 3 takes 3 of 4 concurrent requests', { skip }, async (t) => {
  const results: Record<string, string> = {};
  for (const kind of ['nginx', 'lbtest'] as const) {
    const fleet = await startFleet({ a: { kind: 'delay', ms: 300 } });
    const listen = await freePort();
    const lb = await boot(kind, mainConfig(`upstream u { server 127.0.0.1:${fleet.port('a')} max_conns=3; }
server { listen 127.0.0.1:${listen}; location / { proxy_pass http://u; } }`));
    try {
      const all = await Promise.all(Array.from({ length: 4 }, () => send(listen, {})));
      results[kind] = all.map((r) => r.status).sort().join(' ');
    } finally {
      await lb.stop();
      await fleet.closeAll();
    }
  }
  t.equal(results['lbtest'], results['nginx'], `statuses: ${results['nginx']}`);
});

function accessLines(b: RunningBalancer): string[] {
  let text = '';
  try { text = readFileSync(join(b.prefix, 'logs/access.log'), 'utf8'); } catch { return []; }
  return text.trim().split('\n');
}

t.test('access log with a log_format, and the error log in nginx words', { skip }, async (t) => {
  const out: Record<string, { access: string[]; errors: string[] }> = {};
  const fleet = await startFleet({ ok: { kind: 'ok' }, dead: { kind: 'dead' }, dead2: { kind: 'dead' } });
  t.teardown(() => fleet.closeAll());
  const names = new Map([...fleet.backends].map(([n, b]) => [b.port, n]));
  const listen = await freePort();
  const http = `log_format probe '$connection $connection_requests $remote_addr $server_addr:$server_port "$request" $status $body_bytes_sent "$http_user_agent" $upstream_addr $upstream_status $request_uri $args';
access_log logs/access.log probe;
upstream u { server 127.0.0.1:${fleet.port('dead')}; server 127.0.0.1:${fleet.port('ok')}; }
upstream gone { server 127.0.0.1:${fleet.port('dead')}; server 127.0.0.1:${fleet.port('dead2')}; }
server { listen 127.0.0.1:${listen};
 location / { proxy_pass http://u; }
 location /gone { proxy_pass http://gone; }
 location = /static { return 204; } }`;
  const named = (s: string): string => s.replace(/127\.0\.0\.1:(\d+)/g, (m, p: string) => (Number(p) === listen ? 'LISTEN' : names.get(Number(p)) ?? m));
  for (const kind of ['nginx', 'lbtest'] as const) {
    const lb = await boot(kind, mainConfig(http).replace('access_log off;', ''));
    try {
      for (const p of [{ path: '/a?x=1', headers: { 'User-Agent': 'probe "q"' } }, { path: '/b' }, { path: '/static' }, { path: '/gone' }, { path: '/gone' }]) {
        await send(listen, p);
      }
    } finally {
      await lb.stop(true);
    }
    const errors = lb.errorLog().split('\n')
      .map((l) => /\[(error|warn)\] \d+#\d+: (\*\d+ .*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => named(`[${m[1]}] ${m[2]}`));
    // The error pages' footer names the server (nginx/1.22.1 vs lbtest), so their byte counts differ by design.
    const page = (l: string): string => l.replace(/" (5\d\d) \d+ "/, '" $1 PAGE "');
    out[kind] = { access: accessLines(lb).map(named).map(page), errors };
    lb.removePrefix();
  }
  t.same(out['lbtest']!.access, out['nginx']!.access, 'access log lines');
  t.same(out['lbtest']!.errors, out['nginx']!.errors, 'error log lines');
});
