/**
 * Rounds reduced to medians, ratios to nginx at the same worker count, flags and the goals against nginx;
 * and the reports made from them (text, bench.json, github-action-benchmark), on fixtures.
 */
import t from 'tap';
import type { Round } from './measure.js';
import { median, summarize, verdicts } from './summary.js';
import { gabEntries, missed, renderJson, renderText } from './report.js';
import type { BenchRun } from './run.js';
import { parseBenchArgs } from './options.js';

function round(target: string, r: number, rps: number, p99Us: number, extra: Partial<Round> = {}): Round {
  return {
    target, mode: 'keepalive', round: r, offeredRate: null, requestsPerSecond: rps, responses: rps * 2, errors: 0, non2xx: 0, serverClosed: 0,
    connects: 32, elapsedMs: 2000, stoppedBy: 'requests',
    latency: { count: rps * 2, meanUs: p99Us / 3, p50Us: p99Us / 4, p90Us: p99Us / 2, p99Us, p999Us: p99Us * 2, maxUs: p99Us * 3 },
    generatorCores: 0.3, generatorLoop: 0.3, targetCores: 0.9, backendCores: 0.3, machineBusyCores: 1.5, foreignCores: 0,
    backendConnects: 0, backendRequests: rps * 2, ...extra,
  };
}

const ROUNDS: Round[] = [
  round('nginx', 1, 50_000, 1000), round('lbtest', 1, 30_000, 1400), round('direct', 1, 90_000, 500, { generatorLoop: 0.95 }),
  round('nginx', 2, 54_000, 1100), round('lbtest', 2, 32_000, 1500, { serverClosed: 2 }), round('direct', 2, 92_000, 480, { generatorLoop: 0.97 }),
  round('nginx', 3, 52_000, 1200, { foreignCores: 0.5 }), round('lbtest', 3, 34_000, 1700, { errors: 1 }), round('direct', 3, 95_000, 470, { generatorLoop: 0.5 }),
  round('lbtest w2', 1, 40_000, 1200), round('nginx w2', 1, 60_000, 900),
];

t.test('medians, spread, ratios to nginx and flags', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 2, 3]), 2.5);
  t.equal(median([]), 0);
  const s = summarize(ROUNDS);
  t.same(s.map((x) => x.target), ['nginx', 'lbtest', 'direct', 'lbtest w2', 'nginx w2']);
  const lb = s.find((x) => x.target === 'lbtest')!;
  t.equal(lb.requestsPerSecond, 32_000);
  t.equal(lb.p99Us, 1500);
  t.equal(lb.spread, 4_000 / 32_000);
  t.same(lb.vsNginx, { throughput: 32_000 / 52_000, p99: 1500 / 1100 });
  t.same(lb.flags, ['closed', 'errors']);
  t.same(s.find((x) => x.target === 'direct')!.flags, ['generator'], 'generator-bound in the median round');
  t.same(s.find((x) => x.target === 'nginx')!.flags, [], 'one busy round of three does not flag the median');
  t.same(s.find((x) => x.target === 'lbtest w2')!.vsNginx, { throughput: 40_000 / 60_000, p99: 1200 / 900 }, 'compared with nginx at the same worker count');
  t.equal(lb.cpuUsPerRequest, (0.9 / 32_000) * 1e6);
});

t.test('goals against nginx', async (t) => {
  const v = verdicts(summarize(ROUNDS), [{ target: 'lbtest', connections: 1000, held: 1000, idleRssBytes: 60 * 2 ** 20, heldRssBytes: 80 * 2 ** 20 }]);
  t.same(v.map((x) => [x.ok, x.value]), [
    [true, '62%'], [true, '1.36x'], [false, '1'], [true, '80.0 MB (1000 held)'], [true, '1.25x'],
  ]);
});

t.test('open loop: behind the offered rate is flagged, and the p99 goal is read at the same rate', async (t) => {
  const at = (target: string, r: number, rps: number, p99Us: number): Round => round(target, r, rps, p99Us, { mode: 'rate', offeredRate: 30_000 });
  const s = summarize([at('nginx', 1, 30_000, 900), at('lbtest', 1, 29_950, 1_200), at('nginx', 2, 29_990, 1_000), at('lbtest', 2, 25_000, 40_000), at('lbtest', 3, 29_900, 1_300)]);
  t.same(s.find((x) => x.target === 'lbtest')!.flags, [], 'the median round kept up');
  const v = verdicts(s, []);
  t.same(v.map((x) => [x.goal, x.ok, x.value]), [["lbtest p99 <= 1.5x nginx's (keep-alive, same offered rate)", true, '1.37x']]);
  const behind = summarize([at('nginx', 1, 30_000, 900), at('lbtest', 1, 20_000, 90_000)]);
  t.same(behind.find((x) => x.target === 'lbtest')!.flags, ['behind']);
  t.equal(verdicts(behind, [])[0]!.ok, false, 'a target that fell behind misses the goal whatever its ratio');
});

