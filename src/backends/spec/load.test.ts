/**
 * The `backends:` format: what each form means, and located issues (file:line:col, key path, code)
 * for what is wrong — all of them at once.
 */
import t from 'tap';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBackendsFile, parseBackendsText, PACKAGE_PROFILE_DIR } from './load.js';
import { BackendsSpecError, type Issue } from './source.js';

function issues(text: string, opts = {}): string[] {
  try {
    parseBackendsText(text, 'suite.yaml', opts);
  } catch (err) {
    if (err instanceof BackendsSpecError) return err.issues.map((i: Issue) => `${i.location.line}:${i.location.col} ${i.code} ${i.path}`);
    throw err;
  }
  return [];
}

t.test('short forms: {}, nothing, a bare kind', async (t) => {
  const specs = parseBackendsText('backends:\n  a: {}\n  b:\n  c: dead\n  d: hang\n', 'x.yaml');
  t.same(specs.map((s) => [s.name, s.port, s.behaviour.kind]), [['a', 0, 'ok'], ['b', 0, 'ok'], ['c', 0, 'dead'], ['d', 0, 'hang']]);
  t.ok(Object.isFrozen(specs[0]!.behaviour), 'frozen');
});

t.test('every kind, normalized: durations to ms, sizes to bytes, defaults filled', async (t) => {
  const specs = parseBackendsText(`
name: a suite's other keys are not ours
backends:
  ok: { status: 201, headers: { X-A: 1 }, bodySize: 2k, port: 0 }
  st: { kind: status, status: 503, body: "down\\n" }
  sl: { kind: slow, delay: 1.5s, jitter: 20ms, seed: 9, trickle: { chunkSize: 1k, interval: 2m } }
  rs: { kind: reset, at: body, every: 3 }
  cl: { kind: close }
  fl: { kind: flaky, fault: { kind: slow, delay: 2s }, probability: 0.25, seed: 4 }
  sc: { kind: flaky, fault: reset, schedule: [ { from: 1s, to: 2s }, { from: 5s } ] }
`, 'x.yaml');
  const by = Object.fromEntries(specs.map((s) => [s.name, s.behaviour]));
  t.same(by['ok'], { kind: 'ok', reply: { status: 201, headers: [['X-A', '1']], body: { kind: 'size', bodyBytes: 2048 } } });
  t.same(by['st'], { kind: 'status', reply: { status: 503, headers: [], body: { kind: 'text', text: 'down\n' } } });
  t.match(by['sl'], { latency: { delayMs: 1500, jitterMs: 20, seed: 9 }, trickle: { chunkBytes: 1024, intervalMs: 120_000 } });
  t.match(by['rs'], { kind: 'reset', at: 'body', every: 3 });
  t.match(by['cl'], { kind: 'close', at: 'headers', every: 1 });
  t.match(by['fl'], { fault: { kind: 'slow', latency: { delayMs: 2000 } }, trigger: { kind: 'probability', probability: 0.25, seed: 4 } });
  t.same((by['sc'] as { trigger: unknown }).trigger, { kind: 'schedule', windows: [{ fromMs: 1000, toMs: 2000 }, { fromMs: 5000, toMs: Infinity }] });
});

t.test('every issue at once, each with its line, column, code and key path', async (t) => {
  t.same(issues(`backends:
  a: { kind: slow, delay: 50 }
  b: { kind: status }
  c: { colour: red }
  d: { kind: flaky, fault: { kind: status, status: 200 }, every: 2, probability: 0.5 }
  e: frobnicate
  f: { kind: reset, at: body, bodySize: 1 }
  g: { headers: { Content-Length: 5 } }
  h: { kind: flaky, fault: hang, schedule: [ { from: 2s, to: 1s } ] }
  "no good": ok
  i: { port: 7000 }
  j: { port: 7000, kind: static, root: /definitely/not/here }
`), [
    '2:27 SUITE_SHAPE backends.a.delay',
    '3:6 SUITE_SHAPE backends.b',
    '4:8 SUITE_SHAPE backends.c.colour',
    '5:52 SUITE_SHAPE backends.d.fault.status',
    '5:6 SUITE_SHAPE backends.d',
    '6:6 SUITE_SHAPE backends.e',
    '7:6 SUITE_RULE backends.f',
    '8:19 SUITE_RULE backends.g.headers.Content-Length',
    '9:46 SUITE_RULE backends.h.schedule[0]',
    '10:3 SUITE_SHAPE backends.no good',
    '12:40 SUITE_RULE backends.j.root',
  ]);
});

