/**
 * The Markdown summary (GitHub-flavoured), for $GITHUB_STEP_SUMMARY or a pull-request comment:
 * per run an h3 title with the outcome, a table of phases, the failed verdicts in full, and per
 * phase the backends and every verdict folded in <details>; then the baseline comparison, if any.
 * Pure: (RunReport[], options) -> string. summaryWithin() keeps it under a byte budget (GitHub
 * takes at most 1 MiB per step) by dropping the details first, then cutting whole lines.
 */
import type { PhaseReport, RunReport, VerdictRow } from '../runner/report-model.js';
import { verdictCounts } from '../runner/report-model.js';
import type { Comparison } from './baseline.js';
import { changeText, regressions } from './baseline.js';
import { cut, errorList, eventLabel, failedRequests, pct, perSec, phaseTitle, phaseVerdicts, seconds, suiteFileName, us, verdictNumbers } from './format.js';

export interface MarkdownOptions {
  readonly comparisons?: readonly Comparison[];
  /** `compact`: no per-phase details (to fit a budget). */
  readonly detail?: 'full' | 'compact';
}

/** Text in Markdown: no HTML, no table breaks. */
const text = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*').replace(/_/g, '\\_');
const cell = (s: string): string => text(s).replace(/\|/g, '\\|').replace(/\n/g, '<br>');

const MARK = { passed: '✅', failed: '❌', skipped: '⏭️', interrupted: '⚠️', error: '💥' } as const;

function phaseRow(p: PhaseReport): string {
  if (p.skipped !== null) return `| ${p.index + 1}. ${cell(p.name)} | skipped: ${cell(p.skipped)} | | | | | |`;
  const { passed, failed } = phaseVerdicts(p);
  const verdicts = p.verdicts.length === 0 ? '–' : failed > 0 ? `❌ ${failed} of ${passed + failed} failed` : `✅ ${passed}`;
  return `| ${p.index + 1}. ${cell(p.name)} | ${p.requests} | ${perSec(p.ratePerSec)} | ${us(p.latency.p50Us)} | ${us(p.latency.p99Us)} | ${failedRequests(p)} | ${verdicts} |`;
}

function verdictItem(v: VerdictRow, full: boolean): string {
  const head = `${v.passed ? '✅' : '❌'} **${text(v.name)}**: expected ${text(cut(v.expected))}; observed ${text(cut(v.observed))}`;
  if (v.passed && !full) return `- ${head}`;
  const more = [v.passed ? '' : `${text(v.explanation)} (\`${v.at}\`, \`${v.path}\`)`, ...v.warnings.map((w) => `note: ${text(w)}`)].filter((s) => s !== '');
  return [`- ${head}`, ...more.map((s) => `  <br>${s}`)].join('\n');
}

