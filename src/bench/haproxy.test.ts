/**
 * HAProxy's equivalent of a bench configuration, generated from the nginx model; what has no
 * equivalent is reported, not guessed. (HAProxy itself need not be installed for these.)
 */
import t, { type Test } from 'tap';
import type { NginxConfig } from '../config/model.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { defaultConfig, placeConfig } from './config.js';
import { haproxyArgs, haproxyConfig } from './haproxy.js';

async function model(t: Test, text: string): Promise<NginxConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-bench-haproxy-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'nginx.conf'), placeConfig(text, { listenPort: 8080, backends: new Map([['a', 9001], ['b', 9002]]), workers: 1 }));
  return (await loadConfig(join(dir, 'nginx.conf'), { prefix: dir })).config;
}

const site = (upstream: string, location = 'proxy_pass http://u;'): string =>
  `events {}\nhttp { upstream u { ${upstream} } server { listen {{listen}}; location / { ${location} } } }\n`;

t.test('the default configuration: round robin, keep-alive reuse capped like `keepalive 32`', async (t) => {
  const cfg = haproxyConfig(await model(t, defaultConfig(2)), 8080, 2);
  t.type(cfg, 'string');
  const text = cfg as string;
  t.match(text, /nbthread 2\n/);
  t.match(text, /bind 127\.0\.0\.1:8080\n/);
  t.match(text, /balance roundrobin\n/);
  t.match(text, /http-reuse always\n/);
  t.match(text, /server s1 127\.0\.0\.1:9001 weight 1 pool-max-conn 32\n {2}server s2 127\.0\.0\.1:9002 weight 1 pool-max-conn 32\n/);
  t.same(haproxyArgs('/x/haproxy.cfg', '/x/haproxy.pid'), ['-W', '-f', '/x/haproxy.cfg', '-p', '/x/haproxy.pid']);
});

t.test('methods and server parameters', async (t) => {
  const cases: [string, RegExp][] = [
    ['least_conn; server {{a}} weight=3 max_conns=10; server {{b}} backup;', /balance leastconn\n {2}server s1 127\.0\.0\.1:9001 weight 3 maxconn 10\n {2}server s2 127\.0\.0\.1:9002 weight 1 backup\n/],
    ['ip_hash; server {{a}}; server {{b}} down;', /balance source\n.*\n {2}server s2 127\.0\.0\.1:9002 weight 1 disabled\n/],
    ['hash $request_uri consistent; server {{a}}; server {{b}};', /balance uri whole\n {2}hash-type consistent\n/],
    ['random two; server {{a}}; server {{b}};', /balance random\(2\)\n/],
  ];
  for (const [upstream, want] of cases) {
    const cfg = haproxyConfig(await model(t, site(upstream)), 8080, 1);
    t.match(cfg, want, upstream);
    t.match(cfg, /option http-server-close\n/, 'no keepalive upstream: a connection per request, as nginx');
  }
});

t.test('what has no equivalent is a reason to skip', async (t) => {
  t.same(haproxyConfig(await model(t, site('hash $arg_k; server {{a}};')), 8080, 1), { skip: 'no HAProxy equivalent of "hash" on another key than $request_uri' });
  t.same(haproxyConfig(await model(t, site('server {{a}};', 'return 204;')), 8080, 1), { skip: 'the first server proxies to no upstream' });
});
