/**
 * The bench's configurations: the default one, placeholders, and the process directives the
 * bench takes over (pid, daemon, master_process, worker_processes) with line numbers kept.
 */
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { backendNames, configuredWorkers, defaultConfig, placeConfig, placeholderBackends } from './config.js';

const placed = (text: string, workers: number | null = 1): string =>
  placeConfig(text, { listenPort: 8080, backends: new Map([['a', 9001], ['b', 9002]]), workers });

t.test('the default configuration: keep-alive on both sides, one server line per backend', async (t) => {
  const text = defaultConfig(2);
  t.same(placeholderBackends(text), ['a', 'b']);
  t.match(text, /keepalive 32;/);
  t.match(text, /proxy_http_version 1\.1;/);
  t.match(text, /proxy_set_header Connection "";/);
  t.equal(configuredWorkers(text), 1);
  t.same(backendNames(28).slice(24), ['y', 'z', 'b1', 'b2']);
});

t.test('placing fills addresses and owns the process directives, on the first line', async (t) => {
  const text = 'daemon off;\nmaster_process off;\npid /run/x.pid;\nworker_processes 4;\nevents {}\nhttp { upstream u { server {{a}}; server {{b.host}}:{{b.port}}; } server { listen {{listen}}; location / { proxy_pass http://u; } } }\n';
  const out = placed(text, 2);
  t.equal(out.split('\n').length, text.split('\n').length, 'line numbers kept');
  t.match(out.split('\n')[0]!, /^pid logs\/nginx\.pid; worker_processes 2; error_log logs\/error\.log warn; /);
  t.notMatch(out, /daemon|master_process|\/run\/x\.pid|worker_processes 4/);
  t.match(out, /server 127\.0\.0\.1:9001; server 127\.0\.0\.1:9002;/);
  t.match(out, /listen 127\.0\.0\.1:8080;/);
  t.match(placed(text, null), /worker_processes 4;/, 'kept as configured when the bench does not set it');
  t.equal(configuredWorkers('worker_processes  3 ;'), 3);
  t.equal(configuredWorkers('events {}'), null);
});

t.test('an unknown placeholder is a usage error naming it and its line', async (t) => {
  t.throws(() => placed('events {}\nhttp { server { listen {{listen}}; location / { proxy_pass http://{{nope}}; } } }\n'),
    { code: 'USAGE', message: /unknown placeholder \{\{nope\}\} at line 2/ });
});

t.test('the placed default configuration is valid for the configuration reader', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-bench-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'nginx.conf'), placed(defaultConfig(2)));
  const { config } = await loadConfig(join(dir, 'nginx.conf'), { prefix: dir });
  t.equal(config.pid, join(dir, 'logs/nginx.pid'));
  t.same([...config.http!.upstreams.get('app')!.servers.map((s) => s.address)], ['127.0.0.1:9001', '127.0.0.1:9002']);
});
