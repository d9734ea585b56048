/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, and a Content
 * Security Policy that forbids loading anything) that a person would rather look at than read.
 * Per run: the outcome, the failed verdicts, the whole run's requests per second per backend
 * with the actions marked; per phase: the timeline, each backend's share against the expected
 * one, the latency distribution, and the verdicts with their numbers; the configuration; the
 * baseline comparison. Pure: (RunReport[], options) -> string.
 */
import type { PhaseReport, RunReport, VerdictRow } from '../runner/report-model.js';
import { REPORT_VERSION, verdictCounts } from '../runner/report-model.js';
import type { Comparison } from './baseline.js';
import { changeText, regressions } from './baseline.js';
import { latencyChart, shareChart } from './charts.js';
import { backendNames, cut, errorList, eventLabel, failedRequests, perSec, phaseTitle, phaseVerdicts, runId, seconds, suiteFileName, us, verdictNumbers } from './format.js';
import { HTML_STYLE } from './html-style.js';
import { esc, FAILURE_COLOR, palette } from './svg.js';
import { phaseTimeline, runTimeline } from './timeline.js';

export interface HtmlOptions {
  readonly comparisons?: readonly Comparison[];
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Text cut for the page, whole in its tooltip. */
function long(s: string, max = 300): string {
  return s.length <= max ? esc(s) : `<span title="${esc(s)}">${esc(cut(s, max))}</span>`;
}

function legend(names: readonly string[], colors: ReadonlyMap<string, string>, extras: boolean): string {
  const items = names.map((n) => `<span><i class="swatch" style="background:${colors.get(n)}"></i>${esc(n)}</span>`);
  if (extras) {
    items.push(`<span><i class="swatch line" style="border-color:${FAILURE_COLOR}"></i>failed requests</span>`,
      '<span><i class="swatch event"></i>action</span>', '<span><i class="swatch tick"></i>expected share</span>');
  }
  return `<div class="legend">${items.join('')}</div>`;
}

function verdictRow(v: VerdictRow): string {
  const numbers = verdictNumbers(v);
  return `<tr class="${v.passed ? 'pass' : 'fail'}"><td><span class="badge ${v.passed ? 'pass' : 'fail'}">${v.passed ? 'PASS' : 'FAIL'}</span></td>`
    + `<td>${esc(v.name)}<div class="where">${esc(v.at.split('/').pop() ?? v.at)}<br>${esc(v.path)}</div></td>`
    + `<td>${long(v.expected)}</td>`
    + `<td class="observed">${long(v.observed)}${v.passed ? '' : `<div class="why">${esc(v.explanation)}</div>`}`
    + `${v.warnings.map((w) => `<div class="why">note: ${esc(w)}</div>`).join('')}${numbers === '' ? '' : `<div class="numbers">${long(numbers)}</div>`}</td></tr>`;
}

function verdictTable(verdicts: readonly VerdictRow[]): string {
  if (verdicts.length === 0) return '';
  return `<table class="verdicts"><thead><tr><th></th><th>verdict</th><th>expected</th><th>observed</th></tr></thead><tbody>${verdicts.map(verdictRow).join('')}</tbody></table>`;
}

function backendTable(p: PhaseReport): string {
  if (p.backends.length === 0) return '';
  const rows = p.backends.map((b) => `<tr><td>${esc(b.name)}</td><td class="num">${b.expectedShare === null ? '-' : `${(b.expectedShare * 100).toFixed(1)}%`}</td>`
    + `<td class="num">${(b.share * 100).toFixed(1)}%</td><td class="num">${b.received}</td><td class="num">${b.answered}</td><td class="num">${b.errors ?? '-'}</td>`
    + `<td class="num">${b.peakConcurrency}</td><td class="num">${us(b.p50Us)}</td><td class="num">${us(b.p99Us)}</td></tr>`);
  return `<details><summary>backends in numbers</summary><table class="backends"><thead><tr><th>backend</th><th class="num">expected</th><th class="num">observed</th>`
    + `<th class="num">received</th><th class="num">answered</th><th class="num">errors</th><th class="num">peak conc.</th><th class="num">p50</th><th class="num">p99</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

function phaseSection(p: PhaseReport, colors: ReadonlyMap<string, string>): string {
  const title = `<h3>${esc(phaseTitle(p))}</h3>`;
  if (p.skipped !== null) {
    return `<section class="card phase skipped" data-phase="${p.index}"><div class="phase-head">${title}<span class="badge skipped">skipped</span></div><p class="phase-stats">${esc(p.skipped)}</p></section>`;
  }
  const { passed, failed } = phaseVerdicts(p);
  const badge = p.verdicts.length === 0 ? '' : failed > 0 ? `<span class="badge fail">${failed} of ${passed + failed} failed</span>` : `<span class="badge pass">${passed} held</span>`;
  const errs = errorList(p);
  const stats = [`${p.requests} requests in ${seconds(p.durationMs)} (${perSec(p.ratePerSec)})`, `p50 ${us(p.latency.p50Us)}`, `p90 ${us(p.latency.p90Us)}`,
    `p99 ${us(p.latency.p99Us)}`, `max ${us(p.latency.maxUs)}`, `${failedRequests(p)} failed${errs ? ` (${errs})` : ''}`];
  if (p.events.length > 0) stats.push(`actions: ${p.events.map((e) => `${eventLabel(e)} at ${e.atMs} ms`).join(', ')}`);
  const latency = latencyChart(p, colors);
  const figures = [
    `<figure class="wide"><figcaption>Requests per second, per backend</figcaption>${phaseTimeline(p, colors)}</figure>`,
    ...(p.backends.length > 0 ? [`<figure><figcaption>Share of requests</figcaption>${shareChart(p, colors)}</figure>`] : []),
    latency === '' ? `<figure><figcaption>Latency</figcaption><p class="phase-stats">${p.histogram === undefined ? 'no latency histogram in this report (written by an earlier lbtest)' : 'no responses'}</p></figure>`
      : `<figure><figcaption>Latency distribution</figcaption>${latency}</figure>`,
  ];
  const names = p.backends.length > 0 ? p.backends.map((b) => b.name) : Object.keys(p.timeline.series);
  return `<section class="card phase" data-phase="${p.index}"><div class="phase-head">${title}${badge}</div><p class="phase-stats">${esc(stats.join(' · '))}</p>${legend(names, colors, true)}`
    + `<div class="charts">${figures.join('')}</div>${verdictTable(p.verdicts)}${backendTable(p)}`
    + `${p.notes.map((n) => `<p class="phase-stats">note: ${esc(n)}</p>`).join('')}</section>`;
}

function runSection(r: RunReport): string {
  const names = backendNames(r);
  const colors = palette(names);
  const { passed, failed } = verdictCounts(r);
  const requests = r.phases.reduce((a, p) => a + p.requests, 0);
  const out = [`<section class="run" id="${esc(runId(r))}" data-outcome="${r.outcome}">`, '<div class="card">',
    `<div class="run-head"><span class="badge big ${r.outcome}">${r.outcome.toUpperCase()}</span>`
    + `<div><h1>${esc(r.suite.name)}</h1>${r.suite.description ? `<p class="description">${esc(r.suite.description.trim())}</p>` : ''}</div></div>`,
    `<ul class="meta"><li><code>${esc(suiteFileName(r))}</code></li><li>target ${esc(r.target.kind)}${r.target.url ? ` <code>${esc(r.target.url)}</code>` : ''}</li>`
    + `<li>started ${esc(r.startedAt)}</li><li>${seconds(r.durationMs)}</li><li>lbtest ${esc(r.tool.version)}</li></ul>`,
    `<div class="tiles"><div class="tile"><b>${passed}</b><span>verdicts held</span></div><div class="tile"><b>${failed}</b><span>verdicts failed</span></div>`
    + `<div class="tile"><b>${r.phases.length}</b><span>phases</span></div><div class="tile"><b>${requests}</b><span>requests</span></div></div>`];
  if (r.error !== null) out.push(`<p class="alert${r.outcome === 'skipped' ? ' warn' : ''}">${esc(`${r.outcome === 'skipped' ? 'skipped' : 'error'}: ${r.error}`)}</p>`);
  for (const w of r.warnings) out.push(`<p class="alert warn">warning: ${esc(w)}</p>`);
  const failing = r.phases.flatMap((p) => p.verdicts.filter((v) => !v.passed).map((v) => ({ ...v, name: `${phaseTitle(p)} — ${v.name}` })));
  if (failing.length > 0) out.push(`<h2 style="margin-top:14px">Failed verdicts</h2>${verdictTable(failing)}`);
  out.push('</div>');
  const timeline = runTimeline(r, colors);
  if (timeline !== '') {
    out.push(`<div class="card"><h2>The whole run</h2><figure><figcaption>Where the requests went: each backend's share of the requests of every interval, phases end to end (set-up between them left out), actions marked</figcaption>${legend(names, colors, true)}${timeline}</figure></div>`);
  }
  for (const p of r.phases) out.push(phaseSection(p, colors));
  if (r.config !== null) out.push(`<div class="card"><details><summary>nginx configuration the balancer started with</summary><pre>${esc(r.config)}</pre></details></div>`);
  out.push('</section>');
  return out.join('\n');
}

