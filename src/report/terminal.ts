/**
 * The terminal report: per phase a table per backend (expected share, observed share, requests
 * received, answered, errors, peak concurrency, p50/p99 latency) and the verdicts, each with what
 * was expected, what was observed, the numbers it was decided on and, when it failed, why and
 * where it was written. Pure: (RunReport, options) -> string. Colour only when asked:
 * useColor() says when (a terminal, NO_COLOR unset or empty, or FORCE_COLOR).
 */
import Table from 'cli-table3';
import type { PhaseReport, RunReport } from '../runner/report-model.js';
import { verdictCounts } from '../runner/report-model.js';
import { cut, errorList, eventLabel, pct, perSec, phaseTitle, seconds, us, verdictNumbers } from './format.js';

export interface TerminalOptions {
  readonly color: boolean;
}

/** https://no-color.org: NO_COLOR set to anything but '' turns colour off; FORCE_COLOR (not '0') on. */
export function useColor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  const no = env['NO_COLOR'];
  if (no !== undefined && no !== '') return false;
  return isTTY;
}

const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33 } as const;

function paint(on: boolean, style: keyof typeof SGR, s: string): string {
  return on ? `\x1b[${SGR[style]}m${s}\x1b[0m` : s;
}

function phaseTable(p: PhaseReport, color: boolean): string {
  const table = new Table({
    head: ['backend', 'expected', 'observed', 'received', 'answered', 'errors', 'peak conc.', 'p50', 'p99'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const b of p.backends) {
    const errors = b.errors === undefined ? '-' : b.errors > 0 ? paint(color, 'red', String(b.errors)) : '0';
    table.push([b.name, pct(b.expectedShare), pct(b.share), b.received, b.answered, errors, b.peakConcurrency, us(b.p50Us), us(b.p99Us)]);
  }
  return table.toString();
}

function phaseLines(p: PhaseReport, c: boolean): string[] {
  if (p.skipped !== null) return [`${phaseTitle(p)} — skipped: ${p.skipped}`];
  const out: string[] = [];
  const errs = errorList(p);
  out.push(paint(c, 'bold', phaseTitle(p)) + `  ${p.requests} requests in ${seconds(p.durationMs)} (${perSec(p.ratePerSec)}), p50 ${us(p.latency.p50Us)}, p99 ${us(p.latency.p99Us)}${errs ? `, errors: ${errs}` : ''}`);
  if (p.events.length > 0) out.push(`  actions: ${p.events.map((e) => `${eventLabel(e)} at ${e.atMs} ms`).join(', ')}`);
  if (p.backends.length > 0) out.push(phaseTable(p, c));
  for (const v of p.verdicts) {
    const mark = v.passed ? paint(c, 'green', 'PASS') : paint(c, 'red', 'FAIL');
    out.push(`  ${mark} ${v.name}: expected ${cut(v.expected)}; observed ${cut(v.observed)}`);
    if (!v.passed || v.warnings.length > 0) out.push(`       ${v.explanation}${v.passed ? '' : `  (${v.at}, ${v.path})`}`);
    const numbers = verdictNumbers(v);
    if (numbers !== '') out.push(paint(c, 'dim', `       ${cut(numbers)}`));
    for (const w of v.warnings) out.push(`       note: ${w}`);
  }
  for (const n of p.notes) out.push(`  note: ${n}`);
  return out;
}

export function renderTerminal(r: RunReport, opts: TerminalOptions): string {
  const c = opts.color;
  const out: string[] = [];
  out.push(paint(c, 'bold', r.suite.name) + `  (${r.suite.file}, target ${r.target.kind}${r.target.url ? ` ${r.target.url}` : ''})`);
  for (const w of r.warnings) out.push(paint(c, 'yellow', `warning: ${w}`));
  for (const p of r.phases) {
    out.push('');
    out.push(...phaseLines(p, c));
  }
  out.push('');
  const { passed, failed } = verdictCounts(r);
  const outcome = r.outcome === 'passed' ? paint(c, 'green', 'PASSED') : r.outcome === 'skipped' ? paint(c, 'yellow', 'SKIPPED') : paint(c, 'red', r.outcome.toUpperCase());
  out.push(`${outcome}: ${passed} verdicts held, ${failed} failed (${(r.durationMs / 1000).toFixed(1)} s)`);
  if (r.error !== null) out.push(`${r.outcome === 'skipped' ? 'reason' : 'error'}: ${r.error}`);
  return out.join('\n') + '\n';
}
