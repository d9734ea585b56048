/**
 * `lbtest bench` end to end, small and bounded: the backends directly, lbtest and nginx (where
 * installed) in alternating rounds; the table on stdout, bench.json and github-action-benchmark's
 * two files written; HAProxy skipped with a message where absent; usage errors.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../cli.js';
import { EXIT } from '../exit-codes.js';
import { findNginxBinary } from '../../targets/target.js';
import { findHaproxy } from '../../bench/haproxy.js';

const dir = mkdtempSync(join(tmpdir(), 'lbtest-bench-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough(), err = new PassThrough();
  let o = '', e = '';
  out.on('data', (c: Buffer) => { o += c.toString(); });
  err.on('data', (c: Buffer) => { e += c.toString(); });
  const code = await main(argv, { stdout: out, stderr: err, cwd: dir });
  return { code, out: o, err: e };
}

t.test('usage errors', async (t) => {
  const r = await run(['bench', '--rounds', 'many']);
  t.equal(r.code, EXIT.usage);
  t.match(r.err, /--rounds must be an integer/);
  t.match(r.err, /usage: lbtest bench/);
});

t.test('a small bench, every target that can run here', async (t) => {
  const nginx = findNginxBinary() !== null;
  const r = await run(['bench', '--requests', '400', '--rounds', '2', '--warmup', '1', '--hold', '50', '--connections', '4', '--out', 'out']);
  t.equal(r.code, EXIT.ok, r.err);
  t.match(r.out, /\nkeep-alive \(medians/);
  t.match(r.out, /\ndirect +[\d,]+ /);
  t.match(r.out, /\nlbtest +[\d,]+ /);
  if (nginx) t.match(r.out, /\nnginx +[\d,]+ .* 1\.00x +1\.00x /); else t.match(r.out, /skipped nginx: nginx is not installed/);
  if (findHaproxy() === null) t.match(r.out, /skipped haproxy: HAProxy is not installed .*lbtest does not install it/);
  t.match(r.out, /lbtest +[\d.]+ MB \(idle [\d.]+ MB; 50 held\)/);
  const json = JSON.parse(readFileSync(join(dir, 'out/bench.json'), 'utf8')) as { rounds: { target: string; errors: number }[]; summaries: { target: string }[] };
  t.equal(json.rounds.length, 2 * (nginx ? 3 : 2));
  t.same(json.rounds.filter((x) => x.errors > 0), [], 'no errors');
  for (const file of ['bench-bigger-is-better.json', 'bench-smaller-is-better.json']) {
    const entries = JSON.parse(readFileSync(join(dir, 'out', file), 'utf8')) as { name: string; unit: string; value: number }[];
    t.ok(entries.length > 0 && entries.every((e) => typeof e.name === 'string' && typeof e.unit === 'string' && Number.isFinite(e.value)), file);
  }
});

t.test('a configuration of the user, templated; a new connection per request', async (t) => {
  writeFileSync(join(dir, 'site.conf'), 'events {}\nhttp {\n  access_log off;\n  upstream u { server {{x}}; }\n  server { listen {{listen}}; location / { proxy_pass http://u; } }\n}\n');
  const r = await run(['bench', '-c', 'site.conf', '--targets', 'lbtest', '--mode', 'close', '--requests', '500', '--rounds', '1', '--warmup', '0', '--hold', '0', '--connections', '2', '--out', 'out2']);
  t.equal(r.code, EXIT.ok, r.err);
  t.match(r.out, /\nnew connection per request \(medians/);
  t.match(r.out, /\nlbtest +[\d,]+ .* 0 +[-a-z,]+\n/, 'no errors');
});
