import t, { type Test } from 'tap';
import { loadConfig, ConfigError } from './load.js';
import { memorySource } from '../testing/memfs.js';

const lookupHost = async (h: string): Promise<string[] | null> => (h === 'localhost' ? ['127.0.0.1', '::1'] : null);

async function load(text: string, extra: Record<string, string> = {}) {
  return loadConfig('/etc/lb/nginx.conf', { prefix: '/srv/lb', source: memorySource({ '/etc/lb/nginx.conf': text, ...extra }), lookupHost });
}

async function failure(t: Test, text: string, extra: Record<string, string> = {}): Promise<ConfigError> {
  const err = await load(text, extra).then(() => null, (e: unknown) => e);
  t.ok(err instanceof ConfigError, 'fails with a ConfigError');
  return err as ConfigError;
}

const SEED = `events {}
http {
  upstream loadbalance {
    server 127.0.0.1:8081;
    server 127.0.0.1:8082 weight=5 max_fails=3 fail_timeout=30s;
    server 127.0.0.1:8083 backup;
    server 127.0.0.1:8084 down max_conns=7;
  }
  server {
    listen 127.0.0.1:18080 default_server;
    server_name load-balance.com;
    location / { proxy_pass http://loadbalance; }
    location = /direct { proxy_pass http://127.0.0.1:9000/x/; }
  }
}
`;

t.test('upstream servers are normalised: weights, fails, ms, flags', async (t) => {
  const { config } = await load(SEED);
  const u = config.http!.upstreams.get('loadbalance')!;
  t.equal(u.method.kind, 'round_robin');
  t.same(u.servers.map((s) => [s.address, s.weight, s.maxFails, s.failTimeoutMs, s.maxConns, s.backup, s.down]), [
    ['127.0.0.1:8081', 1, 1, 10_000, 0, false, false],
    ['127.0.0.1:8082', 5, 3, 30_000, 0, false, false],
    ['127.0.0.1:8083', 1, 1, 10_000, 0, true, false],
    ['127.0.0.1:8084', 1, 1, 10_000, 7, false, true],
  ]);
  t.same(u.servers[0]!.addresses, [{ kind: 'tcp', host: '127.0.0.1', port: 8081, family: 4, name: '127.0.0.1:8081' }]);
  t.same(u.servers[0]!.source, { file: '/etc/lb/nginx.conf', line: 4, col: 5 });
});

t.test('proxy_pass to an address makes an implicit group; $proxy_host and the URI part are kept', async (t) => {
  const { config } = await load(SEED);
  const srv = config.http!.servers[0]!;
  const [root, direct] = srv.locations;
  t.same(root!.proxyPass, { upstream: 'loadbalance', scheme: 'http', proxyHost: 'loadbalance', uri: null, url: 'http://loadbalance', dynamic: null, source: root!.proxyPass!.source });
  t.equal(direct!.proxyPass!.upstream, '127.0.0.1:9000');
  t.equal(direct!.proxyPass!.proxyHost, '127.0.0.1:9000');
  t.equal(direct!.proxyPass!.uri, '/x/');
  const implicit = config.http!.upstreams.get('127.0.0.1:9000')!;
  t.equal(implicit.implicit, true);
  t.same(implicit.servers.map((s) => [s.address, s.weight, s.maxFails, s.failTimeoutMs]), [['127.0.0.1:9000', 1, 1, 10_000]]);
  t.same(srv.listens.map((l) => [l.host, l.port, l.defaultServer]), [['127.0.0.1', 18080, true]]);
});

t.test('defaults are nginx 1.22 defaults', async (t) => {
  const { config } = await load(SEED);
  const p = config.http!.servers[0]!.locations[0]!.settings.proxy;
  t.equal(p.connectTimeoutMs, 60_000);
  t.equal(p.readTimeoutMs, 60_000);
  t.equal(p.httpVersion, '1.0');
  t.same(p.nextUpstream, { error: true, timeout: true, invalidHeader: false, http500: false, http502: false, http503: false,
    http504: false, http403: false, http404: false, http429: false, nonIdempotent: false });
  t.equal(p.nextUpstreamTries, 0);
  t.equal(config.workerProcesses, 1);
  t.equal(config.pid, '/srv/lb/logs/nginx.pid');
  t.equal(config.http!.servers[0]!.locations[0]!.settings.root, '/srv/lb/html');
});

t.test('inheritance: values merge down; proxy_set_header lists inherit only when a level sets none', async (t) => {
  const { config } = await load(`events {}
http {
  proxy_read_timeout 5s;
  proxy_set_header X-A a;
  proxy_next_upstream error http_502;
  server {
    listen 127.0.0.1:1;
    proxy_connect_timeout 1m30s;
    location /inherit { }
    location /own { proxy_set_header X-B $remote_addr; proxy_read_timeout 500ms; proxy_next_upstream off; }
  }
}`);
  const [inherit, own] = config.http!.servers[0]!.locations;
  t.equal(inherit!.settings.proxy.readTimeoutMs, 5000);
  t.equal(inherit!.settings.proxy.connectTimeoutMs, 90_000);
  t.same(inherit!.settings.proxy.setHeaders.map((h) => h.name), ['X-A']);
  t.equal(inherit!.settings.proxy.nextUpstream.http502, true);
  t.equal(own!.settings.proxy.readTimeoutMs, 500);
  t.same(own!.settings.proxy.setHeaders.map((h) => [h.name, h.value.parts]), [['X-B', [{ kind: 'var', name: 'remote_addr' }]]]);
  t.equal(own!.settings.proxy.nextUpstream.error, false, 'off clears every flag');
});

