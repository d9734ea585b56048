/**
 * The bundled balancer's process life, as nginx's master and workers behave:
 * - start: read the configuration (nginx's messages on failure), write the pid file, listen;
 * - `worker_processes N` > 1: N worker processes (node:cluster), each with its own balancer state,
 *   as nginx without `zone`;
 * - SIGHUP: read the configuration again; a broken one is reported and the old one keeps serving;
 *   requests in flight finish on the configuration they started with;
 * - SIGTERM / SIGINT: stop accepting, let requests in flight finish, remove the pid file, exit 0.
 * Must not: exit on a client's or an upstream's misbehaviour.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig, ConfigError, formatDiagnostic } from '../config/load.js';
import type { NginxConfig } from '../config/model.js';
import { compileSite } from './http/site.js';
import { Front } from './http/front.js';
import { createUpstreamClient } from './proxy/index.js';

export interface ServeOptions {
  readonly file: string;
  readonly prefix: string | undefined;
  readonly stderr: NodeJS.WritableStream;
  /** Called once listening, with the bound addresses (tests and the runner wait on it). */
  readonly onReady?: (addresses: { host: string; port: number }[]) => void;
}

export interface Running {
  readonly front: Front | null;
  /** Resolves when the balancer has stopped. */
  readonly stopped: Promise<number>;
  stop(): Promise<void>;
  reload(): Promise<boolean>;
}

function emerg(out: NodeJS.WritableStream, e: unknown): void {
  if (e instanceof ConfigError) {
    for (const w of e.warnings) out.write(`lbtest: [warn] ${formatDiagnostic(w.message, w.source)}\n`);
    out.write(`lbtest: [emerg] ${e.nginxText}\n`);
  } else {
    out.write(`lbtest: [emerg] ${e instanceof Error ? e.message : String(e)}\n`);
  }
}

async function load(opts: ServeOptions): Promise<NginxConfig> {
  const { config, warnings } = await loadConfig(opts.file, opts.prefix === undefined ? {} : { prefix: opts.prefix });
  for (const w of warnings) opts.stderr.write(`lbtest: [warn] ${formatDiagnostic(w.message, w.source)}\n`);
  return config;
}

function workerCount(config: NginxConfig): number {
  return config.workerProcesses === 'auto' ? availableParallelism() : Math.max(1, config.workerProcesses);
}

/** Starts serving in this process (one worker), or as the master of N cluster workers. */
export async function serve(opts: ServeOptions): Promise<Running> {
  const config = await load(opts);
  if (cluster.isPrimary && workerCount(config) > 1) return master(opts, config);
  return worker(opts, config);
}

async function worker(opts: ServeOptions, config: NginxConfig): Promise<Running> {
  const client = createUpstreamClient();
  const siteOf = (c: NginxConfig) => compileSite(c, {
    client, onLogError: (path, err) => opts.stderr.write(`lbtest: [alert] cannot write "${path}": ${err.message}\n`),
  });
  const front = new Front(siteOf(config));
  await front.start();
  if (cluster.isPrimary) writePid(config.pid, opts.stderr);
  let resolveStopped!: (code: number) => void;
  const stopped = new Promise<number>((r) => { resolveStopped = r; });
  let stopping = false;
  const running: Running = {
    front,
    stopped,
    async stop() {
      if (stopping) return;
      stopping = true;
      await front.close();
      if (cluster.isPrimary) rmSync(front.site.config.pid, { force: true });
      resolveStopped(0);
    },
    async reload() {
      try {
        const next = await load(opts);
        await front.reload(siteOf(next));
        return true;
      } catch (e) {
        emerg(opts.stderr, e);
        return false;
      }
    },
  };
  opts.onReady?.(front.addresses());
  return running;
}

async function master(opts: ServeOptions, config: NginxConfig): Promise<Running> {
  // workers accept on the shared listening socket themselves, as nginx's workers do, instead
  // of the master accepting and handing each connection over IPC (node's default on Linux)
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let workers = new Set<ReturnType<typeof cluster.fork>>();
  const spawn = async (n: number): Promise<Set<ReturnType<typeof cluster.fork>>> => {
    const set = new Set<ReturnType<typeof cluster.fork>>();
    const ready: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      const w = cluster.fork({ LBTEST_WORKER: '1' });
      set.add(w);
      ready.push(new Promise((resolve) => w.once('message', resolve)));
    }
    await Promise.all(ready);
    return set;
  };
  workers = await spawn(workerCount(config));
  writePid(config.pid, opts.stderr);
  let resolveStopped!: (code: number) => void;
  const stopped = new Promise<number>((r) => { resolveStopped = r; });
  const stopAll = (set: Set<ReturnType<typeof cluster.fork>>): Promise<unknown> => Promise.all([...set].map((w) => new Promise((resolve) => {
    w.once('exit', resolve);
    w.send('stop');
  })));
  let stopping = false;
  return {
    front: null,
    stopped,
    async stop() {
      if (stopping) return;
      stopping = true;
      await stopAll(workers);
      rmSync(config.pid, { force: true });
      resolveStopped(0);
    },
    async reload() {
      try {
        const next = await load(opts);
        const old = workers;
        workers = await spawn(workerCount(next));
        await stopAll(old);
        return true;
      } catch (e) {
        emerg(opts.stderr, e);
        return false;
      }
    },
  };
}

function writePid(path: string, out: NodeJS.WritableStream): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${process.pid}\n`);
  } catch (e) {
    out.write(`lbtest: [alert] could not write pid file "${path}": ${(e as Error).message}\n`);
  }
}

export { emerg as printConfigError };
