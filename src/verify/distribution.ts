/**
 * How requests spread over backends, counted at the backends (every request that reached one,
 * retries included), against expected shares:
 *
 *   exact        sequential traffic: each count within `slack` requests of N · share
 *   statistical  concurrent traffic: each share within ±tolerance (is the skew small?) and a
 *                chi-square goodness-of-fit test over the backends expected to get requests (is
 *                it chance?): fails when p < alpha and the skew is not negligible (Cohen's w of
 *                NEGLIGIBLE_EFFECT_W or more: at benchmark volumes a harmless skew is significant)
 *
 * And the exact order of answers for sequential traffic (`sequence`), which may begin anywhere in
 * the pattern: a balancer's round-robin state carries over from the phase before.
 */
import type { DistributionCheck } from '../suite/model.js';
import { chiSquare } from './stats.js';
import { counts, pct, plural, points, pValue, verdict, type Verdict } from './verdict.js';

/** Below this effect size a statistically detectable skew is not a failure (Cohen's "small" is 0.1). */
export const NEGLIGIBLE_EFFECT_W = 0.05;
/** The chi-square approximation holds when every expected count is at least this. */
export const CHI_SQUARE_MIN_EXPECTED = 5;

export interface DistributionInput {
  /** Expected shares by backend (they need not sum to 1). */
  readonly shares: ReadonlyMap<string, number>;
  /** Where the shares come from, for the sentence: `weights a=5 b=1 c=1`. */
  readonly reason: string;
  /** Requests counted at each backend. */
  readonly observed: ReadonlyMap<string, number>;
  readonly check: DistributionCheck;
}

export function distributionVerdict(input: DistributionInput): Verdict {
  const sum = [...input.shares.values()].reduce((a, b) => a + b, 0);
  const names = [...new Set([...input.shares.keys(), ...input.observed.keys()])];
  const share = (n: string): number => (sum > 0 ? (input.shares.get(n) ?? 0) / sum : 0);
  const total = names.reduce((s, n) => s + (input.observed.get(n) ?? 0), 0);
  const expected = `${names.filter((n) => share(n) > 0).map((n) => `${n} ${pct(share(n))}`).join(', ')} (${input.reason})`;
  const observed = `${counts(input.observed, names)} of ${total}`;
  const numbers: Record<string, number> = { total };
  for (const n of names) { numbers[`observed.${n}`] = input.observed.get(n) ?? 0; numbers[`expected.${n}`] = share(n); }
  if (total === 0) return verdict({ name: 'distribution', passed: false, expected, observed, numbers, explanation: 'No request reached any backend, so there is no distribution to compare.' });
  return input.check.kind === 'exact'
    ? exact(names, share, input.observed, total, input.check.slack, { expected, observed, numbers })
    : statistical(names, share, input.observed, total, input.check, { expected, observed, numbers });
}

interface Said { expected: string; observed: string; numbers: Record<string, number> }

function exact(names: string[], share: (n: string) => number, obs: ReadonlyMap<string, number>, total: number, slack: number, said: Said): Verdict {
  const gaps = names.map((n) => ({ n, o: obs.get(n) ?? 0, e: total * share(n) })).map((x) => ({ ...x, gap: x.o - x.e }));
  const worst = gaps.reduce((a, b) => (worse(b.gap, share(b.n), a.gap, share(a.n)) ? b : a));
  said.numbers['largestGap'] = Math.abs(worst.gap);
  said.numbers['slack'] = slack;
  const expectedCounts = ` = ${gaps.map((g) => `${g.n}: ${round(g.e)}`).join(', ')} of ${total}`;
  const passed = Math.abs(worst.gap) <= slack;
  const explanation = passed
    ? `Every backend got its share of ${total} requests to within ${plural(slack, 'request')} (largest gap ${round(Math.abs(worst.gap))}, at ${worst.n}).`
    : `${worst.n} got ${worst.o} requests where its share gives ${round(worst.e)} of ${total}: ${round(Math.abs(worst.gap))} ${worst.gap > 0 ? 'too many' : 'too few'}, more than the ${slack} a sequential run allows.`;
  return verdict({ name: 'distribution', passed, ...said, expected: said.expected + expectedCounts, explanation });
}

