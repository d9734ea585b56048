/**
 * `lbtest check -c FILE [-p PREFIX] [-q]`: nginx -t. Same verdict and same messages, in nginx's
 * words and order: warnings, then either `syntax is ok` / `test is successful` or the first
 * `[emerg]` (with a caret excerpt under it) and `test failed`.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, formatDiagnostic } from '../../config/load.js';
import type { ConfigWarning } from '../../config/model.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../cli.js';

export const CHECK_USAGE = 'usage: lbtest check -c FILE [-p PREFIX] [-q]\n';

export async function check(argv: readonly string[], io: Io): Promise<ExitCode> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv], allowPositionals: true,
      options: { conf: { type: 'string', short: 'c' }, prefix: { type: 'string', short: 'p' }, quiet: { type: 'boolean', short: 'q' } },
    }));
  } catch (e) {
    io.stderr.write(`lbtest: ${(e as Error).message}\n${CHECK_USAGE}`);
    return EXIT.usage;
  }
  const conf = values.conf ?? positionals[0];
  if (conf === undefined || positionals.length > (values.conf === undefined ? 1 : 0)) {
    io.stderr.write(CHECK_USAGE);
    return EXIT.usage;
  }
  const prefix = values.prefix === undefined ? undefined : resolve(io.cwd, values.prefix);
  const file = isAbsolute(conf) ? conf : resolve(prefix ?? io.cwd, conf);
  return runCheck(file, prefix, values.quiet === true, io);
}

export async function runCheck(file: string, prefix: string | undefined, quiet: boolean, io: Io): Promise<ExitCode> {
  const out = io.stderr;
  try {
    const { warnings } = await loadConfig(file, prefix === undefined ? {} : { prefix });
    printWarnings(warnings, out);
    if (!quiet) {
      out.write(`lbtest: the configuration file ${file} syntax is ok\n`);
      out.write(`lbtest: configuration file ${file} test is successful\n`);
    }
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    printWarnings(e.warnings, out);
    if (e.afterSyntax && !quiet) out.write(`lbtest: the configuration file ${file} syntax is ok\n`);
    out.write(`lbtest: [emerg] ${e.nginxText}\n`);
    const excerpt = e.source === null ? '' : caret(e.source.file, e.source.line, e.source.col);
    if (excerpt) out.write(excerpt);
    out.write(`lbtest: configuration file ${file} test failed\n`);
    return EXIT.failed;
  }
}

function printWarnings(warnings: readonly ConfigWarning[], out: NodeJS.WritableStream): void {
  for (const w of warnings) out.write(`lbtest: [warn] ${formatDiagnostic(w.message, w.source)}\n`);
}

/** `  8 | liseten 80;` and a caret under the column, when the line can be read. */
export function caret(file: string, line: number, col: number | undefined): string {
  if (line <= 0) return '';
  let text: string;
  try { text = readFileSync(file, 'latin1'); } catch { return ''; }
  const src = text.split('\n')[line - 1];
  if (src === undefined) return '';
  const shown = src.replace(/\r$/, '').replace(/\t/g, ' ');
  const gutter = `${line} | `;
  const mark = col === undefined ? '' : `\n${' '.repeat(gutter.length + Math.max(0, col - 1))}^`;
  return `  ${gutter}${shown}${mark.replace('\n', '\n  ')}\n`;
}