const RUN: BenchRun = {
  options: parseBenchArgs(['--rounds', '3', '--hold', '1000']),
  machine: { cpus: 2, cpuModel: 'CPU', node: 'v20.0.0', nginx: 'nginx/1.22.1', haproxy: null, loadAverage1m: 0.5 },
  configText: '', rounds: ROUNDS, startedAt: '2026-01-01T00:00:00.000Z',
  memory: [{ target: 'lbtest', connections: 1000, held: 1000, idleRssBytes: 60 * 2 ** 20, heldRssBytes: 80 * 2 ** 20 }],
  skipped: [{ target: 'haproxy', reason: 'HAProxy is not installed' }],
};

t.test('the text report', async (t) => {
  const text = renderText(RUN);
  t.match(text, /machine: 2 CPUs \(CPU\), node v20\.0\.0, nginx\/1\.22\.1, HAProxy: absent/);
  t.match(text, /\nlbtest +32,000 +13% +375 +750 +1,500 +3,000 +0\.62x +1\.36x +28\.1 /);
  t.match(text, /lbtest +80\.0 MB \(idle 60\.0 MB; 1,000 held\)/);
  t.match(text, /MISS {2}lbtest: no errors: 1/);
  t.match(text, /generator: the generator's event loop/);
  t.match(text, /skipped haproxy: HAProxy is not installed/);
  t.same(missed(RUN).map((v) => v.goal), ['lbtest: no errors']);
  const json = JSON.parse(renderJson(RUN)) as { summaries: unknown[]; verdicts: unknown[]; rounds: unknown[] };
  t.equal(json.rounds.length, ROUNDS.length);
  t.equal(json.summaries.length, 5);
});

t.test('github-action-benchmark entries: bigger and smaller is better', async (t) => {
  const [bigger, smaller] = gabEntries(RUN);
  t.same(bigger.find((e) => e.name === 'lbtest keep-alive req/s'), { name: 'lbtest keep-alive req/s', unit: 'req/s', value: 32_000, range: '±6.3%', extra: 'median of 3 rounds, 32 connections; flags: closed,errors' });
  t.same(bigger.find((e) => e.name === 'lbtest keep-alive req/s vs nginx'), { name: 'lbtest keep-alive req/s vs nginx', unit: 'ratio', value: 0.615 });
  t.ok(smaller.some((e) => e.name === 'lbtest keep-alive p99' && e.unit === 'µs' && e.value === 1500));
  t.ok(smaller.some((e) => e.name === 'lbtest RSS holding 1000 connections' && e.unit === 'MB' && e.value === 80));
  t.notOk(bigger.some((e) => e.name === 'nginx keep-alive req/s vs nginx'), 'no ratio of nginx to itself');
  for (const e of [...bigger, ...smaller]) t.ok(typeof e.name === 'string' && typeof e.unit === 'string' && Number.isFinite(e.value), e.name);
});

t.test('options: defaults, lists, and complaints', async (t) => {
  const d = parseBenchArgs([]);
  t.same([d.connections, d.requests, d.rounds, d.warmupRounds, d.hold, d.generator, d.workers, d.baseline], [32, 100_000, 5, 1, 1000, 'lbtest', null, null]);
  t.same(d.targets, ['direct', 'lbtest', 'nginx', 'haproxy']);
  const o = parseBenchArgs(['-c', 'x.conf', '--mode', 'both', '--workers', '1,2', '--targets', 'lbtest,nginx', '--baseline', '../old=before', '--round-time', '5']);
  t.same([o.configFile, o.modes, o.workers, o.targets, o.baseline, o.roundMs], ['x.conf', ['keepalive', 'close'], [1, 2], ['lbtest', 'nginx'], { dir: '../old', name: 'before' }, 5000]);
  t.same(parseBenchArgs(['--baseline', '/tmp/v1/']).baseline, { dir: '/tmp/v1/', name: 'v1' });
  t.throws(() => parseBenchArgs(['--targets', 'envoy']), /unknown "envoy"/);
  t.throws(() => parseBenchArgs(['--connections', '0']), /--connections must be an integer from 1/);
  t.throws(() => parseBenchArgs(['--mode', 'fast']), /--mode must be/);
  t.same(parseBenchArgs(['--rate', '20000']).modes, ['keepalive', 'rate'], '--rate adds the open-loop pass');
  t.same([parseBenchArgs(['--mode', 'rate', '--rate', '500']).modes, parseBenchArgs(['--mode', 'rate', '--rate', '500']).rate], [['rate'], 500]);
  t.throws(() => parseBenchArgs(['--mode', 'rate']), /--mode rate needs --rate/);
  t.throws(() => parseBenchArgs(['--rate', '5000', '--generator', 'autocannon']), /--rate needs --generator lbtest/);
  t.throws(() => parseBenchArgs(['--path', 'x']), /--path must start with/);
  t.throws(() => parseBenchArgs(['extra']), /unexpected argument/);
});
