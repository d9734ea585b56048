/**
 * The differential corpus: every configuration in fixtures/corpus goes through `lbtest check`
 * and through `nginx -t`, and both must give the same verdict and the same message at the same
 * line. Where nginx is not installed the live half is skipped (loudly) and lbtest is held to the
 * output recorded from nginx 1.22.1 in expected.json.
 */
import t from 'tap';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../cli/commands/check.js';
import { captureIo } from '../testing/capture.js';
import { findNginx, nginxTest, reduceOutput } from '../testing/nginx.js';
import { repoPath } from '../testing/fixtures.js';

const corpus = repoPath('src/config/fixtures/corpus');
const expected = JSON.parse(readFileSync(join(corpus, 'expected.json'), 'utf8')) as {
  cases: Record<string, { exitCode: number; lines: string[] }>;
};
const dir = mkdtempSync(join(tmpdir(), 'lbtest-corpus-'));
cpSync(corpus, dir, { recursive: true });
mkdirSync(join(dir, 'logs'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const nginx = findNginx();
if (nginx === null) {
  t.comment('NOTICE: nginx is not installed: the live nginx -t comparison is SKIPPED; lbtest is checked against recorded nginx 1.22.1 output only');
  t.test('live nginx -t comparison', { skip: 'nginx is not installed (apt-get install nginx-light)' }, () => {});
}

const files = readdirSync(dir).filter((f) => f.endsWith('.conf')).sort();
t.ok(files.length >= 40, `at least 40 configurations in the corpus (found ${files.length})`);

for (const f of files) {
  t.test(f, async (t) => {
    const conf = join(dir, f);
    const cap = captureIo(dir);
    const code = await runCheck(conf, dir, false, cap.io);
    const lbtest = reduceOutput(cap.err(), 'lbtest').map((l) => l.replaceAll(dir, '<prefix>'));
    const recorded = expected.cases[f];
    t.ok(recorded, 'has a recorded nginx result');
    if (recorded) t.same({ exitCode: code, lines: lbtest }, recorded, 'matches recorded nginx 1.22.1 output');
    if (nginx === null) return;
    const live = await nginxTest(nginx, conf, dir);
    t.same({ exitCode: code, lines: lbtest }, { exitCode: live.exitCode, lines: live.lines.map((l) => l.replaceAll(dir, '<prefix>')) },
      'same verdict and messages as live nginx -t');
  });
}
