/**
 * The files `lbtest run` writes, and when: after every run (a suite against a target), each file
 * is written again, whole and atomically, with every run so far — so that an interrupted or
 * failing invocation leaves complete reports of what ran. Per run: the JSON report and, next to
 * it, the HTML page (unless other paths are asked for); across runs: the JUnit XML, Markdown and
 * HTML files named on the command line. The step summary is appended once, at the end.
 */
import type { RunReport } from '../runner/report-model.js';
import type { Comparison } from './baseline.js';
import { runId } from './format.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown, summaryWithin } from './markdown.js';
import { appendStepSummary, reportFileName, reportJson, writeAtomic } from './write.js';

export interface OutputOptions {
  /** Folder of the per-run JSON and HTML; null: none (`--no-report`). */
  readonly reportDir: string | null;
  /** One HTML page for every run; null: one per run next to its JSON. */
  readonly html: string | null;
  readonly junit: string | null;
  readonly md: string | null;
  /** $GITHUB_STEP_SUMMARY, when set. */
  readonly stepSummary: string | null;
}

export interface Written {
  readonly paths: readonly string[];
  readonly problems: readonly string[];
}

function attempt(path: string, text: () => string, paths: string[], problems: string[]): void {
  try {
    writeAtomic(path, text());
    paths.push(path);
  } catch (e) {
    problems.push(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Writes the files for the runs so far; `latest` is the run just finished. */
export function writeRunOutputs(opts: OutputOptions, reports: readonly RunReport[], comparisons: readonly Comparison[], latest: RunReport): Written {
  const paths: string[] = [];
  const problems: string[] = [];
  if (opts.reportDir !== null) {
    attempt(reportFileName(latest, opts.reportDir), () => reportJson(latest), paths, problems);
    const own = comparisons.filter((c) => c.id === runId(latest));
    if (opts.html === null) attempt(reportFileName(latest, opts.reportDir, '.html'), () => renderHtml([latest], { comparisons: own }), paths, problems);
  }
  if (opts.html !== null) attempt(opts.html, () => renderHtml(reports, { comparisons }), paths, problems);
  if (opts.junit !== null) attempt(opts.junit, () => renderJunit(reports, comparisons), paths, problems);
  if (opts.md !== null) attempt(opts.md, () => renderMarkdown(reports, { comparisons }), paths, problems);
  return { paths, problems };
}

/** Appends the summary of every run to $GITHUB_STEP_SUMMARY; a problem, or null. */
export function appendSummary(path: string, reports: readonly RunReport[], comparisons: readonly Comparison[]): string | null {
  try {
    return appendStepSummary(path, (budget) => summaryWithin(reports, comparisons, budget)) ? null : `${path}: the step summary is full; nothing appended`;
  } catch (e) {
    return `cannot append to ${path}: ${(e as Error).message}`;
  }
}
