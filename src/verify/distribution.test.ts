/**
 * Distribution and sequence verdicts, table-driven: what passes, what fails, and that the
 * explanation of a failure says what went wrong in a sentence.
 */
import t from 'tap';
import type { DistributionCheck, UpstreamView } from '../suite/model.js';
import { distributionVerdict, sequenceVerdict } from './distribution.js';
import { sharesByWeight, smoothRoundRobin } from './shares.js';

const EXACT: DistributionCheck = { kind: 'exact', slack: 1 };
const TOL: DistributionCheck = { kind: 'statistical', tolerance: 0.05, alpha: 0.001 };
const m = (o: Record<string, number>): Map<string, number> => new Map(Object.entries(o));

const CASES: { name: string; shares: Record<string, number>; observed: Record<string, number>; check: DistributionCheck; passed: boolean; explanation: RegExp; warning?: RegExp }[] = [
  { name: 'exact 5:1:1 of 700', shares: { a: 5, b: 1, c: 1 }, observed: { a: 500, b: 100, c: 100 }, check: EXACT, passed: true,
    explanation: /^Every backend got its share of 700 requests to within 1 request \(largest gap 0, at a\)\.$/ },
  { name: 'exact, one over by one: allowed', shares: { a: 1, b: 1 }, observed: { a: 6, b: 5 }, check: EXACT, passed: true, explanation: /within 1 request/ },
  { name: 'exact, b over by 40', shares: { a: 5, b: 1, c: 1 }, observed: { a: 460, b: 140, c: 100 }, check: EXACT, passed: false,
    explanation: /^a got 460 requests where its share gives 500 of 700: 40 too few, more than the 1 a sequential run allows\.$/ },
  { name: 'exact, a backup that got requests', shares: { a: 1, b: 1, spare: 0 }, observed: { a: 50, b: 47, spare: 3 }, check: EXACT, passed: false,
    explanation: /^spare got 3 requests where its share gives 0 of 100: 3 too many/ },
  { name: 'tolerance: even thirds', shares: { a: 1, b: 1, c: 1 }, observed: { a: 340, b: 330, c: 330 }, check: TOL, passed: true,
    explanation: /within 5\.0 points .* and the chi-square test finds nothing beyond chance \(p = 0\.\d\d\)\.$/ },
  { name: 'tolerance: 60/40 where 50/50 is expected', shares: { a: 1, b: 1 }, observed: { a: 600, b: 400 }, check: TOL, passed: false,
    explanation: /^a got 60% of 1000 requests where its share is 50%: 10\.0 points off, more than the 5\.0 points allowed\.$/ },
  { name: 'within tolerance but no chance: 53/47 of 10 000', shares: { a: 1, b: 1 }, observed: { a: 5300, b: 4700 }, check: TOL, passed: false,
    explanation: /^Every share is within 5\.0 points, but the counts are too uneven to be chance \(chi-square 36\.0, df 1, p = .* < alpha 0\.001\): a is 3\.0 points over its share\.$/ },
  { name: 'benchmark volume: a significant but negligible skew passes, with a warning', shares: { a: 3, b: 1 }, observed: { a: 377_500, b: 122_500 }, check: TOL, passed: true,
    explanation: /within 5\.0 points/, warning: /too small to matter/ },
  { name: 'too few requests for chi-square: tolerance only, said so', shares: { a: 1, b: 1, c: 1 }, observed: { a: 3, b: 3, c: 3 }, check: TOL, passed: true,
    explanation: /within 5\.0 points/, warning: /too few requests for a chi-square test/ },
  { name: 'alpha 0: tolerance only', shares: { a: 1, b: 1 }, observed: { a: 5300, b: 4700 }, check: { kind: 'statistical', tolerance: 0.05, alpha: 0 }, passed: true, explanation: /within 5\.0 points/ },
  { name: 'nothing reached a backend', shares: { a: 1 }, observed: {}, check: TOL, passed: false, explanation: /^No request reached any backend/ },
  { name: 'a backend nobody expected', shares: { a: 1 }, observed: { a: 90, z: 10 }, check: TOL, passed: false, explanation: /^z got 10% of 100 requests where its share is 0%/ },
];

for (const c of CASES) {
  t.test(c.name, async (t) => {
    const v = distributionVerdict({ shares: m(c.shares), reason: 'test', observed: m(c.observed), check: c.check });
    t.equal(v.passed, c.passed, v.explanation);
    t.match(v.explanation, c.explanation);
    if (c.warning) t.match(v.warnings.join('\n'), c.warning);
    t.equal(v.name, 'distribution');
    t.ok(v.expected.length > 0 && v.observed.length > 0);
  });
}

