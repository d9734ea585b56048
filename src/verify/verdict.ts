/**
 * A verdict: what a suite expected, what the run showed, whether that holds, and one sentence a
 * person understands at once. Verdict functions are pure — observations in, Verdict out — and
 * never throw for a failing balancer: a failure is a verdict like any other.
 */
import type { Comparison } from '../suite/model.js';

export interface Verdict {
  /** What is checked: `distribution`, `ejection of c`, `p99 latency`. */
  readonly name: string;
  readonly passed: boolean;
  readonly expected: string;
  readonly observed: string;
  readonly explanation: string;
  /** The figures behind it, for JSON reports: `total`, `pValue`, `observed.a` … */
  readonly numbers: Readonly<Record<string, number>>;
  /** Said but not failing: a chi-square test too weak to run, a latency measured in ms … */
  readonly warnings: readonly string[];
}

export function verdict(v: Omit<Verdict, 'warnings'> & { warnings?: readonly string[] }): Verdict {
  return { ...v, warnings: v.warnings ?? [] };
}

export function holds(c: Pick<Comparison, 'op' | 'value'>, x: number): boolean {
  switch (c.op) {
    case '<': return x < c.value;
    case '<=': return x <= c.value;
    case '>': return x > c.value;
    case '>=': return x >= c.value;
    case '==': return x === c.value;
  }
}

/** `at most`, `fewer than` … for sentences. */
export function opWords(op: Comparison['op']): string {
  return { '<': 'under', '<=': 'at most', '>': 'over', '>=': 'at least', '==': 'exactly' }[op];
}

/** 0.1432 -> `14.3%`, 0.05 -> `5%`, 0.0025 -> `0.25%`. */
export function pct(share: number): string {
  if (!Number.isFinite(share)) return '-';
  const p = share * 100;
  const text = p.toFixed(Math.abs(p) >= 1 || p === 0 ? 1 : 2);
  return `${text.includes('.') ? text.replace(/\.?0+$/, '') : text}%`;
}

/** Points of percentage: 0.12 -> `12.0 points`. */
export function points(diff: number): string {
  return `${(Math.abs(diff) * 100).toFixed(1)} points`;
}

/** µs -> `850µs`, `2.05ms`, `12.3ms`, `150ms`, `1.20s`. */
export function us(value: number): string {
  if (value < 1000) return `${Math.round(value)}µs`;
  if (value < 1_000_000) return `${trim((value / 1000).toFixed(value < 10_000 ? 2 : value < 100_000 ? 1 : 0))}ms`;
  return `${(value / 1_000_000).toFixed(2)}s`;
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

export function ms(value: number): string {
  return us(value * 1000);
}

/** `a: 15, b: 15`, as nginx-tests writes counts. */
export function counts(map: ReadonlyMap<string, number>, order?: readonly string[]): string {
  const names = order ?? [...map.keys()];
  const seen = new Set(names);
  const all = [...names, ...[...map.keys()].filter((n) => !seen.has(n))];
  return all.map((n) => `${n || '(none)'}: ${map.get(n) ?? 0}`).join(', ') || 'none';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A p-value as people read it: `0.41`, `0.0032`, `3.1e-9`. */
export function pValue(p: number): string {
  if (p >= 0.01) return p.toFixed(2);
  if (p >= 0.0001) return p.toFixed(4);
  return p.toExponential(1);
}
