/**
 * Test helpers for running the reference nginx: where it is, and `nginx -t` output reduced to
 * the comparable lines (`[emerg] message in file:line`, `syntax is ok`, `test failed`), with
 * timestamps and pids removed. lbtest's own output is reduced the same way, less the warnings
 * that only lbtest gives (directives it ignores) and the caret excerpts.
 */
import { execFile } from 'node:child_process';

/** The nginx binary on PATH or in /usr/sbin, or null. */
export { findNginxBinary as findNginx } from '../targets/target.js';

export interface TestOutput {
  readonly exitCode: number;
  readonly lines: readonly string[];
}

export function nginxTest(nginx: string, conf: string, prefix: string): Promise<TestOutput> {
  return new Promise((resolve) => {
    execFile(nginx, ['-t', '-c', conf, '-p', prefix.endsWith('/') ? prefix : prefix + '/'], { timeout: 10_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ exitCode: code, lines: reduceOutput(stdout + stderr, 'nginx') });
    });
  });
}

const LBTEST_ONLY = /by lbtest|in lbtest/;

/** Comparable lines of `nginx -t` or `lbtest check` output. */
export function reduceOutput(text: string, who: 'nginx' | 'lbtest'): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '' || raw.startsWith('  ')) continue;
    let line = raw
      .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[(\w+)\] \d+#\d+: /, '[$1] ')
      .replace(/^(nginx|lbtest): \[(\w+)\] /, '[$2] ')
      .replace(/^(nginx|lbtest): (the )?configuration file .* syntax is ok$/, 'syntax is ok')
      .replace(/^(nginx|lbtest): configuration file .* test is successful$/, 'test is successful')
      .replace(/^(nginx|lbtest): configuration file .* test failed$/, 'test failed');
    if (who === 'lbtest' && LBTEST_ONLY.test(line)) continue;
    line = line.replace(/ in \/.*\/([^/]+:\d+)$/, ' in $1');
    out.push(line);
  }
  return out;
}
