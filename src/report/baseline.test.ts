/**
 * Baseline comparison: per phase by name, throughput down or latency up by more than the
 * threshold is a regression, less is not, better is never; phases on one side only are said;
 * the baseline of a run is the same suite on the same target first; thresholds parse as
 * percentages; the printed comparison (snapshot).
 */
import t from 'tap';
import type { PhaseReport, RunReport } from '../runner/report-model.js';
import { changeText, compareRuns, comparisonLine, parseThreshold, pickBaseline, regressions, renderComparison } from './baseline.js';
import { FAILOVER, PHASE_SKIPPED, WEIGHTED, scrub } from './fixtures/index.js';

t.cleanSnapshot = scrub;

/** FAILOVER with every ran phase's rate and latencies multiplied. */
function scaled(rate: number, latency: number): RunReport {
  const scale = (x: number | null): number | null => (x === null ? null : x * latency);
  return {
    ...FAILOVER,
    phases: FAILOVER.phases.map((p): PhaseReport => ({
      ...p, ratePerSec: p.ratePerSec * rate,
      latency: { ...p.latency, p50Us: scale(p.latency.p50Us), p99Us: scale(p.latency.p99Us) },
    })),
  };
}

const rows = (c: ReturnType<typeof compareRuns>): string[] => c.rows.map((r) => `${r.phase} ${r.metric} ${(r.change * 100).toFixed(1)}${r.regressed ? ' REGRESSED' : ''}`);

t.test('the same run: no change, no regression', async (t) => {
  const c = compareRuns(FAILOVER, FAILOVER, 0.1, 'base.json');
  t.equal(c.rows.length, 6);
  t.equal(regressions(c), 0);
  t.ok(c.rows.every((r) => r.change === 0));
});

t.test('slower beyond the threshold regresses; within it, or faster, does not', async (t) => {
  t.same(rows(compareRuns(scaled(0.85, 1.05), FAILOVER, 0.1, 'b')), [
    'phase 1 "a dies and comes back" req/s 15.0 REGRESSED', 'phase 1 "a dies and comes back" p50 5.0', 'phase 1 "a dies and comes back" p99 5.0',
    'phase 2 "both die" req/s 15.0 REGRESSED', 'phase 2 "both die" p50 5.0', 'phase 2 "both die" p99 5.0',
  ]);
  t.equal(regressions(compareRuns(scaled(1, 1.2), FAILOVER, 0.1, 'b')), 4, 'latency up 20%: p50 and p99 of both phases');
  t.equal(regressions(compareRuns(scaled(1, 1.2), FAILOVER, 0.25, 'b')), 0, 'within 25%');
  t.equal(regressions(compareRuns(scaled(2, 0.5), FAILOVER, 0, 'b')), 0, 'better is never a regression');
});

t.test('phases that ran on one side only are named, not compared', async (t) => {
  const c = compareRuns(PHASE_SKIPPED, FAILOVER, 0.1, 'b');
  t.equal(c.rows.length, 3);
  t.same(c.notes, ['the baseline ran against bundled, this run against nginx', 'phase "both die" of the baseline did not run this time']);
  t.same(compareRuns(FAILOVER, PHASE_SKIPPED, 0.1, 'b').notes, ['the baseline ran against nginx, this run against bundled', 'phase 2 "both die" did not run in the baseline']);
});

t.test('the wording of a change', async (t) => {
  const c = compareRuns(scaled(0.5, 1.5), FAILOVER, 0.1, 'b');
  t.equal(changeText(c.rows[0]!), '−50.0% worse');
  t.equal(changeText(c.rows[1]!), '+50.0% worse');
  t.equal(comparisonLine(c.rows[0]!, 0.1), 'phase 1 "a dies and comes back" req/s: 1564/s -> 782/s (−50.0% worse; threshold 10%)');
  t.equal(changeText(compareRuns(scaled(2, 1), FAILOVER, 0.1, 'b').rows[0]!), '+100.0% better');
});

t.test('the baseline of a run: same suite and target, else same suite, else none', async (t) => {
  const saved = [{ file: 'w', report: WEIGHTED }, { file: 'n', report: PHASE_SKIPPED }, { file: 'f', report: FAILOVER }];
  t.equal(pickBaseline(FAILOVER, saved)?.file, 'f');
  t.equal(pickBaseline(PHASE_SKIPPED, saved)?.file, 'n');
  t.equal(pickBaseline(FAILOVER, saved.slice(0, 2))?.file, 'n');
  t.equal(pickBaseline(FAILOVER, saved.slice(0, 1)), null);
});

t.test('thresholds are percentages', async (t) => {
  t.equal(parseThreshold('10%'), 0.1);
  t.equal(parseThreshold('10'), 0.1);
  t.equal(parseThreshold(' 2.5 % '), 0.025);
  t.equal(parseThreshold('0%'), 0);
  for (const bad of ['-5%', 'ten', '', '5%%', '0.1.2']) t.equal(parseThreshold(bad), null, bad);
});

t.test('printed', async (t) => {
  t.matchSnapshot(renderComparison(compareRuns(scaled(0.85, 1.3), FAILOVER, 0.1, 'reports/base.json'), false));
  t.matchSnapshot(renderComparison(compareRuns(FAILOVER, FAILOVER, 0.1, 'reports/base.json'), false));
});
