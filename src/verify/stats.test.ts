/** lnΓ, the incomplete gamma, chi-square and percentiles against known values. */
import t from 'tap';
import { chiSquare, gammaQ, lnGamma, percentile } from './stats.js';

t.test('lnGamma (reference values: Python math.lgamma)', async (t) => {
  for (const [x, want] of [[1, 0], [2, 0], [0.5, 0.5723649429247001], [10, 12.801827480081469], [100.5, 361.4355404677776], [0.1, 2.252712651734206]] as const) {
    t.ok(Math.abs(lnGamma(x) - want) < 1e-12 * Math.max(1, Math.abs(want)), `lnΓ(${x}) = ${want}, got ${lnGamma(x)}`);
  }
});

t.test('gammaQ: closed forms and edges', async (t) => {
  for (const x of [0.01, 0.5, 1, 3, 10, 50]) t.ok(Math.abs(gammaQ(1, x) - Math.exp(-x)) < 1e-14, `Q(1, ${x}) = e^-${x}`);
  t.equal(gammaQ(2.5, 0), 1);
  t.equal(gammaQ(2.5, Infinity), 0);
  t.ok(Number.isNaN(gammaQ(0, 1)));
  t.ok(Number.isNaN(gammaQ(1, -1)));
});

// Critical values of chi-square (research §7, computed with SciPy): Q(df/2, x/2) = alpha.
const CRITICAL: readonly (readonly [df: number, x: number, alpha: number])[] = [
  [1, 6.635, 0.01], [1, 10.828, 0.001], [1, 15.137, 0.0001],
  [2, 9.21, 0.01], [2, 13.816, 0.001], [2, 18.421, 0.0001],
  [3, 11.345, 0.01], [3, 16.266, 0.001], [3, 21.108, 0.0001],
  [4, 13.277, 0.01], [4, 18.467, 0.001], [4, 23.513, 0.0001],
  [5, 15.086, 0.01], [5, 20.515, 0.001], [5, 25.745, 0.0001],
  [9, 21.666, 0.01], [9, 27.877, 0.001], [9, 33.72, 0.0001],
];

t.test('chi-square p-values at the critical values', async (t) => {
  for (const [df, x, alpha] of CRITICAL) {
    const p = gammaQ(df / 2, x / 2);
    t.ok(Math.abs(p - alpha) / alpha < 2e-3, `df ${df}, X² ${x}: p ${p} ≈ ${alpha}`);
  }
});

t.test('chi-square of counts against shares', async (t) => {
  t.match(chiSquare([50, 50], [1, 1]), { statistic: 0, df: 1, pValue: 1, minExpected: 50 });
  const big = chiSquare([377_500, 122_500], [3, 1]);   // research §7: 75.5/24.5 of 500 000 at 3:1
  t.ok(Math.abs(big.statistic - 66.67) < 0.01);
  t.ok(big.pValue < 1e-15 && big.pValue > 0);
  t.ok(Math.abs(big.effectW - 0.01155) < 1e-4);
  t.equal(chiSquare([10], [1]).pValue, 1, 'one cell: nothing to test');
});

t.test('nearest-rank percentiles', async (t) => {
  const xs = Float64Array.from({ length: 100 }, (_, i) => i + 1);
  t.same([50, 90, 99, 99.9, 100, 0.1].map((p) => percentile(xs, p)), [50, 90, 99, 100, 100, 1]);
  t.equal(percentile([7], 50), 7);
  t.ok(Number.isNaN(percentile([], 50)));
});
