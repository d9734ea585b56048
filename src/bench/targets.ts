/**
 * What a bench sends its load to: the backends directly (the ceiling), the bundled balancer,
 * nginx and HAProxy, each from the same nginx configuration (HAProxy's translated), each on its
 * own 127.0.0.1 port. lbtest and nginx are started by the targets stage (src/targets); HAProxy
 * here. A target is started once and serves every round; its processes (master and workers) are
 * found again at each reading, so a worker that restarts is still counted.
 * Must not: install anything; start HAProxy when it is absent (the caller says it was skipped).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { startTarget, type Target } from '../targets/target.js';
import { LbtestError } from '../core/errors.js';
import { haproxyArgs } from './haproxy.js';
import { processTree } from './procstat.js';

export type TargetKind = 'direct' | 'lbtest' | 'nginx' | 'haproxy';

export interface BenchTarget {
  /** `lbtest`, `nginx`, ... with ` w2` when it runs 2 workers. */
  readonly id: string;
  readonly kind: TargetKind;
  readonly workers: number;
  /** Where the generator connects (several for `direct`: one per backend). */
  readonly ports: readonly number[];
  /** The target's processes now; none for `direct` (the backends are read on their own). */
  pids(): number[];
  /** Set once the target has exited unexpectedly. */
  exited(): string | null;
  stop(): Promise<void>;
}

export { freePort } from '../runner/ports.js';

export function targetId(kind: TargetKind, workers: number): string {
  return workers === 1 || kind === 'direct' ? kind : `${kind} w${workers}`;
}

export function directTarget(ports: readonly number[]): BenchTarget {
  return { id: 'direct', kind: 'direct', workers: 1, ports, pids: () => [], exited: () => null, stop: () => Promise.resolve() };
}

/** lbtest (`lbtest serve`) or nginx, from a configuration placed at `port`. */
export async function balancerTarget(kind: 'lbtest' | 'nginx', config: string, port: number, workers: number, nginxPath?: string): Promise<BenchTarget> {
  const t: Target = await startTarget({ kind: kind === 'lbtest' ? 'bundled' : 'nginx', config, port, ...(nginxPath === undefined ? {} : { nginxPath }) });
  let gone: string | null = null;
  void t.died.then((e) => { gone = `${kind} exited (${e.signal ?? e.code}): ${t.output().split('\n').slice(-3).join(' ')}`; });
  return {
    id: targetId(kind, workers), kind, workers, ports: [port],
    pids: () => (t.pid === null ? [] : processTree(t.pid)),
    exited: () => gone,
    stop: () => t.stop(),
  };
}

function waitForFile(dir: string, name: string, timeoutMs: number, exited: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const w = watch(dir);
    const done = (err?: Error): void => { w.close(); clearTimeout(timer); if (err) reject(err); else resolve(); };
    const timer = setTimeout(() => done(new Error(`not ready after ${timeoutMs} ms`)), timeoutMs);
    w.on('change', (_e, f) => { if (String(f) === name && existsSync(join(dir, name))) done(); });
    void exited.then(() => done(new Error('it exited before it was ready')));
    if (existsSync(join(dir, name))) done();
  });
}

interface Spawned { readonly id: string; readonly kind: TargetKind; readonly workers: number; readonly port: number }

/** A target run here as a child process in its own folder `root`, ready once `pidFile` exists. */
async function spawnedTarget(t: Spawned, command: string, args: string[], root: string, pidFile: string): Promise<BenchTarget> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let said = '';
  child.stderr!.on('data', (c: Buffer) => { said = (said + c.toString()).slice(-4000); });
  const exited = once(child, 'exit');
  let stopping = false, gone: string | null = null;
  void exited.then(([code, signal]) => { if (!stopping) gone = `${t.id} exited (${signal ?? code}): ${said.trim().split('\n').slice(-3).join(' ')}`; });
  try {
    await waitForFile(dirname(pidFile), basename(pidFile), 15_000, exited);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw new LbtestError('TARGET_START', `${t.id} did not start: ${(e as Error).message}\n${said}`);
  }
  return {
    id: t.id, kind: t.kind, workers: t.workers, ports: [t.port],
    pids: () => (child.pid === undefined ? [] : processTree(child.pid)),
    exited: () => gone,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function haproxyTarget(binary: string, cfgText: string, port: number, workers: number): Promise<BenchTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-haproxy-'));
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, cfgText);
  return spawnedTarget({ id: targetId('haproxy', workers), kind: 'haproxy', workers, port }, binary, haproxyArgs(cfg, join(dir, 'haproxy.pid')), dir, join(dir, 'haproxy.pid'));
}

/**
 * Another build of lbtest (a checkout with bin/ and dist/), run as `lbtest@NAME`: the bench's
 * before/after, the two builds measured in the same alternating rounds.
 */
export function baselineTarget(checkout: string, name: string, config: string, port: number, workers: number): Promise<BenchTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-baseline-'));
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'nginx.conf'), config);
  const id = `lbtest@${name}${workers === 1 ? '' : ` w${workers}`}`;
  return spawnedTarget({ id, kind: 'lbtest', workers, port }, process.execPath, [join(checkout, 'bin/lbtest.js'), 'serve', '-c', join(dir, 'nginx.conf'), '-p', dir], dir, join(dir, 'logs/nginx.pid'));
}
