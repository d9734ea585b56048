/**
 * The statistics verdicts need, written out (no dependency: ~80 lines against a library whose
 * other 99% lbtest would not use):
 *
 *   lnΓ(x)      Lanczos approximation, g = 7, n = 9 (Numerical Recipes 3rd ed. §6.1; |ε| < 1e-15)
 *   Q(a, x)     upper regularized incomplete gamma Γ(a, x)/Γ(a):
 *               x < a + 1: 1 − P(a, x), P by its series  e^(−x) x^a / Γ(a) · Σ x^n / (a(a+1)…(a+n))
 *               otherwise: the continued fraction of Γ(a, x) by modified Lentz (NR §6.2)
 *   chi-square  X² = Σ (Oᵢ − Eᵢ)² / Eᵢ,  df = k − 1 (shares given, not estimated),  p = Q(df/2, X²/2)
 *   effect w    √(X² / N), Cohen's effect size: how large a skew is, whatever N
 *   percentile  nearest rank: the ⌈p/100 · n⌉-th smallest value
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);   // reflection
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-15;
const MAX_ITERATIONS = 10_000;
const TINY = 1e-300;

export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || x < 0 || Number.isNaN(x)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - seriesP(a, x) : fractionQ(a, x);
}

function seriesP(a: number, x: number): number {
  let term = 1 / a, sum = term;
  for (let n = 1; n < MAX_ITERATIONS && Math.abs(term) > Math.abs(sum) * EPS; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
}

function fractionQ(a: number, x: number): number {
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b; if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c; if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

export interface ChiSquare {
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  /** The smallest expected count: the test is trusted when it is 5 or more. */
  readonly minExpected: number;
  readonly effectW: number;
}

/** Goodness of fit of counts to shares (which need not sum to 1: they are normalized). */
export function chiSquare(observed: readonly number[], shares: readonly number[]): ChiSquare {
  const n = observed.reduce((s, x) => s + x, 0);
  const total = shares.reduce((s, x) => s + x, 0);
  let statistic = 0, minExpected = Infinity;
  observed.forEach((o, i) => {
    const e = (n * shares[i]!) / total;
    minExpected = Math.min(minExpected, e);
    statistic += e > 0 ? ((o - e) ** 2) / e : 0;
  });
  const df = observed.length - 1;
  return { statistic, df, pValue: df > 0 ? gammaQ(df / 2, statistic / 2) : 1, minExpected, effectW: n > 0 ? Math.sqrt(statistic / n) : 0 };
}

/** Nearest-rank percentile of ascending values; p in (0, 100]. NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