t.test('the figures behind a statistical verdict', async (t) => {
  const v = distributionVerdict({ shares: m({ a: 1, b: 1 }), reason: 'weights a=1 b=1', observed: m({ a: 5300, b: 4700 }), check: TOL });
  t.match(v.numbers, { total: 10_000, 'observed.a': 5300, 'expected.a': 0.5, chiSquare: 36, df: 1, tolerance: 0.05, alpha: 0.001 });
  t.ok(v.numbers['pValue']! < 1e-8);
  t.equal(v.expected, 'a 50%, b 50% (weights a=1 b=1) ±5%');
  t.match(v.observed, /^a: 5300, b: 4700 of 10000 \(53%, 47%\); chi-square 36\.0, df 1, p = /);
});

const view = (servers: Partial<UpstreamView['servers'][number]>[]): UpstreamView => ({
  name: 'app', method: 'round_robin',
  servers: servers.map((s, i) => ({ backend: `s${i}`, address: `127.0.0.1:${8000 + i}`, weight: 1, down: false, backup: false, maxFails: 1, failTimeoutMs: 10_000, maxConns: 0, ...s })),
});

t.test('by weight: weights, down, backups, gone, several lines for one backend', async (t) => {
  const u = view([{ backend: 'a', weight: 5 }, { backend: 'b' }, { backend: 'c' }, { backend: 'd', down: true }, { backend: 'spare', backup: true }]);
  const w = sharesByWeight(u, []);
  t.same([...w.shares], [['a', 5 / 7], ['b', 1 / 7], ['c', 1 / 7], ['d', 0], ['spare', 0]]);
  t.equal(w.reason, 'weights a=5 b=1 c=1; spare is a backup (idle while a primary lives); d is marked down');
  t.same([...sharesByWeight(u, ['a']).shares].filter(([, s]) => s > 0), [['b', 0.5], ['c', 0.5]]);
  const failover = sharesByWeight(u, ['a', 'b', 'c']);
  t.same([...failover.shares].filter(([, s]) => s > 0), [['spare', 1]]);
  t.match(failover.reason, /every primary is down or gone, so the backup spare takes over; d is marked down; a, b, c are dead/);
  t.same([...sharesByWeight(view([{ backend: 'a' }, { backend: 'a', weight: 2 }, { backend: null }]), []).shares], [['a', 0.75], ['127.0.0.1:8002', 0.25]]);
});

t.test('smooth weighted round robin: nginx\'s sequences', async (t) => {
  t.equal(smoothRoundRobin([['a', 5], ['b', 1], ['c', 1]], 14).join(''), 'aabacaaaabacaa');
  t.equal(smoothRoundRobin([['a', 1], ['b', 1]], 4).join(''), 'abab');
  t.equal(smoothRoundRobin([['a', 3], ['b', 2]], 5).join(''), 'ababa');
});

const SEQ: { name: string; pattern: string; answered: string; passed: boolean; explanation: RegExp }[] = [
  { name: 'the pattern, twice and a bit', pattern: 'a a b a c a a', answered: 'aabacaaaabacaaa', passed: true, explanation: /^All 15 requests were answered in the order a a b a c a a\.$/ },
  { name: 'begun mid-cycle (state from the phase before)', pattern: 'a a b a c a a', answered: 'acaaaabac', passed: true, explanation: /starting at position 4 of the pattern/ },
  { name: 'a wrong answer', pattern: 'a a b a c a a', answered: 'aabcca', passed: false,
    explanation: /^Request 4 was answered by c where the order a a b a c a a gives a; the first 3 requests matched\.$/ },
  { name: 'an error in the middle', pattern: 'a b', answered: 'ab-b', passed: false, explanation: /^Request 3 was answered by nobody \(an error\) where the order a b gives a/ },
  { name: 'nothing answered', pattern: 'a b', answered: '', passed: false, explanation: /^No request was answered/ },
];

for (const c of SEQ) {
  t.test(`sequence: ${c.name}`, async (t) => {
    const answered = [...c.answered].map((x) => (x === '-' ? '' : x));
    const v = sequenceVerdict(c.pattern.split(' '), answered);
    t.equal(v.passed, c.passed, v.explanation);
    t.match(v.explanation, c.explanation);
  });
}
