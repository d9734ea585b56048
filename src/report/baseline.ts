/**
 * A run against a saved one (`lbtest run --baseline FILE --threshold 10%`): per phase, by name,
 * throughput (req/s, more is better) and p50/p99 latency (less is better). A measure regressed
 * when it is worse than the baseline's by more than the threshold, as a fraction of the
 * baseline's value: change = (base − now) / base for throughput, (now − base) / base for latency.
 * Phases that did not run on either side are left out and said so. Pure.
 */
import Table from 'cli-table3';
import type { RunReport } from '../runner/report-model.js';
import { perSec, runId, us } from './format.js';

export type Metric = 'req/s' | 'p50' | 'p99';

export interface MetricRow {
  readonly phase: string;
  readonly metric: Metric;
  readonly baseline: number;
  readonly current: number;
  /** Signed fraction of the baseline's value; positive is worse. */
  readonly change: number;
  readonly regressed: boolean;
}

export interface Comparison {
  /** The run's id (`weighted.bundled`). */
  readonly id: string;
  readonly baselineFile: string;
  readonly threshold: number;
  readonly rows: readonly MetricRow[];
  readonly notes: readonly string[];
}

/** `10%` or `10` (percent) -> 0.1; null when it is not a percentage from 0 up. */
export function parseThreshold(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  return m === null ? null : Number(m[1]) / 100;
}

/** The saved run to compare a run with: the same suite on the same target, else the same suite. */
export function pickBaseline<T extends { readonly report: RunReport }>(current: RunReport, saved: readonly T[]): T | null {
  const same = saved.filter((s) => s.report.suite.name === current.suite.name);
  return same.find((s) => s.report.target.kind === current.target.kind) ?? same[0] ?? null;
}

export function compareRuns(current: RunReport, baseline: RunReport, threshold: number, baselineFile: string): Comparison {
  const rows: MetricRow[] = [];
  const notes: string[] = [];
  if (baseline.target.kind !== current.target.kind) notes.push(`the baseline ran against ${baseline.target.kind}, this run against ${current.target.kind}`);
  const ran = (r: RunReport): Map<string, RunReport['phases'][number]> => new Map(r.phases.filter((p) => p.skipped === null && p.requests > 0).map((p) => [p.name, p]));
  const before = ran(baseline);
  const now = ran(current);
  for (const [name, p] of now) {
    const b = before.get(name);
    const phase = `phase ${p.index + 1} "${name}"`;
    if (b === undefined) { notes.push(`${phase} did not run in the baseline`); continue; }
    const add = (metric: Metric, base: number | null, cur: number | null, moreIsBetter: boolean): void => {
      if (base === null || cur === null || base <= 0) return;
      const change = moreIsBetter ? (base - cur) / base : (cur - base) / base;
      rows.push({ phase, metric, baseline: base, current: cur, change, regressed: change > threshold });
    };
    add('req/s', b.ratePerSec, p.ratePerSec, true);
    add('p50', b.latency.p50Us, p.latency.p50Us, false);
    add('p99', b.latency.p99Us, p.latency.p99Us, false);
  }
  for (const name of before.keys()) if (!now.has(name)) notes.push(`phase "${name}" of the baseline did not run this time`);
  return { id: runId(current), baselineFile, threshold, rows, notes };
}

export const regressions = (c: Comparison): number => c.rows.filter((r) => r.regressed).length;

const value = (row: MetricRow, x: number): string => (row.metric === 'req/s' ? perSec(x) : us(x));

/** `+15.0% worse`, `-3.2% better`: the change in the metric's own direction. */
export function changeText(row: MetricRow): string {
  const raw = row.metric === 'req/s' ? -row.change : row.change;
  const sign = raw > 0 ? '+' : raw < 0 ? '−' : '±';
  return `${sign}${Math.abs(raw * 100).toFixed(1)}% ${row.change > 0 ? 'worse' : row.change < 0 ? 'better' : 'same'}`;
}

/** `phase 1 "steady" p99: 8.26 ms -> 9.50 ms (+15.0% worse; threshold 10%)`. */
export function comparisonLine(row: MetricRow, threshold: number): string {
  return `${row.phase} ${row.metric}: ${value(row, row.baseline)} -> ${value(row, row.current)} (${changeText(row)}; threshold ${Math.round(threshold * 1000) / 10}%)`;
}

export function renderComparison(c: Comparison, color: boolean): string {
  const red = (s: string): string => (color ? `\x1b[31m${s}\x1b[0m` : s);
  const table = new Table({ head: ['phase', 'measure', 'baseline', 'now', 'change', ''], style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] } });
  for (const row of c.rows) {
    table.push([row.phase, row.metric, value(row, row.baseline), value(row, row.current), changeText(row), row.regressed ? red('REGRESSED') : 'ok']);
  }
  const n = regressions(c);
  const pctText = `${Math.round(c.threshold * 1000) / 10}%`;
  return [
    `baseline ${c.baselineFile} (${c.id}), threshold ${pctText}`,
    ...(c.rows.length > 0 ? [table.toString()] : []),
    ...c.notes.map((n) => `  note: ${n}`),
    n > 0 ? red(`REGRESSION: ${n} of ${c.rows.length} measures worse than the baseline by more than ${pctText}`)
      : `no regression: ${c.rows.length} measures within ${pctText} of the baseline`,
  ].join('\n') + '\n';
}
