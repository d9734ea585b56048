/**
 * Writing reports: atomically (a temporary file in the same folder, then a rename), so an
 * interrupted run never leaves a half-written file behind; and appending the Markdown summary to
 * GitHub's $GITHUB_STEP_SUMMARY within its limit. File names follow the JSON report's.
 */
import { appendFileSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunReport } from '../runner/report-model.js';

let tmpSerial = 0;

export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.${tmpSerial++}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * The JSON report: two-space indentation, but an array of numbers (a time series, a histogram)
 * on one line. Only arrays that JSON.stringify broke over lines are joined: a string value never
 * holds a raw newline, so no string is touched.
 */
export function reportJson(r: RunReport): string {
  const text = JSON.stringify(r, null, 2);
  return text.replace(/\[\n\s*(-?[\d.e+-]+(?:,\n\s*-?[\d.e+-]+)*)\n\s*\]/g, (_, inner: string) => `[${inner.replace(/,\n\s*/g, ', ')}]`) + '\n';
}

/** `reports/weighted-bundled-2026-11-24T03-10-00Z.json`; `ext` changes the extension (`.html`). */
export function reportFileName(r: RunReport, dir: string, ext = '.json'): string {
  const base = r.suite.file.split('/').pop()!.replace(/\.ya?ml$/, '');
  return join(dir, `${base}-${r.target.kind}-${r.startedAt.replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z')}${ext}`);
}

/** GitHub refuses a step summary over 1 MiB ("supports content up to a size of 1024k"). */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * Appends Markdown to the step summary file. `render(budget)` is asked for a text of at most
 * `budget` bytes given what the file holds already; returns false when nothing fit.
 */
export function appendStepSummary(path: string, render: (budgetBytes: number) => string): boolean {
  let used = 0;
  try { used = statSync(path).size; } catch { /* not there yet */ }
  const budget = STEP_SUMMARY_LIMIT_BYTES - used;
  if (budget <= 0) return false;
  const text = render(budget);
  if (text === '' || Buffer.byteLength(text) > budget) return false;
  appendFileSync(path, text);
  return true;
}