t.test('the section itself: missing, not a map, empty; YAML errors are SUITE_SYNTAX', async (t) => {
  t.same(issues('name: x\n'), ['1:1 SUITE_SHAPE backends']);
  t.same(issues('backends: [a, b]\n'), ['1:11 SUITE_SHAPE backends']);
  t.same(issues('backends: {}\n'), ['1:11 SUITE_SHAPE backends']);
  t.same(issues('backends:\n  a: {}\n  a: {}\n'), ['3:3 SUITE_SYNTAX ']);
  t.same(issues('backends:\n  a: { kind: ok\n'), ['3:1 SUITE_SYNTAX ']);
});

t.test('two backends on one fixed port is a rule error', async (t) => {
  t.same(issues('backends:\n  a: { port: 8081 }\n  b: { port: 8081 }\n'), ['3:3 SUITE_RULE backends.b']);
});

t.test('profiles: keys override, issues point into the profile file, no chains', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-profiles-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'mine.yaml'), 'kind: slow\ndelay: 10ms\njitter: 5\n');
  writeFileSync(join(dir, 'chain.yaml'), 'profile: slow\n');
  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'site.yaml'), 'kind: static\nroot: site\n');
  const [over] = parseBackendsText('backends:\n  a: { profile: slow, delay: 80ms, port: 0 }\n', 'x.yaml');
  t.match(over!.behaviour, { kind: 'slow', latency: { delayMs: 80, jitterMs: 10 } }, 'the shipped slow profile, delay overridden');
  const [site] = parseBackendsText('backends:\n  s: { profile: site }\n', 'x.yaml', { profileDirs: [dir] });
  t.match(site!.behaviour, { kind: 'static', root: join(dir, 'site') }, 'root relative to the profile file');
  let err: BackendsSpecError | undefined;
  try { parseBackendsText('backends:\n  a: { profile: mine }\n  b: { profile: chain }\n  c: { profile: nope }\n  d: { profile: ../x }\n', 'x.yaml', { profileDirs: [dir] }); } catch (e) { err = e as BackendsSpecError; }
  t.same(err!.issues.map((i) => [i.location.file.replace(dir, 'DIR'), i.location.line, i.path]), [
    ['DIR/mine.yaml', 3, 'backends.a.jitter'],
    ['DIR/chain.yaml', 1, 'backends.b.profile'],
    ['x.yaml', 4, 'backends.c.profile'],
    ['x.yaml', 5, 'backends.d.profile'],
  ]);
  t.match(err!.message, /DIR|mine\.yaml:3:9: backends\.a\.jitter: expected a duration .* \(from profile mine\), found 5/);
});

t.test('every shipped profile and the seed file load', async (t) => {
  const names = readdirSync(PACKAGE_PROFILE_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
  t.ok(names.length >= 15, `${names.length} profiles`);
  for (const name of names) {
    const [spec] = parseBackendsText(`backends:\n  x: { profile: ${name} }\n`, 'x.yaml');
    t.ok(spec, name);
  }
  const seed = loadBackendsFile(fileURLToPath(new URL('../../../backends/seed.yaml', import.meta.url)));
  t.same(seed.map((s) => [s.name, s.port, s.behaviour.kind]), [['load-balance1', 8081, 'static'], ['load-balance2', 8082, 'static']]);
});

t.test('an unreadable file is SUITE_SYNTAX with its name', async (t) => {
  t.throws(() => loadBackendsFile('/no/such/file.yaml'), { code: 'SUITE_SYNTAX', location: { file: '/no/such/file.yaml' } });
});
