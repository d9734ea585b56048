/**
 * `lbtest backends up`: usage and located input errors, the listing it prints, and a real process
 * stopped by SIGINT that takes its host down with it.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { get, parseResponse, probe } from '../../backends/testing/wire.js';
import { main } from '../cli.js';
import { EXIT } from '../exit-codes.js';
import { backendsUp } from './backends.js';

function capture() {
  const out = new PassThrough(); const err = new PassThrough();
  let o = ''; let e = '';
  out.on('data', (c: Buffer) => { o += c.toString(); });
  err.on('data', (c: Buffer) => { e += c.toString(); });
  return { io: { stdout: out, stderr: err, cwd: dir }, out, text: () => ({ out: o, err: e }) };
}

/** Resolves with everything read once `marker` has appeared on the stream. */
function until(stream: NodeJS.ReadableStream, marker: string): Promise<string> {
  let seen = '';
  return new Promise((resolve) => {
    const onData = (c: Buffer): void => {
      seen += c.toString();
      if (seen.includes(marker)) { stream.off('data', onData); resolve(seen); }
    };
    stream.on('data', onData);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'lbtest-backends-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'two.yaml');
writeFileSync(file, 'backends:\n  web: { profile: load-balance1.com }\n  gone: dead\n');

t.test('usage errors', async (t) => {
  for (const argv of [['backends'], ['backends', 'up'], ['backends', 'down', 'x'], ['backends', 'up', 'a', 'b'], ['backends', 'up', '--nope', 'x']]) {
    const c = capture();
    t.equal(await main(argv, c.io), EXIT.usage, argv.join(' '));
    t.match(c.text().err, /usage: lbtest backends up FILE/);
  }
});

t.test('an invalid file exits 3 with every located issue', async (t) => {
  writeFileSync(join(dir, 'bad.yaml'), 'backends:\n  a: { kind: slow }\n  b: { delay: 5ms }\n');
  const c = capture();
  t.equal(await main(['backends', 'up', 'bad.yaml'], c.io), EXIT.badInput);
  t.match(c.text().err, /bad\.yaml:2:6: backends\.a: a slow backend needs/);
  t.match(c.text().err, /bad\.yaml:3:8: backends\.b\.delay: unknown key "delay"/);
});

t.test('up: prints addresses and an upstream block, serves, stops when told', async (t) => {
  const c = capture();
  let stop = (): void => {};
  const running = backendsUp(file, [], c.io, new Promise<void>((resolve) => { stop = resolve; }));
  const listing = await until(c.out, 'upstream backends {');
  const web = /web\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(listing);
  t.ok(web, listing);
  t.match(listing, /gone\s+http:\/\/127\.0\.0\.1:\d+\s+dead \(refuses connections\)/);
  t.match(listing, /server 127\.0\.0\.1:\d+; {2}# not listening/);
  const res = parseResponse((await probe(Number(web![1]), get('/', ['Connection: close']))).bytes)!;
  t.match(res.body.toString(), '<h1>load-balance1</h1>');
  stop();
  t.equal(await running, EXIT.ok);
  t.match(c.text().out, /backends stopped/);
  t.equal((await probe(Number(web![1]), get('/'))).ending, 'refused');
});

t.test('a real `lbtest backends up` process stops cleanly on SIGINT', async (t) => {
  const entry = fileURLToPath(new URL('../main.js', import.meta.url));
  const child = spawn(process.execPath, [entry, 'backends', 'up', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => { child.kill('SIGKILL'); });
  const listing = await until(child.stdout, 'upstream backends {');
  const port = Number(/web\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(listing)![1]);
  t.equal(parseResponse((await probe(port, get('/', ['Connection: close']))).bytes)!.status, 200);
  const stopped = until(child.stdout, 'backends stopped');
  child.kill('SIGINT');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.equal(code, EXIT.ok);
  await stopped;
  t.equal((await probe(port, get('/'))).ending, 'refused', 'its backends went with it');
});
