/**
 * Test helpers that run a balancer from a configuration: real nginx (the reference) and
 * `lbtest serve`, each in its own temporary prefix, both as child processes on 127.0.0.1.
 * Readiness is an event, not a wait: both write their pid file only after their sockets are
 * bound, and the prefix's logs/ folder is watched for it. Stopping kills the whole process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, watch, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './fixtures.js';

export { freePort } from '../runner/ports.js';

export interface RunningBalancer {
  readonly kind: 'nginx' | 'lbtest';
  readonly prefix: string;
  readonly child: ChildProcess;
  /** What the process wrote on stderr so far. */
  stderr(): string;
  errorLog(): string;
  /** Stops the process and removes its prefix, unless `keepPrefix` (then call `removePrefix`). */
  stop(keepPrefix?: boolean): Promise<void>;
  removePrefix(): void;
  reload(): void;
}

/** The main-context lines every test configuration gets; `http` is the http block's body. */
export function mainConfig(http: string): string {
  return `daemon off;\nmaster_process off;\nworker_processes 1;\npid logs/nginx.pid;\nerror_log logs/error.log info;\nevents { worker_connections 1024; }\nhttp {\n access_log off;\n${http}\n}\n`;
}

function waitForFile(dir: string, name: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dir);
    const done = (err?: Error): void => {
      watcher.close(); clearTimeout(timer); child.off('exit', onExit);
      if (err) reject(err); else resolve();
    };
    const onExit = (code: number | null): void => done(new Error(`balancer exited (${code}) before it was ready`));
    const timer = setTimeout(() => done(new Error(`balancer not ready after ${timeoutMs} ms`)), timeoutMs);
    watcher.on('change', (_e, f) => { if (String(f) === name && existsSync(join(dir, name))) done(); });
    child.on('exit', onExit);
    if (existsSync(join(dir, name))) done();
  });
}

async function start(kind: 'nginx' | 'lbtest', config: string, command: string, args: (conf: string, prefix: string) => string[]): Promise<RunningBalancer> {
  const prefix = mkdtempSync(join(tmpdir(), `lbtest-${kind}-`));
  mkdirSync(join(prefix, 'logs'));
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, config);
  const child = spawn(command, args(conf, prefix), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  try {
    await waitForFile(join(prefix, 'logs'), 'nginx.pid', child, 15_000);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n${err}`);
  }
  return {
    kind, prefix, child,
    stderr: () => err,
    errorLog: () => { try { return readFileSync(join(prefix, 'logs/error.log'), 'utf8'); } catch { return ''; } },
    reload: () => { child.kill('SIGHUP'); },
    async stop(keepPrefix = false) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await once(child, 'exit');
        clearTimeout(timer);
      }
      if (!keepPrefix) rmSync(prefix, { recursive: true, force: true });
    },
    removePrefix: () => rmSync(prefix, { recursive: true, force: true }),
  };
}

export function startNginx(nginx: string, config: string): Promise<RunningBalancer> {
  return start('nginx', config, nginx, (conf, prefix) => ['-c', conf, '-p', `${prefix}/`]);
}

export function startLbtest(config: string): Promise<RunningBalancer> {
  return start('lbtest', config, process.execPath, (conf, prefix) => [repoPath('bin/lbtest.js'), 'serve', '-c', conf, '-p', prefix]);
}
