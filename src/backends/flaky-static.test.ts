/**
 * flaky (every Nth, seeded probability, schedule) and static (the seed's two sites, from the shipped
 * profiles) as a client on the wire sees them.
 */
import t from 'tap';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { behaviours as b, type Fault, type Trigger } from './behaviour.js';
import { startBackendHost } from './client.js';
import { parseBackendsText } from './spec/load.js';
import { get, parseResponse, probe } from './testing/wire.js';

const host = await startBackendHost();
t.teardown(() => host.stop());

/** What n sequential requests (a connection each) saw: status or how the connection ended. */
async function sequence(port: number, n: number, timeoutMs = 2000): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await probe(port, get('/', ['Connection: close']), { timeoutMs });
    seen.push(r.ending === 'fin' ? String(parseResponse(r.bytes)?.status ?? 'fin') : r.ending);
  }
  return seen;
}

const flaky = async (name: string, fault: Fault, trigger: Trigger): Promise<number> =>
  (await host.define({ name, port: 0, behaviour: b.flaky(fault, trigger) })).port;

t.test('flaky every 4th: 502 on requests 4 and 8, 200 otherwise', async (t) => {
  const port = await flaky('f4', { kind: 'status', reply: { status: 502, headers: [], body: { kind: 'name' } } }, { kind: 'every', every: 4 });
  t.same(await sequence(port, 8), ['200', '200', '200', '502', '200', '200', '200', '502']);
});

t.test('flaky with a seeded probability: the same seed draws the same faults', async (t) => {
  const trigger: Trigger = { kind: 'probability', probability: 0.5, seed: 42 };
  const one = await sequence(await flaky('p1', { kind: 'reset', at: 'headers' }, trigger), 40);
  const two = await sequence(await flaky('p2', { kind: 'reset', at: 'headers' }, trigger), 40);
  const other = await sequence(await flaky('p3', { kind: 'reset', at: 'headers' }, { ...trigger, seed: 43 }), 40);
  t.same(one, two, 'same seed, same sequence');
  t.not(one.join(), other.join(), 'another seed, another sequence');
  const faults = one.filter((s) => s === 'reset').length;
  t.ok(faults >= 8 && faults <= 32, `${faults} faults of 40 at p=0.5`);
});

t.test('flaky on a schedule: faults inside the window only', async (t) => {
  const always = await flaky('w-all', { kind: 'close', at: 'headers' }, { kind: 'schedule', windows: [{ fromMs: 0, toMs: 3_600_000 }] });
  const later = await flaky('w-later', { kind: 'close', at: 'headers' }, { kind: 'schedule', windows: [{ fromMs: 3_600_000, toMs: Infinity }] });
  t.same(await sequence(always, 3), ['fin', 'fin', 'fin'], 'closed without a response inside the window');
  t.same(await sequence(later, 3), ['200', '200', '200'], 'served before the window');
});

t.test('flaky on a schedule: the window ends on time (the schedule counts from the switch)', async (t) => {
  const port = (await host.define({ name: 'w-short', port: 0, behaviour: b.ok() })).port;
  const sentMs = performance.now();
  await host.switch('w-short', b.flaky({ kind: 'status', reply: { status: 503, headers: [], body: { kind: 'name' } } },
    { kind: 'schedule', windows: [{ fromMs: 0, toMs: 150 }] }));
  const seen: { status: string; atMs: number }[] = [];
  for (let i = 0; i < 50_000 && seen.at(-1)?.status !== '200'; i++) {
    const [status] = await sequence(port, 1);
    seen.push({ status: status!, atMs: performance.now() - sentMs });
  }
  t.equal(seen[0]!.status, '503', 'inside the window');
  t.equal(seen.at(-1)!.status, '200', 'served again once the window closed');
  t.ok(seen.at(-1)!.atMs >= 150, `first 200 at ${seen.at(-1)!.atMs.toFixed(0)}ms after the switch was sent`);
});

t.test('flaky slow fault: every 2nd request is late', async (t) => {
  const port = await flaky('slow2', { kind: 'slow', latency: { delayMs: 150, jitterMs: 0, seed: 1 }, trickle: null }, { kind: 'every', every: 2 });
  const firstBytes: number[] = [];
  for (let i = 0; i < 4; i++) firstBytes.push((await probe(port, get('/', ['Connection: close']))).reads[0]!.atMs);
  t.ok(firstBytes[0]! < 145 && firstBytes[2]! < 145, `fast: ${firstBytes[0]!.toFixed(0)}, ${firstBytes[2]!.toFixed(0)}ms`);
  t.ok(firstBytes[1]! >= 145 && firstBytes[3]! >= 145, `slow: ${firstBytes[1]!.toFixed(0)}, ${firstBytes[3]!.toFixed(0)}ms`);
});

t.test('reset at accept every 2nd connection', async (t) => {
  const port = (await host.define({ name: 'ra2', port: 0, behaviour: b.reset('accept', 2) })).port;
  t.same(await sequence(port, 4), ['200', 'reset', '200', 'reset']);
  const stats = (await host.stats()).backends.find((x) => x.name === 'ra2')!;
  t.same([stats.connectionsOpened, stats.resetsAtAccept, stats.requests], [4, 2, 2]);
});

t.test("static: the seed's two sites, from the shipped profiles", async (t) => {
  const specs = parseBackendsText('backends:\n  one: { profile: load-balance1.com }\n  two: { profile: load-balance2.com }\n', 'inline.yaml');
  const [one, two] = await host.defineAll(specs);
  for (const [info, site] of [[one!, 'load-balance1'], [two!, 'load-balance2']] as const) {
    for (const path of ['/', '/index.html', '/?q=1']) {
      const res = parseResponse((await probe(info.port, get(path, ['Connection: close']))).bytes)!;
      t.equal(res.status, 200, `${site} ${path}`);
      t.match(res.body.toString(), `<h1>${site}</h1>`);
      t.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      t.equal(res.headers.get('x-lbtest-backend'), info.name);
    }
    t.equal(parseResponse((await probe(info.port, get('/missing', ['Connection: close']))).bytes)!.status, 404);
  }
});

t.test('static: a directory redirects to its slash and serves its index; escapes are decoded', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'lbtest-site-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'sub dir'));
  writeFileSync(join(root, 'sub dir', 'home.txt'), 'inside\n');
  const { port } = await host.define({ name: 'site', port: 0, behaviour: b.static(root, 'home.txt') });
  const redirect = parseResponse((await probe(port, get('/sub%20dir', ['Connection: close']))).bytes)!;
  t.equal(redirect.status, 301);
  t.equal(redirect.headers.get('location'), '/sub%20dir/');
  const index = parseResponse((await probe(port, get('/sub%20dir/', ['Connection: close']))).bytes)!;
  t.same([index.status, index.body.toString(), index.headers.get('content-type')], [200, 'inside\n', 'text/plain; charset=utf-8']);
  t.equal(parseResponse((await probe(port, get('/../etc/passwd', ['Connection: close']))).bytes)!.status, 404);
});
