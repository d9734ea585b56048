/**
 * Reports end to end, as CI uses them: `lbtest run` writes the JSON (conforming to
 * schema/report.schema.json), the HTML next to it, the JUnit and Markdown files asked for and the
 * step summary; `lbtest report` renders the saved JSON into the very same documents; a baseline
 * passes or fails the run; Ctrl-C leaves every report whole; bad input is named.
 */
import t from 'tap';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { repoPath } from '../../testing/fixtures.js';
import { twoToOneSuite } from '../../testing/suites.js';
import { schemaErrors } from '../../suite/schema-check.js';
import type { RunReport } from '../../runner/report-model.js';

const CLI = repoPath('bin/lbtest.js');
const dir = mkdtempSync(join(tmpdir(), 'lbtest-reports-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const schema = JSON.parse(readFileSync(repoPath('schema/report.schema.json'), 'utf8')) as boolean;
const XSD = readFileSync(repoPath('src/report/fixtures/junit.xsd'), 'utf8');

const SUITE = (traffic: string): string => twoToOneSuite('{ distribution: by-weight, errors: 0 }', traffic);
const suite = join(dir, 'two.yaml');
writeFileSync(suite, SUITE('{ requests: 30 }'));

function lbtest(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, timeout: 60_000, env: { ...process.env, NO_COLOR: '1', ...env } }, (err, out, errText) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, out, err: errText });
    });
  });
}

const only = (folder: string, ext: string): string => {
  const files = readdirSync(folder).filter((f) => f.endsWith(ext));
  if (files.length !== 1) throw new Error(`${folder}: ${files.length} ${ext} files`);
  return join(folder, files[0]!);
};

async function xsdErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'r.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return r.errors.map((e) => e.rawMessage);
}

