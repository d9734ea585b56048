/**
 * `lbtest run SUITE|DIR... [--target bundled|nginx|URL]... [--nginx PATH] [--report-dir DIR]`
 * Loads every suite first (all problems of all suites printed, located), then runs each against
 * each target, prints the report, writes the JSON report, and exits 0 only when every verdict
 * held. Ctrl-C stops the traffic and every child process, and the report of what ran is still
 * written (exit 130).
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
import { renderTerminal } from '../../report/terminal.js';
import { reportFileName, reportJson, writeAtomic } from '../../report/write.js';
import { LbtestError } from '../../core/errors.js';

export const RUN_USAGE = 'usage: lbtest run SUITE|DIR... [--target bundled|nginx|URL]... [--nginx PATH] [--report-dir DIR] [--no-report] [--progress]\n';

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

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv], allowPositionals: true,
      options: {
        target: { type: 'string', short: 't', multiple: true }, nginx: { type: 'string' },
        'report-dir': { type: 'string' }, 'no-report': { type: 'boolean' }, progress: { type: 'boolean' },
      },
    }));
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
  const suites: Suite[] = [];
  let bad = false;
  for (const file of suiteFiles(positionals, io.cwd)) {
    try {
      suites.push(await loadSuite(file));
    } catch (e) {
      if (!(e instanceof LbtestError)) throw e;
      bad = true;
      io.stderr.write(e instanceof SuiteError ? `${e.message}\n` : `lbtest: ${file}: ${e.message}\n`);
    }
  }
  if (bad) return EXIT.badInput;

  const abort = new AbortController();
  const onSigint = (): void => { io.stderr.write('\nlbtest: interrupted; stopping traffic and processes\n'); abort.abort(); };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
  const color = tty && process.env['NO_COLOR'] === undefined;
  const reports: RunReport[] = [];
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
        if (values['no-report'] !== true) {
          const path = reportFileName(report, resolve(io.cwd, values['report-dir'] ?? 'reports'));
          writeAtomic(path, reportJson(report));
          io.stdout.write(`report: ${path}\n`);
        }
      }
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
  }
  if (abort.signal.aborted || reports.some((r) => r.outcome === 'interrupted')) return EXIT.interrupted;
  if (reports.some((r) => r.outcome === 'error')) return EXIT.harness;
  return reports.some((r) => r.outcome === 'failed') ? EXIT.failed : EXIT.ok;
}
