/**
 * Differential runs: one suite's reports from several targets (bundled, nginx, a URL) side by
 * side, phase by phase — each verdict's outcome per target and each backend's observed share per
 * target — with every divergence flagged against the first target:
 *
 *   verdict   passed on one target, failed (or missing) on another
 *   share     |share(t) − share(first)| > the phase's tolerance: that of its distribution
 *             expectation (check: tolerance), or slack / requests for an exact check
 *   outcome   the run passed on one target and did not run to the end (error, interrupted) on
 *             another; a target the suite skips is shown, not flagged
 *
 * A phase that states no distribution promises no shares: the moment a revived server comes back
 * or the ring a consistent hash builds from this run's ports changes them from run to run. Its
 * shares are still shown, and those further apart than SUITE_DEFAULTS.tolerance are listed as
 * differences (~), apart from the divergences (≠).
 *
 * Also the matrix of suites × targets with outcomes and run times. Pure: reports in, text out.
 */
import { basename } from 'node:path';
import { SUITE_DEFAULTS } from '../suite/defaults.js';
import type { Phase, Suite } from '../suite/model.js';
import type { PhaseReport, RunReport } from './report-model.js';

export interface Divergence {
  readonly phase: string;
  /** `difference`: shares apart in a phase that states no distribution (shown, not a divergence). */
  readonly kind: 'verdict' | 'share' | 'outcome' | 'difference';
  /** One sentence: what differs, on which targets, by how much. */
  readonly text: string;
}

/** One line of the side-by-side table: a verdict or a backend's share, a cell per target. */
export interface CompareRow {
  readonly phase: string;
  readonly label: string;
  readonly cells: readonly string[];
  readonly mark: '≠' | '~' | ' ';
}

