/**
 * `lbtest bench` options: argv -> a frozen BenchOptions, every default in one table, every
 * duration in ms. Validation happens here once; the bench itself trusts what it gets.
 */
import { parseArgs } from 'node:util';
import type { GeneratorKind } from './generator/load.js';
import type { TargetKind } from './targets.js';

/** keep-alive closed loop, a new connection per request, or keep-alive at a fixed offered rate (open loop). */
export type Mode = 'keepalive' | 'close' | 'rate';

export interface BenchOptions {
  /** The nginx configuration file (templated); null: the default one. */
  readonly configFile: string | null;
  readonly targets: readonly TargetKind[];
  readonly modes: readonly Mode[];
  readonly connections: number;
  /** Requests per round in keep-alive mode; a new connection per request runs a fifth of them. */
  readonly requests: number;
  /** Bound on one round. */
  readonly roundMs: number;
  readonly rounds: number;
  readonly warmupRounds: number;
  /** worker_processes for every balancer, one pass each; null: as the configuration says (1 if unset). */
  readonly workers: readonly number[] | null;
  /** `ok` backends of the default configuration. */
  readonly backends: number;
  readonly generator: GeneratorKind;
  /** Idle client connections held for the memory reading; 0: none. */
  readonly hold: number;
  readonly path: string;
  /** Where bench.json and the github-action-benchmark files go. */
  readonly outDir: string;
  readonly nginxPath: string | null;
  readonly haproxyPath: string | null;
  /** Another lbtest checkout (bin/ and dist/ built) benched alongside as `lbtest@NAME`: before/after. */
  readonly baseline: { readonly dir: string; readonly name: string } | null;
  /** Exit 1 when lbtest misses its goals against nginx (summary.ts GOALS). */
  readonly gate: boolean;
  /** Requests per second offered in the `rate` mode (open loop); null: no such pass. */
  readonly rate: number | null;
}

export const DEFAULTS = {
  targets: ['direct', 'lbtest', 'nginx', 'haproxy'] as TargetKind[],
  modes: ['keepalive'] as Mode[],
  // as many as the default configuration's `keepalive 32`: with more client connections than
  // cached upstream ones, nginx (and lbtest) open and close upstream connections all the time,
  // and the bench would measure connection churn instead of keep-alive proxying
  connections: 32,
  requests: 100_000,
  roundMs: 20_000,
  rounds: 5,
  warmupRounds: 1,
  backends: 2,
  generator: 'lbtest' as GeneratorKind,
  hold: 1000,
  path: '/',
  outDir: 'reports/bench',
} as const;

export const BENCH_USAGE = `usage: lbtest bench [-c CONF] [--targets direct,lbtest,nginx,haproxy] [--mode keepalive|close|both|rate] [--rate N]
                   [--connections N] [--requests N] [--round-time SECONDS] [--rounds N] [--warmup N]
                   [--workers N[,N]] [--backends N] [--generator lbtest|autocannon] [--hold N]
                   [--path PATH] [--out DIR] [--nginx PATH] [--haproxy PATH] [--baseline DIR[=NAME]] [--gate]
`;

const TARGETS: readonly TargetKind[] = ['direct', 'lbtest', 'nginx', 'haproxy'];

function int(name: string, v: string | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, not "${v}"`);
  return n;
}

function list<T extends string>(name: string, v: string, allowed: readonly T[]): T[] {
  const out = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const s of out) if (!allowed.includes(s as T)) throw new Error(`--${name}: unknown "${s}" (one of ${allowed.join(', ')})`);
  return out as T[];
}

/** `DIR` or `DIR=NAME`; NAME defaults to the folder's name. */
function baselineOf(v: string | undefined): BenchOptions['baseline'] {
  if (v === undefined) return null;
  const eq = v.lastIndexOf('=');
  const dir = eq > 0 ? v.slice(0, eq) : v;
  const name = eq > 0 ? v.slice(eq + 1) : dir.replace(/\/+$/, '').split('/').pop() ?? 'baseline';
  if (dir === '' || name === '') throw new Error('--baseline needs a folder');
  return { dir, name };
}

/** Options from argv; throws an Error whose message is the usage complaint. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv], allowPositionals: true,
    options: {
      conf: { type: 'string', short: 'c' }, targets: { type: 'string' }, mode: { type: 'string' },
      connections: { type: 'string' }, requests: { type: 'string' }, 'round-time': { type: 'string' },
      rounds: { type: 'string' }, warmup: { type: 'string' }, workers: { type: 'string' }, backends: { type: 'string' },
      generator: { type: 'string' }, hold: { type: 'string' }, path: { type: 'string' }, out: { type: 'string' },
      nginx: { type: 'string' }, haproxy: { type: 'string' }, baseline: { type: 'string' }, gate: { type: 'boolean' },
      rate: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  const mode = values.mode ?? 'keepalive';
  if (!['keepalive', 'close', 'both', 'rate'].includes(mode)) throw new Error(`--mode must be keepalive, close, both or rate, not "${mode}"`);
  const generator = values.generator ?? DEFAULTS.generator;
  if (generator !== 'lbtest' && generator !== 'autocannon') throw new Error(`--generator must be lbtest or autocannon, not "${generator}"`);
  const rate = values.rate === undefined ? null : int('rate', values.rate, 0, 100, 10_000_000);
  if (mode === 'rate' && rate === null) throw new Error('--mode rate needs --rate N (requests per second)');
  if (rate !== null && generator !== 'lbtest') throw new Error('--rate needs --generator lbtest (autocannon paces in whole milliseconds and corrects latency in another unit)');
  // --rate adds the open-loop pass after the closed-loop ones
  const modes: Mode[] = mode === 'both' ? ['keepalive', 'close'] : mode === 'rate' ? [] : [mode as Mode];
  if (rate !== null) modes.push('rate');
  const path = values.path ?? DEFAULTS.path;
  if (!path.startsWith('/') || /\s/.test(path)) throw new Error(`--path must start with "/" and hold no spaces`);
  const workers = values.workers === undefined ? null : values.workers.split(',').map((w) => int('workers', w, 1, 1, 64));
  const targets = values.targets === undefined ? DEFAULTS.targets : list('targets', values.targets, TARGETS);
  if (targets.length === 0) throw new Error('--targets names none');
  return Object.freeze({
    configFile: values.conf ?? null,
    targets,
    modes,
    connections: int('connections', values.connections, DEFAULTS.connections, 1, 5000),
    requests: int('requests', values.requests, DEFAULTS.requests, 100, 10_000_000),
    roundMs: int('round-time', values['round-time'], DEFAULTS.roundMs / 1000, 1, 600) * 1000,
    rounds: int('rounds', values.rounds, DEFAULTS.rounds, 1, 100),
    warmupRounds: int('warmup', values.warmup, DEFAULTS.warmupRounds, 0, 10),
    workers,
    backends: int('backends', values.backends, DEFAULTS.backends, 1, 64),
    generator,
    hold: int('hold', values.hold, DEFAULTS.hold, 0, 15_000),
    path,
    outDir: values.out ?? DEFAULTS.outDir,
    nginxPath: values.nginx ?? null,
    haproxyPath: values.haproxy ?? null,
    baseline: baselineOf(values.baseline),
    gate: values.gate === true,
    rate,
  });
}
