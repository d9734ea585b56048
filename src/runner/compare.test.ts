/**
 * Differential runs side by side: identical runs show no divergence; a verdict that differs, a
 * share beyond the phase's tolerance, a run that errs on one target are each flagged once; the
 * tolerance is the phase's own; a skipped target is shown, not flagged; the matrix of suites ×
 * targets with times. Pure: reports built here, text compared exactly.
 */
import t from 'tap';
import { parseSuiteText } from '../suite/load.js';
import type { Suite } from '../suite/model.js';
import { compareTargets, phaseTolerance, renderMatrix, renderTargetComparison } from './compare.js';
import type { BackendRow, PhaseReport, RunReport, VerdictRow } from './report-model.js';

const SUITE = `name: two to one
backends: { a: {}, b: {} }
balancer: |
  upstream app { server {{a}} weight=2; server {{b}}; }
  server { listen {{listen}}; location / { proxy_pass http://app; } }
phases:
  - name: steady
    traffic: { requests: 30 }
    expect: { distribution: by-weight }
  - name: busy
    traffic: { requests: 300, connections: 4 }
    expect: { distribution: { shares: by-weight, tolerance: 10% }, errors: 0 }
  - name: drift
    traffic: { requests: 300, connections: 4 }
    expect: { errors: 0 }
`;

const load = (): Promise<Suite> => parseSuiteText(SUITE, '/suites/two.yaml', { lookupHost: async () => null });

function backend(name: string, received: number, total: number): BackendRow {
  return { name, received, answered: received, share: received / total, expectedShare: null, peakConcurrency: 1, p50Us: 100, p99Us: 200 };
}

function verdict(path: string, name: string, passed: boolean): VerdictRow {
  return { name, passed, expected: '', observed: '', explanation: '', numbers: {}, warnings: [], at: '/suites/two.yaml:9:15', path };
}

function phase(index: number, name: string, a: number, b: number, verdicts: VerdictRow[]): PhaseReport {
  return {
    index, name, skipped: null, requests: a + b, responses: a + b, errors: {}, statuses: { 200: a + b }, durationMs: 100, ratePerSec: 10,
    latency: { p50Us: 100, p90Us: 150, p99Us: 200, maxUs: 300, resolutionUs: 1 },
    backends: [backend('a', a, a + b), backend('b', b, a + b)], timeline: { intervalMs: 10, series: {} }, events: [], verdicts, notes: [],
  };
}

function report(target: string, phases: PhaseReport[], outcome: RunReport['outcome'] = 'passed', durationMs = 1234): RunReport {
  return {
    version: 1, tool: { name: 'lbtest', version: '0' }, suite: { name: 'two to one', file: '/suites/two.yaml', description: '' },
    target: { kind: target, url: null }, config: null, startedAt: '2026-01-01T00:00:00.000Z', durationMs, outcome, error: outcome === 'error' ? 'the nginx target died (1)\nmore' : null,
    phases, warnings: [],
  };
}

const phases = (busyA: number, driftA: number, errorsPass = true): PhaseReport[] => [
  phase(0, 'steady', 20, 10, [verdict('phases[0].expect.distribution', 'distribution', true)]),
  phase(1, 'busy', busyA, 300 - busyA, [verdict('phases[1].expect.distribution', 'distribution', true), verdict('phases[1].expect.errors', 'errors', errorsPass)]),
  phase(2, 'drift', driftA, 300 - driftA, [verdict('phases[2].expect.errors', 'errors', true)]),
];

t.test('the same on both targets: no divergence', async (t) => {
  const c = compareTargets(await load(), [report('bundled', phases(200, 150)), report('nginx', phases(200, 150))]);
  t.same(c.targets, ['bundled', 'nginx']);
  t.same(c.divergences, []);
  t.equal(renderTargetComparison(c), [
    '',
    '== differential run — bundled vs nginx: two to one (two.yaml)',
    '      phase     verdict / backend  bundled  nginx',
    '      1 steady  distribution       PASS     PASS',
    '                share of a         66.7%    66.7%',
    '                share of b         33.3%    33.3%',
    '      2 busy    distribution       PASS     PASS',
    '                errors             PASS     PASS',
    '                share of a         66.7%    66.7%',
    '                share of b         33.3%    33.3%',
    '      3 drift   errors             PASS     PASS',
    '                share of a         50.0%    50.0%',
    '                share of b         50.0%    50.0%',
    '   no divergence: every verdict the same, every share within its phase\'s tolerance',
    '',
  ].join('\n'));
});

