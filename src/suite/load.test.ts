/**
 * Good suites: what each form means once normalized (durations in ms, bounds and defaults filled
 * in), configurations inline or from a file, by-weight and ejection read from the upstream, the
 * state each phase starts in, and the configuration rendered with real addresses.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSuiteText, loadSuite, SuiteError } from './load.js';
import { renderBalancerConfig } from './balancer.js';
import { render } from './template.js';
import type { Expectation, Suite } from './model.js';
import { SUITE_DEFAULTS, WRAP_HEADER_LINES } from './defaults.js';

const noDns = async (): Promise<null> => null;
const load = (text: string, file = '/suites/s.yaml'): Promise<Suite> => parseSuiteText(text, file, { lookupHost: noDns });

const SUITE = `name: failover
description: backup takes over
backends:
  a: { kind: slow, delay: 5ms }
  b: {}
  spare: { port: 18099 }
balancer: |
  upstream app {
      server {{a}} weight=3 max_fails=2 fail_timeout=4s;
      server {{b}} down;
      server {{spare}} backup;
  }
  server { listen {{listen}}; location / { proxy_pass http://app; } }
configs:
  two: |
    upstream app { server {{a}}; server {{b}}; }
    server { listen {{listen}}; location / { proxy_pass http://app; } }
targets:
  nginx: { note: "nginx-light is enough" }
  url: { skip: "needs the backends on fixed ports" }
phases:
  - name: steady
    traffic: { requests: 30, paths: 3, clients: 4, method: POST, bodySize: 1k, headers: { Host: example.com } }
    expect:
      distribution: by-weight
      never: spare
      sticky: client
      latency: { p99: "< 50ms", max: "<= 1.5s" }
      status: { 200: 30, 5xx: "<= 1%" }
  - name: a fails
    actions: [ { switch: a, to: { kind: status, status: 502 } } ]
    traffic: { duration: 2s, rate: 100/s }
    expect: { ejection: a, share: { spare: ">= 99%" }, throughput: 90/s }
  - name: a back
    actions: [ { switch: a, to: ok, at: 500ms }, { kill: spare } ]
    traffic: { duration: 3s, connections: 4, keys: { header: X-Session, count: 8 } }
    expect:
      recovered: { a: within 2s }
      max_concurrency: { a: 4 }
      sticky: { by: header X-Session, since: steady, moved: "<= 0.5" }
      distribution: { shares: { a: 1 }, tolerance: 10%, alpha: 0.01 }
  - name: reloaded
    actions: [ { reload: two } ]
    traffic: { requests: 20 }
    expect: { distribution: { shares: by-weight, check: exact, slack: 0 }, errors: 0 }
`;

const kinds = (e: readonly Expectation[]): string[] => e.map((x) => x.kind);

t.test('a whole suite, normalized and frozen', async (t) => {
  const s = await load(SUITE);
  t.equal(s.name, 'failover');
  t.same(s.backends.map((b) => [b.name, b.port, b.behaviour.kind]), [['a', 0, 'slow'], ['b', 0, 'ok'], ['spare', 18099, 'ok']]);
  t.same(s.targets, { nginx: { skip: null, note: 'nginx-light is enough' }, url: { skip: 'needs the backends on fixed ports', note: null } });
  t.ok(Object.isFrozen(s) && Object.isFrozen(s.phases[0]!.expect[0]), 'frozen');
  t.same(s.phases.map((p) => p.name), ['steady', 'a fails', 'a back', 'reloaded']);
  t.same(s.warnings, []);
});

t.test('the upstream as by-weight and ejection read it', async (t) => {
  const s = await load(SUITE);
  t.same(s.balancer!.upstream, {
    name: 'app', method: 'round_robin', servers: [
      { backend: 'a', address: '127.0.0.1:40000', weight: 3, down: false, backup: false, maxFails: 2, failTimeoutMs: 4000, maxConns: 0 },
      { backend: 'b', address: '127.0.0.1:40001', weight: 1, down: true, backup: false, maxFails: 1, failTimeoutMs: 10_000, maxConns: 0 },
      { backend: 'spare', address: '127.0.0.1:18099', weight: 1, down: false, backup: true, maxFails: 1, failTimeoutMs: 10_000, maxConns: 0 },
    ],
  });
  t.same(s.balancer!.source, { kind: 'inline', text: s.balancer!.source.kind === 'inline' ? s.balancer!.source.text : '', firstLine: 8 });
  t.same([...s.configs.keys()], ['two']);
  t.equal(s.configs.get('two')!.upstream!.servers.length, 2);
});

t.test('traffic: kinds, bounds and the request mix', async (t) => {
  const [steady, fails, back, reloaded] = (await load(SUITE)).phases.map((p) => p.traffic!);
  t.same(steady!.bounds, { maxRequests: 30, maxDurationMs: SUITE_DEFAULTS.timeBoundMs });
  t.equal(steady!.kind, 'sequential');
  t.same(steady!.mix, {
    method: 'POST', paths: ['/p/0', '/p/1', '/p/2'], headers: [['Host', 'example.com']], body: { kind: 'size', bodyBytes: 1024 },
    sources: { kind: 'bind', count: 4, perSubnet: 1 }, keys: { kind: 'none' },
  });
  t.match(fails, { kind: 'rate', ratePerSec: 100, connections: SUITE_DEFAULTS.rateConnections, bounds: { maxRequests: 200, maxDurationMs: 2000 } });
  t.match(back, { kind: 'concurrent', connections: 4, bounds: { maxRequests: SUITE_DEFAULTS.requestBound, maxDurationMs: 3000 }, mix: { keys: { kind: 'header', name: 'X-Session', count: 8 } } });
  t.equal(reloaded!.timeoutMs, SUITE_DEFAULTS.requestTimeoutMs);
});

t.test('expectations, each with its path and location', async (t) => {
  const s = await load(SUITE);
  const [steady, fails, back, reloaded] = s.phases.map((p) => p.expect);
  t.same(kinds(steady!), ['distribution', 'never', 'sticky', 'latency', 'latency', 'status', 'status']);
  t.match(steady![0], { path: 'phases[0].expect.distribution', location: { file: '/suites/s.yaml', line: 25, col: 21 }, check: { kind: 'exact', slack: 1 }, shares: { kind: 'by-weight', gone: [] } });
  t.match(steady![3], { kind: 'latency', percentile: 99, limitUs: { op: '<', value: 50_000 } });
  t.match(steady![4], { kind: 'latency', percentile: 100, limitUs: { op: '<=', value: 1_500_000 } });
  t.match(steady![5], { path: 'phases[0].expect.status.200', status: { kind: 'code', code: 200 }, count: { op: '==', value: 30, unit: 'count' } });
  t.match(steady![6], { status: { kind: 'class', hundreds: 5 }, count: { op: '<=', value: 0.01, unit: 'share' } });
  t.same(kinds(fails!), ['ejection', 'share', 'throughput']);
  t.match(fails![0], { kind: 'ejection', backend: 'a', maxFails: 2, failTimeoutMs: 4000 });
  t.match(fails![1], { kind: 'share', backend: 'spare', share: { op: '>=', value: 0.99 } });
  t.match(fails![2], { kind: 'throughput', minPerSec: 90 });
  t.match(back!.find((e) => e.kind === 'recovered'), { backend: 'a', withinMs: 2000 });
  t.match(back!.find((e) => e.kind === 'sticky'), { by: { kind: 'header', name: 'X-Session' }, moved: { sincePhase: 0, share: { op: '<=', value: 0.5 } } });
  t.match(back!.find((e) => e.kind === 'distribution'), { check: { kind: 'statistical', tolerance: 0.1, alpha: 0.01 } });
  t.match(reloaded![0], { kind: 'distribution', check: { kind: 'exact', slack: 0 } });
});

t.test('the state each phase starts in: gone backends and the configuration in effect', async (t) => {
  const s = await load(SUITE);
  t.same(s.phases.map((p) => p.state), [
    { gone: [], config: 'balancer' }, { gone: [], config: 'balancer' }, { gone: ['spare'], config: 'balancer' }, { gone: ['spare'], config: 'two' },
  ]);
  const byWeight = s.phases[3]!.expect[0]!;
  t.match(byWeight, { shares: { kind: 'by-weight', gone: ['spare'], upstream: { servers: [{ backend: 'a' }, { backend: 'b' }] } } });
  t.match(s.phases[2]!.actions, [{ kind: 'switch', backend: 'a', atMs: 500, behaviour: { kind: 'ok' } }, { kind: 'kill', backend: 'spare', atMs: 0 }]);
});

t.test('a configuration from a file, context main, and its errors located in that file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-suite-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'lb.conf'), 'events {}\nhttp {\n  upstream u { server {{a}}; }\n  server { listen {{listen}}; location / { proxy_pass http://u; } }\n}\n');
  writeFileSync(join(dir, 'bad.conf'), 'upstream u { server {{a}}; }\nserver { listen {{listen}} bogus; }\n');
  const suite = (balancer: string): string => `name: f\nbackends: { a: {} }\nbalancer: ${balancer}\nphases: [ { traffic: { requests: 1 }, expect: { distribution: by-weight } } ]\n`;
  writeFileSync(join(dir, 'good.yaml'), suite('{ file: lb.conf, context: main }'));
  const s = await loadSuite(join(dir, 'good.yaml'), { lookupHost: noDns });
  t.same(s.balancer!.source, { kind: 'file', file: join(dir, 'lb.conf') });
  t.equal(s.balancer!.upstream!.name, 'u');
  writeFileSync(join(dir, 'bad.yaml'), suite('{ file: bad.conf }'));
  const err = await loadSuite(join(dir, 'bad.yaml'), { lookupHost: noDns }).catch((e: unknown) => e) as SuiteError;
  t.ok(err instanceof SuiteError);
  t.same(err.issues.map((i) => [i.location.file, i.location.line, i.path]), [[join(dir, 'bad.conf'), 2, 'balancer']]);
  t.match(err.issues[0]!.message, /invalid parameter "bogus"/);
  writeFileSync(join(dir, 'none.yaml'), suite('{ file: none.conf }'));
  const missing = await loadSuite(join(dir, 'none.yaml'), { lookupHost: noDns }).catch((e: unknown) => e) as SuiteError;
  t.match(missing.issues[0], { path: 'balancer', location: { line: 3 } });
  t.match(missing.issues[0]!.message, /cannot read the configuration/);
});

t.test('rendering with the real addresses, wrapped for the http context', async (t) => {
  const s = await load(SUITE);
  const addresses = { listen: { host: '127.0.0.1', port: 9000 }, backends: new Map([['a', { host: '127.0.0.1', port: 9001 }], ['b', { host: '127.0.0.1', port: 9002 }], ['spare', { host: '127.0.0.1', port: 18099 }]]) };
  const r = renderBalancerConfig(s.balancer!, s.file, addresses);
  const lines = r.text.split('\n');
  t.equal(lines[WRAP_HEADER_LINES + 1], '    server 127.0.0.1:9001 weight=3 max_fails=2 fail_timeout=4s;');
  t.match(r.text, /listen 127\.0\.0\.1:9000;/);
  t.match(r.text, /^# lbtest[^\n]*\nworker_processes 1;\nevents \{ worker_connections 1024; \}\nhttp \{\n/);
  t.equal(r.file, '/suites/.s.yaml.balancer.conf');
});

t.test('placeholders: names, ports, hosts, spaces; anything else stays', async (t) => {
  const a = { listen: { host: '127.0.0.1', port: 80 }, backends: new Map([['a.b-c', { host: '127.0.0.1', port: 81 }]]) };
  const r = render('x {{a.b-c}} {{ a.b-c.port }} {{listen.host}}:{{listen.port}} {{ nope }}\n{{z}} {{ not a placeholder', a);
  t.equal(r.text, 'x 127.0.0.1:81 81 127.0.0.1:80 {{ nope }}\n{{z}} {{ not a placeholder');
  t.same(r.unknown, [{ name: 'nope', line: 1, col: 62 }, { name: 'z', line: 2, col: 1 }]);
  t.same(r.used, ['a.b-c']);
});

t.test('a suite for a running balancer needs no configuration', async (t) => {
  const s = await load('name: u\nbackends: { a: { port: 18081 } }\nphases: [ { traffic: { requests: 5 }, expect: { errors: 0, only: [a] } } ]\n');
  t.equal(s.balancer, null);
  t.equal(s.phases[0]!.state.config, null);
});

t.test('clients per /24, stickiness by subnet, answers, connections and errors by kind', async (t) => {
  const s = await load(`name: n
backends: { a: {}, b: {} }
balancer: |
  upstream u { ip_hash; server {{a}}; server {{b}}; }
  server { listen {{listen}}; location / { proxy_pass http://u; } }
phases:
  - traffic: { requests: 40, clients: 20, perSubnet: 4, clientHeader: X-Real-IP }
    expect:
      sticky: subnet
      answered: { a: 6, b: ">= 20" }
      connections: { a: "<= 2", b: "100%" }
      errors: { truncated: "100%", reset: 0 }
      forwarded: X-Real-IP
`);
  const p = s.phases[0]!;
  t.same(p.traffic!.mix.sources, { kind: 'header', name: 'X-Real-IP', count: 20, perSubnet: 4 });
  t.same(kinds(p.expect), ['sticky', 'answered', 'connections', 'connections', 'errors', 'errors', 'forwarded']);
  t.match(p.expect[6], { header: 'X-Real-IP' });
  t.match(p.expect[0], { by: { kind: 'subnet' }, moved: null });
  const answered = p.expect[1] as Extract<Expectation, { kind: 'answered' }>;
  t.same([...answered.counts].map(([b, c]) => `${b} ${c.op} ${c.value}`), ['a == 6', 'b >= 20']);
  t.match(p.expect[3], { path: 'phases[0].expect.connections.b', backend: 'b', count: { op: '==', value: 1, unit: 'share' } });
  t.match(p.expect[4], { kind: 'errors', of: 'truncated', count: { value: 1, unit: 'share' } });
  t.match(p.expect[5], { kind: 'errors', of: 'reset', count: { value: 0, unit: 'count' } });
});

t.test('perSubnet needs clients, sticky by subnet needs two /24s, errors name a known kind', async (t) => {
  const suite = (traffic: string, expect: string): string => `name: n\nbackends: { a: {} }\nphases: [ { traffic: ${traffic}, expect: ${expect} } ]\n`;
  const cases: [string, string, RegExp][] = [
    ['{ requests: 4, perSubnet: 2 }', '{ errors: 0 }', /`perSubnet:` shapes the client addresses of `clients:`/],
    ['{ requests: 4, clients: 4, perSubnet: 4 }', '{ sticky: subnet }', /sticky by subnet: the traffic has one \/24/],
    ['{ requests: 4, clients: 4, perSubnet: 255 }', '{ errors: 0 }', /an integer from 1 to 254/],
    ['{ requests: 4 }', '{ errors: { lost: 1 } }', /expected a kind of error \(refused, reset, closed, truncated, timeout, aborted, other\), found "lost"/],
    ['{ requests: 4 }', '{ answered: { z: 1 } }', /unknown backend "z"/],
    ['{ requests: 4 }', '{ forwarded: X-Real-IP }', /forwarded: X-Real-IP is compared with each request's client address; give the traffic `clients: N`/],
    ['{ requests: 4, clients: 2 }', '{ forwarded: Forwarded }', /expected one of X-Real-IP, X-Forwarded-For|X-Real-IP/],
  ];
  for (const [traffic, expect, message] of cases) {
    const err = await load(suite(traffic, expect)).catch((e: unknown) => e) as SuiteError;
    t.ok(err instanceof SuiteError, traffic + ' ' + expect);
    t.match(err.message, message);
  }
});
