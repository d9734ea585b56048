/**
 * `lbtest run SUITE|DIR... [--target bundled|nginx|URL]... [--nginx PATH] [--report-dir DIR]
 *   [--html FILE] [--junit FILE] [--md FILE] [--baseline FILE]... [--threshold PCT]`
 * Loads every suite (all problems of all suites printed, located) and every baseline first,
 * then runs each suite against each target, prints the report, and after each run writes the
 * reports (JSON and HTML into reports/, and the files asked for) atomically with every run so
 * far; at the end appends a summary to $GITHUB_STEP_SUMMARY when it is set. Exits 0 only when
 * every verdict held and nothing regressed against the baseline. Ctrl-C stops the traffic and
 * every child process, and the reports of what ran are still written (exit 130).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../cli.js';
import { loadSuite, SuiteError } from '../../suite/load.js';
import type { Suite } from '../../suite/model.js';
import { runSuite } from '../../runner/run-suite.js';
import type { RunReport } from '../../runner/report-model.js';
import { renderTerminal, useColor } from '../../report/terminal.js';
import { compareRuns, type Comparison, parseThreshold, pickBaseline, regressions, renderComparison } from '../../report/baseline.js';
import { loadReport } from '../../report/load.js';
import { appendSummary, type OutputOptions, writeRunOutputs } from '../../report/outputs.js';
import { LbtestError } from '../../core/errors.js';
import { compareTargets, renderMatrix, renderTargetComparison } from '../../runner/compare.js';

export const RUN_USAGE = `usage: lbtest run SUITE|DIR... [--target bundled|nginx|URL]... [--nginx PATH] [--progress]
       [--report-dir DIR] [--no-report] [--html FILE] [--junit FILE] [--md FILE]
       [--baseline RUN.json]... [--threshold PCT]
`;

/** A regression is a measure worse than the baseline's by more than this, unless --threshold says. */
const DEFAULT_THRESHOLD = '10%';

function suiteFiles(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let isDir = false;
    try { isDir = statSync(abs).isDirectory(); } catch { /* reported by the loader */ }
    if (isDir) for (const f of readdirSync(abs).sort()) { if (/\.ya?ml$/.test(f)) out.push(join(abs, f)); }
    else out.push(abs);
  }
  return out;
}

const OPTIONS = {
  target: { type: 'string', short: 't', multiple: true }, nginx: { type: 'string' },
  'report-dir': { type: 'string' }, 'no-report': { type: 'boolean' }, progress: { type: 'boolean' },
  html: { type: 'string' }, junit: { type: 'string' }, md: { type: 'string' },
  baseline: { type: 'string', multiple: true }, threshold: { type: 'string' },
} as const;

async function loadSuites(files: readonly string[], io: Io): Promise<Suite[] | null> {
  const suites: Suite[] = [];
  let bad = false;
  for (const file of files) {
    try {
      suites.push(await loadSuite(file));
    } catch (e) {
      if (!(e instanceof LbtestError)) throw e;
      bad = true;
      io.stderr.write(e instanceof SuiteError ? `${e.message}\n` : `lbtest: ${file}: ${e.message}\n`);
    }
  }
  return bad ? null : suites;
}