function comparisonSection(c: Comparison): string {
  const n = regressions(c);
  const rows = c.rows.map((row) => {
    const fmt = (x: number): string => (row.metric === 'req/s' ? perSec(x) : us(x));
    return `<tr class="${row.regressed ? 'fail' : 'pass'}"><td>${esc(row.phase)}</td><td>${row.metric}</td><td class="num">${fmt(row.baseline)}</td><td class="num">${fmt(row.current)}</td>`
      + `<td class="num${row.regressed ? ' regressed' : ''}">${esc(changeText(row))}</td></tr>`;
  });
  return `<section class="card baseline" data-run="${esc(c.id)}"><div class="phase-head"><h2>Baseline: ${esc(c.id)}</h2><span class="badge ${n > 0 ? 'fail' : 'pass'}">${n > 0 ? `${n} regressed` : 'no regression'}</span></div>`
    + `<p class="phase-stats">against <code>${esc(c.baselineFile)}</code>, threshold ${Math.round(c.threshold * 1000) / 10}%</p>`
    + `<table><thead><tr><th>phase</th><th>measure</th><th class="num">baseline</th><th class="num">now</th><th class="num">change</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    + `${c.notes.map((note) => `<p class="phase-stats">note: ${esc(note)}</p>`).join('')}</section>`;
}

export function renderHtml(reports: readonly RunReport[], opts: HtmlOptions = {}): string {
  const title = reports.length === 1 ? `${reports[0]!.outcome.toUpperCase()} · ${reports[0]!.suite.name} · lbtest` : `lbtest: ${reports.length} runs`;
  const version = reports[0]?.tool.version ?? '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lbtest ${esc(version)}">
<title>${esc(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<main>
${reports.map(runSection).join('\n')}
${(opts.comparisons ?? []).map(comparisonSection).join('\n')}
<footer>lbtest ${esc(version)} · report format version ${REPORT_VERSION} · re-render with <code>lbtest report RUN.json --html</code></footer>
</main>
</body>
</html>
`;
}