t.test('balancing methods', async (t) => {
  const { config, warnings } = await load(`events {}
http {
  upstream h { hash $request_uri consistent; server 127.0.0.1:1; }
  upstream r { random two least_conn; server 127.0.0.1:1; }
  upstream w { ip_hash; least_conn; server 127.0.0.1:1; keepalive 8; }
  upstream L { server localhost:81; }
}`);
  const ups = config.http!.upstreams;
  t.same(ups.get('h')!.method, { kind: 'hash', consistent: true, key: { raw: '$request_uri', parts: [{ kind: 'var', name: 'request_uri' }] } });
  t.same(ups.get('r')!.method, { kind: 'random', two: true });
  t.same(ups.get('w')!.method, { kind: 'least_conn' });
  t.same(ups.get('w')!.keepalive, { connections: 8, local: false });
  t.same(warnings.map((w) => [w.message, w.source?.line]), [['load balancing method redefined', 5]]);
  t.same(ups.get('l')!.servers[0]!.addresses.map((a) => a.name), ['127.0.0.1:81', '[::1]:81'], 'a name becomes every address; the key is lower-cased');
});

t.test('realip ranges', async (t) => {
  const { config } = await load(`events {}
http { set_real_ip_from 127.0.0.0/8; set_real_ip_from ::1; real_ip_header X-Forwarded-For; real_ip_recursive on; server { listen 127.0.0.1:1; } }`);
  const r = config.http!.servers[0]!.settings.realIp!;
  t.same(r.from, [{ kind: 'ipv4', addr: 0x7f000000, bits: 8 }, { kind: 'ipv6', addr: 1n, bits: 128 }]);
  t.equal(r.header, 'X-Forwarded-For');
  t.equal(r.recursive, true);
});

t.test('directives lbtest does not act on are accepted with a located warning', async (t) => {
  const { warnings } = await load('events {}\nhttp {\n  gzip on;\n  proxy_buffering off;\n}\n');
  t.same(warnings.map((w) => [w.message, w.source?.line]), [
    ['"gzip" directive is not implemented by lbtest and is ignored', 3],
    ['"proxy_buffering" directive has no effect in lbtest', 4],
  ]);
});

t.test('errors carry a code and a location', async (t) => {
  const cases: Array<[string, string, string, number, number?]> = [
    ['events {}\nhttp {\n  liseten 80;\n}\n', 'CONF_DIRECTIVE', 'unknown directive "liseten"', 3, 3],
    ['events {}\nhttp {\n  upstream u { server 127.0.0.1:1 weight=0; }\n}\n', 'CONF_VALUE', 'invalid parameter "weight=0"', 3],
    ['events {}\nhttp {\n', 'CONF_SYNTAX', 'unexpected end of file, expecting "}"', 3],
    ['events {}\nhttp { upstream u { server nothere.invalid; } }\n', 'CONF_REFERENCE', 'host not found in upstream "nothere.invalid"', 2],
    ['events {}\nhttp { include /etc/lb/missing.conf; }\n', 'CONF_FILE', 'open() "/etc/lb/missing.conf" failed', 2],
  ];
  for (const [text, code, message, line, col] of cases) {
    const e = await failure(t, text);
    t.equal(e.code, code, message);
    t.equal(e.message, message);
    t.equal(e.location?.line, line, `${message}: line`);
    if (col !== undefined) t.equal(e.location?.col, col, `${message}: column`);
  }
});

t.test('includes: relative to the main file, globs sorted, errors name the included file', async (t) => {
  const e = await failure(t, 'events {}\nhttp { include conf.d/*.conf; }\n', {
    '/etc/lb/conf.d/b.conf': '\nupstream a { server 127.0.0.1:2; }\n',
    '/etc/lb/conf.d/a.conf': 'upstream a { server 127.0.0.1:1; }\n',
  });
  t.equal(e.message, 'duplicate upstream "a"');
  t.same(e.location, { file: '/etc/lb/conf.d/b.conf', line: 2, col: 1 });
  const ok = await load('events {}\nhttp { include conf.d/*.nomatch; }\n');
  t.ok(ok.config.http, 'a glob that matches nothing is fine');
});

t.test('the model is frozen', async (t) => {
  const { config } = await load(SEED);
  t.throws(() => { (config as { workerProcesses: unknown }).workerProcesses = 4; });
  t.ok(Object.isFrozen(config.http!.servers[0]!.locations[0]!.settings.proxy));
});