function statistical(names: string[], share: (n: string) => number, obs: ReadonlyMap<string, number>, total: number, check: Extract<DistributionCheck, { kind: 'statistical' }>, said: Said): Verdict {
  const devs = names.map((n) => ({ n, p: (obs.get(n) ?? 0) / total, s: share(n) })).map((x) => ({ ...x, dev: x.p - x.s }));
  const worst = devs.reduce((a, b) => (worse(b.dev, b.s, a.dev, a.s) ? b : a));
  const cells = names.filter((n) => share(n) > 0);
  const chi = chiSquare(cells.map((n) => obs.get(n) ?? 0), cells.map(share));
  Object.assign(said.numbers, { largestDeviation: Math.abs(worst.dev), tolerance: check.tolerance, alpha: check.alpha, chiSquare: chi.statistic, df: chi.df, pValue: chi.pValue, effectW: chi.effectW });
  const warnings: string[] = [];
  const testable = chi.df > 0 && chi.minExpected >= CHI_SQUARE_MIN_EXPECTED && check.alpha > 0;
  if (chi.df > 0 && chi.minExpected < CHI_SQUARE_MIN_EXPECTED) warnings.push(`too few requests for a chi-square test (an expected count is ${chi.minExpected.toFixed(1)}, under ${CHI_SQUARE_MIN_EXPECTED}): only the tolerance was checked`);
  const withinTolerance = Math.abs(worst.dev) <= check.tolerance + 1e-12;
  const skewed = testable && chi.pValue < check.alpha && chi.effectW >= NEGLIGIBLE_EFFECT_W;
  if (testable && chi.pValue < check.alpha && !skewed) warnings.push(`the chi-square test detects a skew (p = ${pValue(chi.pValue)}), too small to matter (w = ${chi.effectW.toFixed(3)})`);
  const test = testable ? `chi-square ${chi.statistic.toFixed(1)}, df ${chi.df}, p = ${pValue(chi.pValue)}` : '';
  const off = `${worst.n} got ${pct(worst.p)} of ${total} requests where its share is ${pct(worst.s)}`;
  let explanation: string;
  if (!withinTolerance) explanation = `${off}: ${points(worst.dev)} off, more than the ${points(check.tolerance)} allowed.`;
  else if (skewed) explanation = `Every share is within ${points(check.tolerance)}, but the counts are too uneven to be chance (${test} < alpha ${check.alpha}): ${worst.n} is ${points(worst.dev)} ${worst.dev > 0 ? 'over' : 'under'} its share.`;
  else explanation = `Every backend's share of ${total} requests is within ${points(check.tolerance)} of its expected share (largest gap ${points(worst.dev)}, at ${worst.n})${testable ? `, and the chi-square test finds nothing beyond chance (p = ${pValue(chi.pValue)})` : ''}.`;
  const observed = `${said.observed} (${names.map((n) => pct((obs.get(n) ?? 0) / total)).join(', ')})${test ? `; ${test}` : ''}`;
  return verdict({ name: 'distribution', passed: withinTolerance && !skewed, ...said, observed, expected: `${said.expected} ±${pct(check.tolerance)}`, explanation, warnings });
}

/** The larger gap; on a tie, the backend that should get nothing (the more telling fact). */
function worse(gap: number, share: number, thanGap: number, thanShare: number): boolean {
  return Math.abs(gap) > Math.abs(thanGap) + 1e-12 || (gap !== 0 && Math.abs(gap) >= Math.abs(thanGap) - 1e-12 && share === 0 && thanShare > 0);
}

function round(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/**
 * The answers in order against `pattern` repeated, starting at whichever position of the pattern
 * matches longest. `answered[i]` is '' for a request without an answer.
 */
export function sequenceVerdict(pattern: readonly string[], answered: readonly string[]): Verdict {
  const expected = `${pattern.join(' ')} …`;
  let best = { start: 0, run: -1 };
  for (let start = 0; start < pattern.length; start++) {
    let run = 0;
    while (run < answered.length && answered[run] === pattern[(start + run) % pattern.length]) run++;
    if (run > best.run) best = { start, run };
  }
  const shown = answered.slice(0, Math.min(answered.length, Math.max(pattern.length * 2, best.run + 3))).map((a) => a || '-').join(' ');
  const observed = `${shown}${answered.length > pattern.length * 2 ? ' …' : ''} (${answered.length} requests)`;
  const numbers = { requests: answered.length, matched: best.run, offset: best.start };
  if (answered.length === 0) return verdict({ name: 'sequence', passed: false, expected, observed, numbers, explanation: 'No request was answered, so there is no sequence to compare.' });
  const from = best.start === 0 ? '' : ` (starting at position ${best.start + 1} of the pattern)`;
  if (best.run === answered.length) {
    return verdict({ name: 'sequence', passed: true, expected, observed, numbers, explanation: `All ${answered.length} requests were answered in the order ${pattern.join(' ')}${from}.` });
  }
  const i = best.run;
  const want = pattern[(best.start + i) % pattern.length]!;
  return verdict({
    name: 'sequence', passed: false, expected, observed, numbers,
    explanation: `Request ${i + 1} was answered by ${answered[i] || 'nobody (an error)'} where the order ${pattern.join(' ')}${from} gives ${want}; the first ${plural(i, 'request')} matched.`,
  });
}