function phaseDetails(p: PhaseReport): string[] {
  if (p.skipped !== null) return [];
  const out = [`#### ${text(phaseTitle(p))}`, ''];
  const facts = [`${p.requests} requests in ${seconds(p.durationMs)}`, errorList(p) ? `client errors: ${errorList(p)}` : '',
    p.events.length > 0 ? `actions: ${p.events.map((e) => `${eventLabel(e)} at ${e.atMs} ms`).join(', ')}` : ''].filter((s) => s !== '');
  out.push(text(facts.join(' · ')), '');
  if (p.backends.length > 0) {
    out.push('| backend | expected | observed | received | errors | p50 | p99 |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const b of p.backends) out.push(`| ${cell(b.name)} | ${pct(b.expectedShare)} | ${pct(b.share)} | ${b.received} | ${b.errors ?? '-'} | ${us(b.p50Us)} | ${us(b.p99Us)} |`);
    out.push('');
  }
  for (const v of p.verdicts) {
    out.push(verdictItem(v, true));
    const numbers = verdictNumbers(v);
    if (numbers !== '') out.push(`  <br><sub>${text(cut(numbers, 300))}</sub>`);
  }
  for (const n of p.notes) out.push(`- note: ${text(n)}`);
  out.push('');
  return out;
}

function runSection(r: RunReport, full: boolean): string {
  const { passed, failed } = verdictCounts(r);
  const out = [`### ${MARK[r.outcome]} ${text(r.suite.name)}`, ''];
  out.push(`**${r.outcome}**: ${passed} verdicts held, ${failed} failed · \`${suiteFileName(r)}\` against ${text(r.target.kind)} · ${seconds(r.durationMs)} · lbtest ${text(r.tool.version)}`, '');
  if (r.error !== null) out.push(`> **${r.outcome === 'skipped' ? 'reason' : 'error'}**: ${text(r.error.split('\n')[0]!)}`, '');
  for (const w of r.warnings) out.push(`> warning: ${text(w)}`, '');
  if (r.phases.length > 0) {
    out.push('| phase | requests | rate | p50 | p99 | failed requests | verdicts |', '| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const p of r.phases) out.push(phaseRow(p));
    out.push('');
  }
  const failing = r.phases.flatMap((p) => p.verdicts.filter((v) => !v.passed).map((v) => ({ p, v })));
  if (failing.length > 0) {
    out.push('**Failed verdicts**', '');
    for (const { p, v } of failing) out.push(verdictItem({ ...v, name: `${phaseTitle(p)} — ${v.name}` }, false));
    out.push('');
  }
  if (full && r.phases.some((p) => p.skipped === null)) {
    out.push('<details><summary>Backends and verdicts, phase by phase</summary>', '');
    for (const p of r.phases) out.push(...phaseDetails(p));
    out.push('</details>', '');
  }
  return out.join('\n');
}

function comparisonSection(c: Comparison): string {
  const n = regressions(c);
  const out = [`### ${n > 0 ? '❌' : '✅'} Baseline: ${text(c.id)}`, ''];
  out.push(`${n > 0 ? `**${n} regression${n === 1 ? '' : 's'}**` : 'no regression'} beyond ${Math.round(c.threshold * 1000) / 10}% against \`${c.baselineFile.split('/').pop()}\``, '');
  if (c.rows.length > 0) {
    out.push('| phase | measure | baseline | now | change | |', '| --- | --- | ---: | ---: | ---: | --- |');
    for (const row of c.rows) {
      const fmt = (x: number): string => (row.metric === 'req/s' ? perSec(x) : us(x));
      out.push(`| ${cell(row.phase)} | ${row.metric} | ${fmt(row.baseline)} | ${fmt(row.current)} | ${changeText(row)} | ${row.regressed ? '❌' : '✅'} |`);
    }
    out.push('');
  }
  for (const note of c.notes) out.push(`- note: ${text(note)}`);
  return out.join('\n') + '\n';
}

export function renderMarkdown(reports: readonly RunReport[], opts: MarkdownOptions = {}): string {
  const full = (opts.detail ?? 'full') === 'full';
  return [...reports.map((r) => runSection(r, full)), ...(opts.comparisons ?? []).map(comparisonSection)].join('\n');
}

/** The summary in at most `budgetBytes` (UTF-8): full, else compact, else compact cut at a line. */
export function summaryWithin(reports: readonly RunReport[], comparisons: readonly Comparison[], budgetBytes: number): string {
  for (const detail of ['full', 'compact'] as const) {
    const md = renderMarkdown(reports, { comparisons, detail });
    if (Buffer.byteLength(md) <= budgetBytes) return md;
  }
  const note = '\n_(summary cut to fit GitHub\'s 1 MiB step summary limit; the JSON report has everything)_\n';
  const room = budgetBytes - Buffer.byteLength(note);
  if (room <= 0) return '';
  const lines = renderMarkdown(reports, { comparisons, detail: 'compact' }).split('\n');
  let used = 0, keep = 0;
  while (keep < lines.length && used + Buffer.byteLength(lines[keep]!) + 1 <= room) used += Buffer.byteLength(lines[keep++]!) + 1;
  return lines.slice(0, keep).join('\n') + note;
}
