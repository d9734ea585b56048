/**
 * Writing: the JSON report reads back as the same report, its number arrays on one line and
 * nothing else touched; an atomic write leaves the whole new text and no temporary file, also
 * when it replaces a file; file names from the suite, target and start.
 */
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../runner/report-model.js';
import { ALL, FAILOVER, WEIGHTED } from './fixtures/index.js';
import { reportFileName, reportJson, writeAtomic } from './write.js';

const dir = mkdtempSync(join(tmpdir(), 'lbtest-write-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('the JSON report reads back whole', async (t) => {
  for (const [name, r] of Object.entries(ALL)) t.same(JSON.parse(reportJson(r)), JSON.parse(JSON.stringify(r)), name);
});

t.test('arrays of numbers on one line; strings left as they are', async (t) => {
  const text = reportJson(FAILOVER);
  t.match(text, /"counts": \[0, 0, 0, /);
  t.match(text, /\n {10}"a": \[\d+, \d+, /);
  const odd: RunReport = { ...FAILOVER, suite: { ...FAILOVER.suite, description: '[\n  1,\n  2\n]  [1,   2]' } };
  t.equal((JSON.parse(reportJson(odd)) as RunReport).suite.description, '[\n  1,\n  2\n]  [1,   2]');
  const lines = (s: string): number => s.split('\n').length;
  t.ok(lines(reportJson(WEIGHTED)) * 3 < lines(JSON.stringify(WEIGHTED, null, 2)), 'a third of the lines of plain JSON.stringify');
});

t.test('atomic: the whole text, no temporary file left, an old file replaced', async (t) => {
  const path = join(dir, 'sub', 'r.json');
  writeAtomic(path, 'first');
  writeAtomic(path, 'second');
  t.equal(readFileSync(path, 'utf8'), 'second');
  t.same(readdirSync(join(dir, 'sub')), ['r.json']);
  writeFileSync(join(dir, 'ro'), '');
  t.throws(() => writeAtomic(join(dir, 'ro', 'x.json'), 'x'), 'a folder that is a file: the error reaches the caller');
});

t.test('file names', async (t) => {
  t.equal(reportFileName(FAILOVER, '/r'), '/r/failover-bundled-2026-11-24T03-06-14Z.json');
  t.equal(reportFileName(FAILOVER, '/r', '.html'), '/r/failover-bundled-2026-11-24T03-06-14Z.html');
});
