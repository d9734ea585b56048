/**
 * How every reporter writes a number, a share, a latency, a verdict's numbers and a run's title,
 * so the terminal, Markdown, JUnit and HTML say the same thing in the same words. Pure.
 */
import type { PhaseReport, RunReport, VerdictRow } from '../runner/report-model.js';

/** Long observations (a 700-request sequence) are cut for people; the JSON keeps them whole. */
export const cut = (s: string, max = 160): string => (s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`);

export const pct = (x: number | null | undefined): string => (x == null ? '-' : `${(x * 100).toFixed(1)}%`);

/** A latency given in µs: `835 µs`, `8.26 ms`, `1.20 s`. */
export function us(x: number | null | undefined): string {
  if (x == null) return '-';
  if (x >= 1_000_000) return `${(x / 1_000_000).toFixed(2)} s`;
  return x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${Math.round(x)} µs`;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export const perSec = (x: number): string => `${Math.round(x)}/s`;

/** A verdict number: integers whole, others to three significant digits (`0.714`, `5.7e-265`). */
export function num(x: number): string {
  if (Number.isInteger(x) || Math.abs(x) >= 1000) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** `chiSquare=0 df=1 pValue=1`: the numbers a verdict was decided on, in the order it gave them. */
export const verdictNumbers = (v: VerdictRow): string => Object.entries(v.numbers).map(([k, x]) => `${k}=${num(x)}`).join(' ');

/** The suite file without its folders: `weighted.yaml`. */
export const suiteFileName = (r: RunReport): string => r.suite.file.split('/').pop() ?? r.suite.file;

/** `weighted.bundled`: stable across machines and runs (JUnit classname, HTML ids). */
export const runId = (r: RunReport): string => `${suiteFileName(r).replace(/\.ya?ml$/, '')}.${r.target.kind}`;

export const targetLabel = (r: RunReport): string => `${r.target.kind}${r.target.url ? ` ${r.target.url}` : ''}`;

export const phaseTitle = (p: PhaseReport): string => `phase ${p.index + 1}: ${p.name}`;

/** `kill a`, `reload`. */
export const eventLabel = (e: { readonly action: string; readonly backend: string | null }): string => `${e.action}${e.backend ? ` ${e.backend}` : ''}`;

/** Client errors by kind, `refused 3, reset 1`; '' when none. */
export const errorList = (p: PhaseReport): string => Object.entries(p.errors).map(([k, v]) => `${k} ${v}`).join(', ');

/** Requests that failed at the client: no response, or a 5xx. */
export function failedRequests(p: PhaseReport): number {
  let n = 0;
  for (const v of Object.values(p.errors)) n += v;
  for (const [status, v] of Object.entries(p.statuses)) if (Number(status) >= 500) n += v;
  return n;
}

/** Every backend named in any phase, in first-seen order: one colour each, the same in every chart. */
export function backendNames(r: RunReport): string[] {
  const names = new Set<string>();
  for (const p of r.phases) {
    for (const b of p.backends) names.add(b.name);
    for (const n of Object.keys(p.timeline.series)) names.add(n);
  }
  return [...names];
}

export function phaseVerdicts(p: PhaseReport): { passed: number; failed: number } {
  const failed = p.verdicts.filter((v) => !v.passed).length;
  return { passed: p.verdicts.length - failed, failed };
}