t.test('a verdict that differs and shares beyond the tolerance are flagged', async (t) => {
  // busy: 11 points apart, beyond its 10%; drift: 6 points apart in a phase that states no distribution
  const c = compareTargets(await load(), [report('bundled', phases(200, 150)), report('nginx', phases(233, 168, false), 'failed')]);
  t.same(c.divergences.map((d) => `${d.kind} ${d.phase}: ${d.text}`), [
    'verdict 2 busy: errors: PASS on bundled, FAIL on nginx',
    'share 2 busy: share of a: 66.7% on bundled, 77.7% on nginx — 11.0 points apart, beyond the phase\'s tolerance (10.0 points)',
    'share 2 busy: share of b: 33.3% on bundled, 22.3% on nginx — 11.0 points apart, beyond the phase\'s tolerance (10.0 points)',
  ]);
  t.same(c.differences.map((d) => `${d.kind} ${d.phase}: ${d.text}`), [
    'difference 3 drift: share of a: 50.0% on bundled, 56.0% on nginx — 6.0 points apart, beyond the default tolerance (5.0 points)',
    'difference 3 drift: share of b: 50.0% on bundled, 44.0% on nginx — 6.0 points apart, beyond the default tolerance (5.0 points)',
  ]);
  const lines = renderTargetComparison(c).split('\n');
  t.ok(lines.includes('   ≠            errors             PASS     FAIL'), 'the verdict row is marked');
  t.ok(lines.includes('   ~            share of a         50.0%    56.0%'), 'a difference is marked apart');
  t.same(lines.slice(lines.indexOf('   3 divergences:')), [
    '   3 divergences:',
    '   ≠ phase 2 busy: errors: PASS on bundled, FAIL on nginx',
    '   ≠ phase 2 busy: share of a: 66.7% on bundled, 77.7% on nginx — 11.0 points apart, beyond the phase\'s tolerance (10.0 points)',
    '   ≠ phase 2 busy: share of b: 33.3% on bundled, 22.3% on nginx — 11.0 points apart, beyond the phase\'s tolerance (10.0 points)',
    '   2 differences in phases that state no distribution (not divergences):',
    '   ~ phase 3 drift: share of a: 50.0% on bundled, 56.0% on nginx — 6.0 points apart, beyond the default tolerance (5.0 points)',
    '   ~ phase 3 drift: share of b: 50.0% on bundled, 44.0% on nginx — 6.0 points apart, beyond the default tolerance (5.0 points)',
    '',
  ]);
});

t.test('an exact phase allows its slack only', async (t) => {
  const s = await load();
  t.same(phaseTolerance(s.phases[0], 30), { tolerance: 1 / 30, from: 'the phase\'s exact check (slack 1)', stated: true });
  t.same(phaseTolerance(s.phases[1], 300), { tolerance: 0.1, from: 'the phase\'s tolerance', stated: true });
  t.same(phaseTolerance(s.phases[2], 300), { tolerance: 0.05, from: 'the default tolerance', stated: false });
  const steady = (a: number): PhaseReport[] => [phase(0, 'steady', a, 30 - a, [verdict('phases[0].expect.distribution', 'distribution', true)]), ...phases(200, 150).slice(1)];
  t.same(compareTargets(s, [report('bundled', phases(200, 150)), report('nginx', steady(21))]).divergences, [], 'one request of 30 apart: within a slack of one');
  t.same(compareTargets(s, [report('bundled', phases(200, 150)), report('nginx', steady(22))]).divergences.map((d) => d.text), [
    'share of a: 66.7% on bundled, 73.3% on nginx — 6.7 points apart, beyond the phase\'s exact check (slack 1) (3.3 points)',
    'share of b: 33.3% on bundled, 26.7% on nginx — 6.7 points apart, beyond the phase\'s exact check (slack 1) (3.3 points)',
  ]);
});

t.test('a run that errs on one target; a target that skips the suite', async (t) => {
  const s = await load();
  const c = compareTargets(s, [report('bundled', phases(200, 150)), report('nginx', phases(200, 150).slice(0, 1), 'error')]);
  t.equal(c.divergences[0]!.text, 'the run passed on bundled, error on nginx (the nginx target died (1))');
  t.same(c.divergences.slice(1).map((d) => d.text), ['distribution: PASS on bundled, - on nginx', 'errors: PASS on bundled, - on nginx', 'errors: PASS on bundled, - on nginx']);
  const skipped = compareTargets(s, [report('bundled', phases(200, 150)), { ...report('nginx', [], 'skipped'), error: 'needs nginx 1.29' }]);
  t.same(skipped.skipped, ['nginx: needs nginx 1.29']);
  t.equal(renderTargetComparison(skipped), '\n== differential run — bundled: two to one (two.yaml)\n   skipped on nginx: needs nginx 1.29\n   only bundled ran it; nothing to compare\n');
});

t.test('the matrix of suites × targets', async (t) => {
  const other = (r: RunReport): RunReport => ({ ...r, suite: { ...r.suite, file: '/suites/all-down.yaml' } });
  const text = renderMatrix([
    report('bundled', [], 'passed', 1500), report('nginx', [], 'passed', 900),
    other(report('bundled', [], 'failed', 2000)), other({ ...report('nginx', [], 'skipped', 0), error: 'why' }),
  ]);
  t.equal(text, [
    '',
    '== suites × targets',
    '   suite          bundled     nginx',
    '   two.yaml       PASS 1.5 s  PASS 0.9 s',
    '   all-down.yaml  FAIL 2.0 s  skip',
    '   total          1/2 3.5 s   1/1 0.9 s',
    '',
  ].join('\n'));
});