function loadBaselines(files: readonly string[], io: Io): { file: string; report: RunReport }[] | null {
  const out: { file: string; report: RunReport }[] = [];
  let bad = false;
  for (const file of files) {
    const loaded = loadReport(resolve(io.cwd, file));
    if (loaded.report !== undefined) out.push({ file, report: loaded.report });
    else { bad = true; for (const p of loaded.problems) io.stderr.write(`lbtest: baseline ${p}\n`); }
  }
  return bad ? null : out;
}

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS }));
  } catch (e) {
    io.stderr.write(`lbtest: ${(e as Error).message}\n${RUN_USAGE}`);
    return EXIT.usage;
  }
  if (positionals.length === 0) { io.stderr.write(RUN_USAGE); return EXIT.usage; }
  const targets = values.target ?? ['bundled'];
  for (const t of targets) {
    if (t !== 'bundled' && t !== 'nginx' && !/^https?:\/\//.test(t)) {
      io.stderr.write(`lbtest: --target must be bundled, nginx or a URL, found "${t}"\n${RUN_USAGE}`);
      return EXIT.usage;
    }
  }
  const threshold = parseThreshold(values.threshold ?? DEFAULT_THRESHOLD);
  if (threshold === null) { io.stderr.write(`lbtest: --threshold must be a percentage such as 10%, found "${values.threshold}"\n${RUN_USAGE}`); return EXIT.usage; }
  if (values.threshold !== undefined && values.baseline === undefined) { io.stderr.write(`lbtest: --threshold needs --baseline\n${RUN_USAGE}`); return EXIT.usage; }
  const suites = await loadSuites(suiteFiles(positionals, io.cwd), io);
  const baselines = loadBaselines(values.baseline ?? [], io);
  if (suites === null || baselines === null) return EXIT.badInput;

  const at = (p: string | undefined): string | null => (p === undefined ? null : resolve(io.cwd, p));
  const outputs: OutputOptions = {
    reportDir: values['no-report'] === true ? null : resolve(io.cwd, values['report-dir'] ?? 'reports'),
    html: at(values.html), junit: at(values.junit), md: at(values.md),
    stepSummary: process.env['GITHUB_STEP_SUMMARY'] || null,
  };
  const abort = new AbortController();
  const onSigint = (): void => { io.stderr.write('\nlbtest: interrupted; stopping traffic and processes\n'); abort.abort(); };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
  const color = useColor(tty, process.env);
  const reports: RunReport[] = [];
  const comparisons: Comparison[] = [];
  let unwritten = false;
  try {
    for (const suite of suites) {
      for (const target of targets) {
        if (abort.signal.aborted) break;
        const report = await runSuite(suite, {
          target, signal: abort.signal, ...(values.nginx ? { nginxPath: values.nginx } : {}),
          ...(tty ? { onProgress: (line: string) => io.stderr.write(`\r\x1b[K${line}`) }
            : values.progress === true ? { onProgress: (line: string) => io.stderr.write(`${line}\n`) } : {}),
        });
        if (tty) io.stderr.write('\r\x1b[K');
        reports.push(report);
        io.stdout.write(renderTerminal(report, { color }));
        if (baselines.length > 0) {
          const base = pickBaseline(report, baselines);
          if (base === null) io.stdout.write(`baseline: none of ${baselines.map((b) => b.file).join(', ')} is a run of "${report.suite.name}"\n`);
          else {
            const c = compareRuns(report, base.report, threshold, base.file);
            comparisons.push(c);
            io.stdout.write(renderComparison(c, color));
          }
        }
        const written = writeRunOutputs(outputs, reports, comparisons, report);
        for (const p of written.paths) io.stdout.write(`report: ${p}\n`);
        for (const p of written.problems) { io.stderr.write(`lbtest: ${p}\n`); unwritten = true; }
      }
      // Differential run: this suite on every target, side by side, and the matrix at the end.
      const runs = reports.filter((r) => r.suite.file === suite.file);
      if (runs.length > 1) io.stdout.write(renderTargetComparison(compareTargets(suite, runs)));
    }
    if (reports.length > 1) io.stdout.write(renderMatrix(reports));
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    if (outputs.stepSummary !== null && reports.length > 0) {
      const problem = appendSummary(outputs.stepSummary, reports, comparisons);
      if (problem !== null) io.stderr.write(`lbtest: ${problem}\n`);
    }
  }
  if (abort.signal.aborted || reports.some((r) => r.outcome === 'interrupted')) return EXIT.interrupted;
  if (unwritten || reports.some((r) => r.outcome === 'error')) return EXIT.harness;
  if (baselines.length > 0 && comparisons.length === 0 && reports.length > 0) {
    io.stderr.write('lbtest: --baseline: no run of these suites in the baseline; nothing was compared\n');
    return EXIT.badInput;
  }
  const regressed = comparisons.some((c) => regressions(c) > 0);
  return reports.some((r) => r.outcome === 'failed') || regressed ? EXIT.failed : EXIT.ok;
}
