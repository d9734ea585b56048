/**
 * `lbtest run` end to end, as a person runs it: a passing suite (bundled and, where installed,
 * nginx), a wrong expectation explained, a broken suite located, and Ctrl-C in the middle of a
 * phase leaving the report of what ran and no process or port behind.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../testing/fixtures.js';
import { findNginx } from '../testing/nginx.js';
import { twoToOneSuite } from '../testing/suites.js';
import type { RunReport } from './report-model.js';

const CLI = repoPath('bin/lbtest.js');
const dir = mkdtempSync(join(tmpdir(), 'lbtest-run-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const SUITE = twoToOneSuite;

function lbtest(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, timeout: 60_000 }, (err, out, errText) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, out, err: errText });
    });
  });
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function lastReport(reports: string): RunReport {
  const files = readdirSync(reports).filter((f) => f.endsWith('.json')).sort();
  return JSON.parse(readFileSync(join(reports, files.at(-1)!), 'utf8')) as RunReport;
}

t.test('a passing suite: exit 0, a table, the verdicts and a JSON report', async (t) => {
  const file = write('pass.yaml', SUITE('{ distribution: by-weight, sequence: a b a, errors: 0 }'));
  const r = await lbtest(['run', file, '--report-dir', join(dir, 'r1')]);
  t.equal(r.code, 0, r.out + r.err);
  t.match(r.out, /│ backend │ expected │ observed/);
  t.match(r.out, /PASS sequence: expected a b a/);
  t.match(r.out, /PASSED: 3 verdicts held, 0 failed/);
  const report = lastReport(join(dir, 'r1'));
  t.equal(report.outcome, 'passed');
  t.same(report.phases[0]!.backends.map((b) => [b.name, b.received]), [['a', 10], ['b', 5]]);
});

t.test('the same suite against a real nginx', { skip: findNginx() === null ? 'nginx is not installed' : false }, async (t) => {
  const file = write('pass-nginx.yaml', SUITE('{ distribution: by-weight, sequence: a b a, errors: 0 }'));
  const r = await lbtest(['run', file, '--target', 'nginx', '--no-report']);
  t.equal(r.code, 0, r.out + r.err);
  t.match(r.out, /target nginx/);
});

t.test('both targets side by side, and the matrix of runs', { skip: findNginx() === null ? 'nginx is not installed' : false }, async (t) => {
  const file = write('both.yaml', SUITE('{ distribution: by-weight, sequence: a b a, errors: 0 }'));
  const r = await lbtest(['run', file, '--target', 'bundled', '--target', 'nginx', '--no-report']);
  t.equal(r.code, 0, r.out + r.err);
  t.match(r.out, /== differential run — bundled vs nginx: two to one \(both\.yaml\)/);
  t.match(r.out, /\n {6}1 steady {2}distribution {7}PASS {5}PASS\n/);
  t.match(r.out, /share of a {9}66\.7% {4}66\.7%/);
  t.match(r.out, /no divergence/);
  t.match(r.out, /== suites × targets\n {3}suite +bundled +nginx\n {3}both\.yaml +PASS \d+\.\d s +PASS \d+\.\d s\n {3}total +1\/1 /);
});

t.test('a wrong expectation fails with an explanation', async (t) => {
  const file = write('wrong.yaml', SUITE('{ distribution: { a: 1, b: 1 } }'));
  const r = await lbtest(['run', file, '--no-report']);
  t.equal(r.code, 1);
  t.match(r.out, /FAIL distribution: expected a 50%, b 50%/);
  t.match(r.out, /wrong\.yaml:\d+:\d+/, 'the failing verdict points at the line that stated it');
});

t.test('a broken suite is located and nothing runs', async (t) => {
  const file = write('broken.yaml', SUITE('{ distribution: by-weight, nevr: [a] }'));
  const r = await lbtest(['run', file]);
  t.equal(r.code, 3);
  t.match(r.err, /broken\.yaml:\d+:\d+/);
  t.match(r.err, /nevr/);
});

t.test('Ctrl-C mid-phase: exit 130, the report of what ran, no process or port left', async (t) => {
  const file = write('long.yaml', SUITE('{ errors: 0 }', '{ duration: 60s, connections: 2 }'));
  const reports = join(dir, 'r2');
  const pidsBefore = new Set(readdirSync('/proc').filter((p) => /^\d+$/.test(p)));
  const child = spawn(process.execPath, [CLI, 'run', file, '--report-dir', reports, '--progress'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  // A progress line means the traffic runs: the backends' host and the balancer are up.
  while (!err.includes('requests')) await once(child.stderr, 'data');
  // The run's own descendants only: other programs on the machine may run lbtest too.
  const parentOf = (p: string): string => { try { return readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) \S+ /, '').split(' ')[0]!; } catch { return '0'; } };
  const descends = (p: string): boolean => { for (let q = p, n = 0; q !== '0' && q !== '1' && n < 20; q = parentOf(q), n++) if (q === String(child.pid)) return true; return false; };
  const seen = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && !pidsBefore.has(p) && p !== String(child.pid) && descends(p));
  t.ok(seen.length >= 2, `the run's backends' host and its balancer were running (${seen.length} processes)`);
  child.kill('SIGINT');
  const [code] = await once(child, 'exit') as [number];
  t.equal(code, 130, err);
  const report = lastReport(reports);
  t.equal(report.outcome, 'interrupted');
  const alive = seen.filter((p) => { try { process.kill(Number(p), 0); return true; } catch { return false; } });
  t.same(alive, [], 'no child process left');
  const ports = [...(report.config ?? '').matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  t.ok(ports.length >= 3, 'the report names the ports');
  for (const port of ports) {
    const s = connect(port, '127.0.0.1');
    const [e] = await once(s, 'error').catch((x: unknown) => [x]) as [NodeJS.ErrnoException];
    t.equal(e.code, 'ECONNREFUSED', `port ${port} is closed`);
  }
});
