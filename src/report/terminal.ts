/**
 * The terminal report: per phase a table per backend (expected share, observed share, requests,
 * answers, peak concurrency, p50/p99 latency) and the verdicts, each with what was expected, what
 * was observed and why it passed or failed. Pure: (RunReport, options) -> string. Colour only
 * when asked (a terminal without NO_COLOR).
 */
import Table from 'cli-table3';
import type { PhaseReport, RunReport } from '../runner/report-model.js';
import { verdictCounts } from '../runner/report-model.js';

export interface TerminalOptions {
  readonly color: boolean;
}

/** Long observations (a 700-request sequence) are cut for the terminal; the JSON keeps them whole. */
const cut = (s: string, max = 160): string => (s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`);
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const us = (x: number | null): string => (x === null ? '-' : x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${Math.round(x)} µs`);

function paint(on: boolean, code: number, s: string): string {
  return on ? `\x1b[${code}m${s}\x1b[0m` : s;
}

function phaseTable(p: PhaseReport, color: boolean): string {
  const table = new Table({
    head: ['backend', 'expected', 'observed', 'received', 'answered', 'peak conc.', 'p50', 'p99'],
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [] },
  });
  for (const b of p.backends) {
    table.push([b.name, pct(b.expectedShare), pct(b.share), b.received, b.answered, b.peakConcurrency, us(b.p50Us), us(b.p99Us)]);
  }
  return table.toString();
}

export function renderTerminal(r: RunReport, opts: TerminalOptions): string {
  const c = opts.color;
  const out: string[] = [];
  out.push(paint(c, 1, `${r.suite.name}`) + `  (${r.suite.file}, target ${r.target.kind}${r.target.url ? ` ${r.target.url}` : ''})`);
  for (const p of r.phases) {
    out.push('');
    if (p.skipped !== null) { out.push(`phase ${p.index + 1}: ${p.name} — skipped: ${p.skipped}`); continue; }
    const errs = Object.entries(p.errors).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push(paint(c, 1, `phase ${p.index + 1}: ${p.name}`) + `  ${p.requests} requests in ${(p.durationMs / 1000).toFixed(2)} s (${Math.round(p.ratePerSec)}/s), p50 ${us(p.latency.p50Us)}, p99 ${us(p.latency.p99Us)}${errs ? `, errors: ${errs}` : ''}`);
    if (p.events.length > 0) out.push(`  actions: ${p.events.map((e) => `${e.action}${e.backend ? ` ${e.backend}` : ''} at ${e.atMs} ms`).join(', ')}`);
    out.push(phaseTable(p, c));
    for (const v of p.verdicts) {
      const mark = v.passed ? paint(c, 32, 'PASS') : paint(c, 31, 'FAIL');
      out.push(`  ${mark} ${v.name}: expected ${cut(v.expected)}; observed ${cut(v.observed)}`);
      if (!v.passed || v.warnings.length > 0) out.push(`       ${v.explanation}${v.passed ? '' : `  (${v.at}, ${v.path})`}`);
      for (const w of v.warnings) out.push(`       note: ${w}`);
    }
    for (const n of p.notes) out.push(`  note: ${n}`);
  }
  out.push('');
  const { passed, failed } = verdictCounts(r);
  const outcome = r.outcome === 'passed' ? paint(c, 32, 'PASSED') : r.outcome === 'skipped' ? paint(c, 33, 'SKIPPED') : paint(c, 31, r.outcome.toUpperCase());
  out.push(`${outcome}: ${passed} verdicts held, ${failed} failed (${(r.durationMs / 1000).toFixed(1)} s)`);
  if (r.error !== null) out.push(`${r.outcome === 'skipped' ? 'reason' : 'error'}: ${r.error}`);
  return out.join('\n') + '\n';
}