t.test('run writes every report; report renders the saved JSON into the same documents', async (t) => {
  const summary = join(dir, 'step-summary.md');
  writeFileSync(summary, '## build\n');
  const r = await lbtest(['run', suite, '--report-dir', 'r1', '--junit', 'ci/junit.xml', '--md', 'ci/summary.md'], { GITHUB_STEP_SUMMARY: summary });
  t.equal(r.code, 0, r.out + r.err);
  const json = only(join(dir, 'r1'), '.json');
  const html = only(join(dir, 'r1'), '.html');
  t.equal(html, json.replace(/\.json$/, '.html'), 'the HTML next to the JSON');
  for (const p of [json, html, join(dir, 'ci/junit.xml'), join(dir, 'ci/summary.md')]) t.match(r.out, `report: ${p}`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
  t.same(schemaErrors(schema, report), [], 'a real report conforms to the schema');
  t.ok(report.phases[0]!.histogram !== undefined && report.phases[0]!.timeline.failures !== undefined && report.phases[0]!.backends[0]!.errors !== undefined, 'with the fields added within version 1');
  t.same(await xsdErrors(readFileSync(join(dir, 'ci/junit.xml'), 'utf8')), []);
  const stepSummary = readFileSync(summary, 'utf8');
  t.ok(stepSummary.startsWith('## build\n### ✅ two to one\n'), 'appended after what was there');

  for (const [flag, written] of [['--junit', join(dir, 'ci/junit.xml')], ['--md', join(dir, 'ci/summary.md')], ['--html', html]] as const) {
    const again = await lbtest(['report', json, flag]);
    t.equal(again.code, 0, again.err);
    t.equal(again.out, readFileSync(written, 'utf8'), `${flag}: the same document from the saved JSON`);
  }
  const out = join(dir, 'again', 'run.html');
  const toFile = await lbtest(['report', json, '--html', '-o', out]);
  t.equal(toFile.code, 0);
  t.equal(readFileSync(out, 'utf8'), readFileSync(html, 'utf8'));
  const terminal = await lbtest(['report', json]);
  t.match(terminal.out, /│ backend │ expected │ observed │ received │ answered │ errors │/);
  t.match(terminal.out, /PASSED: 2 verdicts held, 0 failed/);
  t.notOk(terminal.out.includes('\x1b'), 'plain when piped');
});

t.test('a baseline: within the threshold passes, a regression fails and says so', async (t) => {
  const base = only(join(dir, 'r1'), '.json');
  const ok = await lbtest(['run', suite, '--no-report', '--baseline', base, '--threshold', '100000%']);
  t.equal(ok.code, 0, ok.out + ok.err);
  t.match(ok.out, /no regression: 3 measures within 100000% of the baseline/);
  const fast = JSON.parse(readFileSync(base, 'utf8')) as RunReport;
  const doctored = { ...fast, phases: fast.phases.map((p) => ({ ...p, ratePerSec: p.ratePerSec * 100, latency: { ...p.latency, p50Us: 1, p99Us: 1 } })) };
  const fastFile = join(dir, 'fast.json');
  writeFileSync(fastFile, JSON.stringify(doctored));
  const bad = await lbtest(['run', suite, '--no-report', '--baseline', fastFile, '--junit', 'ci/regressed.xml']);
  t.equal(bad.code, 1, 'a regression fails the run');
  t.match(bad.out, /REGRESSION: 3 of 3 measures worse than the baseline by more than 10%/);
  t.match(bad.out, /phase 1 "steady" │ req\/s/);
  const junit = readFileSync(join(dir, 'ci/regressed.xml'), 'utf8');
  t.match(junit, /<testsuite name="two\.bundled baseline" tests="3" failures="3"/);
  t.same(await xsdErrors(junit), []);
  const other = { ...fast, suite: { ...fast.suite, name: 'another suite' } };
  writeFileSync(join(dir, 'other.json'), JSON.stringify(other));
  const none = await lbtest(['run', suite, '--no-report', '--baseline', 'other.json']);
  t.equal(none.code, 3, 'a baseline that compares nothing is an error, not a pass');
  t.match(none.err, /no run of these suites in the baseline/);
});

t.test('Ctrl-C mid-phase leaves every report whole', async (t) => {
  const long = join(dir, 'long.yaml');
  writeFileSync(long, SUITE('{ duration: 60s, connections: 2 }'));
  const child = spawn(process.execPath, [CLI, 'run', long, '--report-dir', 'r2', '--junit', 'r2/junit.xml', '--md', 'r2/summary.md', '--progress'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  while (!err.includes('requests')) await once(child.stderr, 'data');
  child.kill('SIGINT');
  const [code] = await once(child, 'exit') as [number];
  t.equal(code, 130, err);
  const report = JSON.parse(readFileSync(only(join(dir, 'r2'), '.json'), 'utf8')) as RunReport;
  t.equal(report.outcome, 'interrupted');
  t.same(schemaErrors(schema, report), []);
  const junit = readFileSync(join(dir, 'r2/junit.xml'), 'utf8');
  t.same(await xsdErrors(junit), []);
  t.match(junit, /<error message="interrupted before every phase finished" type="interrupted">/);
  t.match(readFileSync(join(dir, 'r2/summary.md'), 'utf8'), /^### ⚠️ two to one/);
  t.match(readFileSync(only(join(dir, 'r2'), '.html'), 'utf8'), /<\/html>\n$/, 'the HTML page is whole');
  t.same(readdirSync(join(dir, 'r2')).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
});

t.test('bad input is named; bad command lines get the usage', async (t) => {
  writeFileSync(join(dir, 'not-a-report.json'), '{"name": "x"}');
  writeFileSync(join(dir, 'not-json.json'), '{');
  const cases: [string[], number, RegExp][] = [
    [['report', 'missing.json'], 3, /missing\.json: no such file/],
    [['report', 'not-a-report.json'], 3, /not-a-report\.json: version: expected 1, found nothing \(is this an lbtest run report\?\)/],
    [['report', 'not-json.json'], 3, /not-json\.json: not JSON/],
    [['report'], 2, /usage: lbtest report RUN\.json/],
    [['report', 'x.json', '--html', '--md'], 2, /one format at a time, found --html --md/],
    [['run', suite, '--baseline', 'fast.json', '--threshold', 'lots'], 2, /--threshold must be a percentage such as 10%, found "lots"/],
    [['run', suite, '--threshold', '5%'], 2, /--threshold needs --baseline/],
    [['run', suite, '--baseline', 'not-a-report.json'], 3, /baseline .*not-a-report\.json: version: expected 1/],
  ];
  for (const [args, code, message] of cases) {
    const r = await lbtest(args);
    t.equal(r.code, code, args.join(' '));
    t.match(r.err, message, args.join(' '));
  }
  t.notOk(existsSync(join(dir, 'reports')), 'nothing ran, nothing written');
});
