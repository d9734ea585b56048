/**
 * `lbtest report RUN.json... [--html|--md|--junit|--terminal] [-o FILE]`
 * Re-renders saved runs (the JSON `lbtest run` writes) in another format: one document for all
 * of them, to FILE (written atomically) or to standard output. Without a format, the terminal
 * report. Every file is read and checked first; a file that is not a run report is named with
 * what is wrong with it (exit 3).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../cli.js';
import type { RunReport } from '../../runner/report-model.js';
import { renderHtml } from '../../report/html.js';
import { renderJunit } from '../../report/junit.js';
import { loadReport } from '../../report/load.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderTerminal, useColor } from '../../report/terminal.js';
import { writeAtomic } from '../../report/write.js';

export const REPORT_USAGE = 'usage: lbtest report RUN.json... [--html | --md | --junit | --terminal] [-o FILE]\n';

const FORMATS = ['html', 'md', 'junit', 'terminal'] as const;
type Format = (typeof FORMATS)[number];

function render(format: Format, reports: readonly RunReport[], color: boolean): string {
  switch (format) {
    case 'html': return renderHtml(reports);
    case 'md': return renderMarkdown(reports);
    case 'junit': return renderJunit(reports);
    case 'terminal': return reports.map((r) => renderTerminal(r, { color })).join('\n');
  }
}

export async function report(argv: readonly string[], io: Io): Promise<ExitCode> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv], allowPositionals: true,
      options: { html: { type: 'boolean' }, md: { type: 'boolean' }, junit: { type: 'boolean' }, terminal: { type: 'boolean' }, output: { type: 'string', short: 'o' } },
    }));
  } catch (e) {
    io.stderr.write(`lbtest: ${(e as Error).message}\n${REPORT_USAGE}`);
    return EXIT.usage;
  }
  const asked = FORMATS.filter((f) => values[f] === true);
  if (positionals.length === 0 || asked.length > 1) {
    io.stderr.write(`${asked.length > 1 ? `lbtest: one format at a time, found --${asked.join(' --')}\n` : ''}${REPORT_USAGE}`);
    return EXIT.usage;
  }
  const reports: RunReport[] = [];
  let bad = false;
  for (const file of positionals) {
    const loaded = loadReport(resolve(io.cwd, file));
    if (loaded.report !== undefined) reports.push(loaded.report);
    else { bad = true; for (const p of loaded.problems) io.stderr.write(`lbtest: ${p}\n`); }
  }
  if (bad) return EXIT.badInput;
  const format = asked[0] ?? 'terminal';
  const out = values.output;
  const color = out === undefined && format === 'terminal' && useColor((io.stdout as { isTTY?: boolean }).isTTY === true, process.env);
  const text = render(format, reports, color);
  if (out === undefined) { io.stdout.write(text); return EXIT.ok; }
  const path = resolve(io.cwd, out);
  try {
    writeAtomic(path, text);
  } catch (e) {
    io.stderr.write(`lbtest: cannot write ${path}: ${(e as Error).message}\n`);
    return EXIT.harness;
  }
  io.stderr.write(`report: ${path}\n`);
  return EXIT.ok;
}