export interface TargetComparison {
  readonly suite: string;
  readonly file: string;
  readonly targets: readonly string[];
  readonly rows: readonly CompareRow[];
  readonly divergences: readonly Divergence[];
  /** Shares apart in phases that state no distribution. */
  readonly differences: readonly Divergence[];
  /** Targets that did not run the suite, with the reason. */
  readonly skipped: readonly string[];
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const points = (x: number): string => `${(x * 100).toFixed(1)} points`;

/**
 * The share tolerance of a phase, as a fraction (0.05 = 5 points), and where it comes from;
 * `stated`: false when the phase states no distribution (the default tolerance then).
 */
export function phaseTolerance(phase: Phase | undefined, requests: number): { tolerance: number; from: string; stated: boolean } {
  const d = phase?.expect.find((e) => e.kind === 'distribution');
  if (d === undefined || d.kind !== 'distribution') return { tolerance: SUITE_DEFAULTS.tolerance, from: 'the default tolerance', stated: false };
  if (d.check.kind === 'statistical') return { tolerance: d.check.tolerance, from: "the phase's tolerance", stated: true };
  return { tolerance: requests > 0 ? d.check.slack / requests : 0, from: `the phase's exact check (slack ${d.check.slack})`, stated: true };
}

function targetName(r: RunReport): string {
  return r.target.kind === 'url' ? r.target.url ?? 'url' : r.target.kind;
}

function verdictCell(p: PhaseReport | undefined, key: string): string {
  if (p === undefined) return '-';
  if (p.skipped !== null) return 'skipped';
  const v = p.verdicts.find((x) => `${x.path} ${x.name}` === key);
  return v === undefined ? '-' : v.passed ? 'PASS' : 'FAIL';
}

/** `reports`: one suite's runs, one per target, in the order the targets were given. */
export function compareTargets(suite: Suite, reports: readonly RunReport[]): TargetComparison {
  const ran = reports.filter((r) => r.outcome !== 'skipped');
  const skipped = reports.filter((r) => r.outcome === 'skipped').map((r) => `${targetName(r)}: ${r.error ?? 'skipped'}`);
  const targets = ran.map(targetName);
  const rows: CompareRow[] = [];
  const divergences: Divergence[] = [];
  const differences: Divergence[] = [];
  const outcomes = new Set(ran.map((r) => r.outcome === 'failed' ? 'passed' : r.outcome));
  if (outcomes.size > 1) {
    divergences.push({ phase: '-', kind: 'outcome', text: `the run ${ran.map((r) => `${r.outcome} on ${targetName(r)}${r.error ? ` (${r.error.split('\n')[0]})` : ''}`).join(', ')}` });
  }
  for (const phase of suite.phases) {
    const per = ran.map((r) => r.phases.find((p) => p.index === phase.index));
    const title = `${phase.index + 1} ${phase.name}`;
    const keys = [...new Set(per.flatMap((p) => p?.verdicts.map((v) => `${v.path} ${v.name}`) ?? []))];
    for (const key of keys) {
      const cells = per.map((p) => verdictCell(p, key));
      const run = cells.filter((c) => c === 'PASS' || c === 'FAIL');
      const diverges = new Set(run).size > 1 || (run.length > 0 && run.length < cells.filter((c) => c !== 'skipped').length);
      const label = key.slice(key.indexOf(' ') + 1);
      rows.push({ phase: title, label, cells, mark: diverges ? '≠' : ' ' });
      if (diverges) divergences.push({ phase: title, kind: 'verdict', text: `${label}: ${targets.map((t, i) => `${cells[i]} on ${t}`).join(', ')}` });
    }
    rows.push(...shareRows(phase, per, title, targets, { divergences, differences }));
  }
  return { suite: suite.name, file: suite.file, targets, rows, divergences, differences, skipped };
}

function shareRows(phase: Phase, per: readonly (PhaseReport | undefined)[], title: string, targets: readonly string[], out: { divergences: Divergence[]; differences: Divergence[] }): CompareRow[] {
  const ranPhases = per.filter((p): p is PhaseReport => p !== undefined && p.skipped === null);
  if (ranPhases.length < 2 || ranPhases.every((p) => p.backends.every((b) => b.received === 0))) return [];
  const requests = Math.min(...ranPhases.map((p) => p.backends.reduce((s, b) => s + b.received, 0)));
  const { tolerance, from, stated } = phaseTolerance(phase, requests);
  const names = [...new Set(ranPhases.flatMap((p) => p.backends.map((b) => b.name)))];
  const rows: CompareRow[] = [];
  for (const name of names) {
    const shares = per.map((p) => (p === undefined || p.skipped !== null ? null : p.backends.find((b) => b.name === name)?.share ?? 0));
    const ref = shares.find((s): s is number => s !== null)!;
    const worst = Math.max(...shares.map((s) => (s === null ? 0 : Math.abs(s - ref))));
    const apart = worst > tolerance + 1e-9;
    const mark = !apart ? ' ' : stated ? '≠' : '~';
    rows.push({ phase: title, label: `share of ${name}`, cells: shares.map((s) => (s === null ? '-' : pct(s))), mark });
    if (apart) {
      (stated ? out.divergences : out.differences).push({
        phase: title, kind: stated ? 'share' : 'difference',
        text: `share of ${name}: ${targets.map((t, i) => `${shares[i] === null ? '-' : pct(shares[i]!)} on ${t}`).join(', ')} — ${points(worst)} apart, beyond ${from} (${points(tolerance)})`,
      });
    }
  }
  return rows;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function table(head: readonly string[], lines: readonly (readonly string[])[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('  ').trimEnd();
  return [row(head), ...lines.map(row)];
}

export function renderTargetComparison(c: TargetComparison): string {
  const out: string[] = [];
  const title = `${c.targets.join(' vs ')}: ${c.suite} (${basename(c.file)})`;
  out.push('', `== differential run — ${title}`);
  for (const s of c.skipped) out.push(`   skipped on ${s}`);
  if (c.targets.length < 2) {
    out.push(`   only ${c.targets[0] ?? 'no target'} ran it; nothing to compare`, '');
    return out.join('\n');
  }
  const lines: string[][] = [];
  let last = '';
  for (const r of c.rows) {
    lines.push([r.mark, r.phase === last ? '' : r.phase, r.label, ...r.cells]);
    last = r.phase;
  }
  out.push(...table([' ', 'phase', 'verdict / backend', ...c.targets], lines).map((l) => `   ${l}`.trimEnd()));
  if (c.divergences.length === 0) out.push(`   no divergence: every verdict the same, every share within its phase's tolerance`);
  else {
    out.push(`   ${c.divergences.length} divergence${c.divergences.length === 1 ? '' : 's'}:`);
    for (const d of c.divergences) out.push(`   ≠ ${d.phase === '-' ? '' : `phase ${d.phase}: `}${d.text}`);
  }
  if (c.differences.length > 0) {
    out.push(`   ${c.differences.length} difference${c.differences.length === 1 ? '' : 's'} in phases that state no distribution (not divergences):`);
    for (const d of c.differences) out.push(`   ~ phase ${d.phase}: ${d.text}`);
  }
  out.push('');
  return out.join('\n');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const OUTCOME_WORD: Readonly<Record<RunReport['outcome'], string>> = {
  passed: 'PASS', failed: 'FAIL', skipped: 'skip', interrupted: 'stopped', error: 'ERROR',
};

/** Suites × targets: each run's outcome and time; then the totals per target. */
export function renderMatrix(reports: readonly RunReport[]): string {
  const targets = [...new Set(reports.map(targetName))];
  const suites = [...new Set(reports.map((r) => r.suite.file))];
  const lines: string[][] = [];
  for (const file of suites) {
    const cells = targets.map((t) => {
      const r = reports.find((x) => x.suite.file === file && targetName(x) === t);
      return r === undefined ? '-' : r.outcome === 'skipped' ? 'skip' : `${OUTCOME_WORD[r.outcome]} ${seconds(r.durationMs)}`;
    });
    lines.push([basename(file), ...cells]);
  }
  const totals = targets.map((t) => {
    const rs = reports.filter((r) => targetName(r) === t);
    const passed = rs.filter((r) => r.outcome === 'passed').length;
    const ran = rs.filter((r) => r.outcome !== 'skipped').length;
    return `${passed}/${ran} ${seconds(rs.reduce((s, r) => s + r.durationMs, 0))}`;
  });
  lines.push(['total', ...totals]);
  return ['', '== suites × targets', ...table(['suite', ...targets], lines).map((l) => `   ${l}`), ''].join('\n');
}
