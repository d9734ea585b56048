/**
 * The Markdown summary: snapshots on every fixture; headings at h3, details folded; text that
 * cannot break a table or open HTML; within GitHub's 1 MiB step-summary limit by dropping the
 * details, then whole lines; appended to a file that already holds other steps' summaries.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../runner/report-model.js';
import { compareRuns } from './baseline.js';
import { ALL, FAILOVER, WEIGHTED, scrub } from './fixtures/index.js';
import { renderMarkdown, summaryWithin } from './markdown.js';
import { appendStepSummary, STEP_SUMMARY_LIMIT_BYTES } from './write.js';

t.cleanSnapshot = scrub;
const dir = mkdtempSync(join(tmpdir(), 'lbtest-md-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

for (const [name, report] of Object.entries(ALL)) {
  t.test(name, async (t) => {
    t.matchSnapshot(renderMarkdown([report]));
  });
}

t.test('with a baseline comparison', async (t) => {
  t.matchSnapshot(renderMarkdown([FAILOVER], { comparisons: [compareRuns(FAILOVER, FAILOVER, 0.1, '/ci/base/failover.json')] }));
});

t.test('h3 per run, failed verdicts in full, details folded', async (t) => {
  const md = renderMarkdown([WEIGHTED, FAILOVER]);
  t.same(md.match(/^#{1,3} .*$/gm), ['### ✅ weighted round robin splits 5:1:1; a dead server is skipped and comes back; a failing one is ejected', '### ❌ failover to a backup and back']);
  t.match(md, /- ❌ \*\*phase 2: both die — p99 latency\*\*: expected &lt; 1ms; observed 2\.58ms\n {2}<br>p99 latency was 2\.58ms/);
  t.equal((md.match(/<details>/g) ?? []).length, 2);
  t.equal((md.match(/<\/details>/g) ?? []).length, 2);
});

t.test('names cannot break a table or open a tag', async (t) => {
  const p = FAILOVER.phases[0]!;
  const odd: RunReport = { ...FAILOVER, phases: [{ ...p, name: 'a | b <script>', backends: [{ ...p.backends[0]!, name: 'x|y' }] }] };
  const md = renderMarkdown([odd]);
  t.match(md, /\| 1\. a \\\| b &lt;script&gt; \| 4697 \|/);
  t.match(md, /\| x\\\|y \| 50\.0% \|/);
  t.notMatch(md, /<script>/);
});

t.test('within a budget: whole, then without details, then cut at a line with a note', async (t) => {
  const full = renderMarkdown([WEIGHTED, FAILOVER]);
  const compact = renderMarkdown([WEIGHTED, FAILOVER], { detail: 'compact' });
  const size = (s: string): number => Buffer.byteLength(s);
  t.ok(size(compact) < size(full));
  t.equal(summaryWithin([WEIGHTED, FAILOVER], [], size(full)), full);
  t.equal(summaryWithin([WEIGHTED, FAILOVER], [], size(full) - 1), compact);
  const cut = summaryWithin([WEIGHTED, FAILOVER], [], 600);
  t.ok(size(cut) <= 600, `${size(cut)} bytes`);
  t.match(cut, /^### ✅ weighted/);
  t.match(cut, /summary cut to fit GitHub's 1 MiB step summary limit/);
  t.equal(summaryWithin([WEIGHTED], [], 10), '');
});

t.test('appended to $GITHUB_STEP_SUMMARY after what other steps wrote, never past 1 MiB', async (t) => {
  const file = join(dir, 'summary.md');
  writeFileSync(file, '## earlier step\n');
  t.ok(appendStepSummary(file, (budget) => summaryWithin([FAILOVER], [], budget)));
  const text = readFileSync(file, 'utf8');
  t.ok(text.startsWith('## earlier step\n### ❌ failover'));
  const nearlyFull = join(dir, 'full.md');
  writeFileSync(nearlyFull, 'x'.repeat(STEP_SUMMARY_LIMIT_BYTES - 700));
  t.ok(appendStepSummary(nearlyFull, (budget) => summaryWithin([WEIGHTED, FAILOVER], [], budget)));
  t.ok(readFileSync(nearlyFull).length <= STEP_SUMMARY_LIMIT_BYTES);
  writeFileSync(nearlyFull, 'x'.repeat(STEP_SUMMARY_LIMIT_BYTES));
  t.notOk(appendStepSummary(nearlyFull, () => 'more'), 'full: nothing appended');
  t.equal(readFileSync(nearlyFull).length, STEP_SUMMARY_LIMIT_BYTES);
});
