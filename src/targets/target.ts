/**
 * Targets: the balancer a run sends its traffic to. `bundled` is `lbtest serve` as a child
 * process; `nginx` a real nginx (from PATH or a given binary) in a temporary prefix; `url` a
 * balancer already running. A target that fails to start, or dies during the run, is reported
 * as such (TARGET_START, TARGET_DIED) with what it printed — never as a wrong distribution.
 *
 * Readiness and reloads are events: both balancers write their pid file once their sockets are
 * bound, and say in their error log when a reload took effect or failed.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LbtestError } from '../core/errors.js';

export type TargetKind = 'bundled' | 'nginx' | 'url';

export interface TargetExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export interface Target {
  readonly kind: TargetKind;
  /** `http://127.0.0.1:PORT` (or the URL given). */
  readonly url: string;
  readonly pid: number | null;
  /** Resolves if the process ends before stop() was called. */
  readonly died: Promise<TargetExit>;
  /** Writes a new configuration and reloads it; rejects with what the balancer said when it refused. */
  reload(configText: string): Promise<void>;
  stop(): Promise<void>;
  /** The last lines the balancer wrote to stderr and its error log. */
  output(): string;
}

export interface StartOptions {
  readonly kind: TargetKind;
  /** A whole nginx.conf (main context), its addresses filled in. */
  readonly config: string;
  /** The port the configuration listens on (127.0.0.1). */
  readonly port: number;
  readonly nginxPath?: string;
  readonly url?: string;
  readonly startTimeoutMs?: number;
}

const CLI = fileURLToPath(new URL('../../bin/lbtest.js', import.meta.url));

/** nginx on PATH or in the usual sbin folders, or null. */
export function findNginxBinary(): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];
  for (const d of dirs) if (d && existsSync(join(d, 'nginx'))) return join(d, 'nginx');
  return null;
}

function waitFor(dir: string, name: string, ms: number, died: Promise<unknown>): Promise<void> {
  return new Promise((ok, fail) => {
    let settled = false;
    const w = watch(dir);
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true; w.close(); clearTimeout(timer);
      if (err) fail(err); else ok();
    };
    const timer = setTimeout(() => settle(new Error(`not ready after ${ms} ms`)), ms);
    w.on('change', (_e, f) => { if (String(f) === name && existsSync(join(dir, name))) settle(); });
    void died.then(() => settle(new Error('it exited before it was ready')));
    // Checked after the watch is set, so a file written in between is not missed.
    if (existsSync(join(dir, name))) settle();
  });
}

export async function startTarget(opts: StartOptions): Promise<Target> {
  if (opts.kind === 'url') return urlTarget(opts.url ?? `http://127.0.0.1:${opts.port}`);
  const nginx = opts.kind === 'nginx' ? opts.nginxPath ?? findNginxBinary() : null;
  if (opts.kind === 'nginx' && nginx === null) {
    throw new LbtestError('TARGET_START', 'nginx target: no nginx binary found on PATH or in /usr/sbin', { hint: 'install nginx (apt-get install nginx-light) or pass --nginx PATH' });
  }
  const prefix = mkdtempSync(join(tmpdir(), `lbtest-${opts.kind}-`));
  mkdirSync(join(prefix, 'logs'));
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, opts.config);
  const child: ResultPromise = opts.kind === 'nginx'
    ? execa(nginx!, ['-c', conf, '-p', `${prefix}/`, '-g', 'daemon off;'], { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', detached: true })
    : execa(process.execPath, [CLI, 'serve', '-c', conf, '-p', prefix], { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', cleanup: true });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-20_000); });
  let stopping = false;
  // nginx's workers outlive a killed master: the whole process group goes, here or at exit.
  const group = opts.kind === 'nginx' && child.pid !== undefined ? child.pid : null;
  const killGroup = (): void => { if (group !== null) { try { process.kill(-group, 'SIGKILL'); } catch { /* gone */ } } };
  if (group !== null) process.once('exit', killGroup);
  const exited = child.then((r) => ({ code: r.exitCode ?? null, signal: r.signal ?? null }));
  const died = exited.then((e) => (stopping ? new Promise<TargetExit>(() => undefined) : e));
  const errorLog = (): string => {
    try { return readFileSync(join(prefix, 'logs/error.log'), 'utf8'); } catch { return ''; }
  };
  const output = (): string => (stderr + errorLog()).split('\n').slice(-30).join('\n');
  try {
    await waitFor(join(prefix, 'logs'), 'nginx.pid', opts.startTimeoutMs ?? 15_000, exited);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    killGroup();
    const said = output();
    rmSync(prefix, { recursive: true, force: true });
    throw new LbtestError('TARGET_START', `${opts.kind} target did not start: ${(e as Error).message}${said ? `\n${said}` : ''}`);
  }
  return {
    kind: opts.kind, url: `http://127.0.0.1:${opts.port}`, pid: child.pid ?? null, died, output,
    async reload(configText) {
      writeFileSync(conf, configText);
      const read = (): string => (opts.kind === 'nginx' ? errorLog() : stderr);
      const mark = read().length;
      const watcher = opts.kind === 'nginx' ? watch(join(prefix, 'logs')) : child.stderr!;
      const event = opts.kind === 'nginx' ? 'change' : 'data';
      child.kill('SIGHUP');
      try {
        await reloadOutcome(opts.kind, read, mark, (cb) => { watcher.on(event, cb); }, died);
      } finally {
        if (watcher !== child.stderr) (watcher as ReturnType<typeof watch>).close();
      }
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      killGroup();
      process.removeListener('exit', killGroup);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the balancer says the reload took effect (or refused it): each time it writes
 * (`onWrite`), what it wrote since `mark` is read again.
 */
function reloadOutcome(kind: TargetKind, text: () => string, mark: number, onWrite: (cb: () => void) => void, died: Promise<TargetExit>): Promise<void> {
  // nginx: the old worker has stopped accepting once it says it is shutting down.
  const ok = kind === 'nginx' ? /gracefully shutting down/ : /configuration reloaded/;
  return new Promise((done, fail) => {
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true; clearTimeout(timer);
      if (err) fail(err); else done();
    };
    const check = (): void => {
      const said = text().slice(mark);
      const emerg = /\[emerg\][^\n]*/.exec(said);
      if (emerg) settle(new LbtestError('TARGET_START', `${kind} target refused the new configuration: ${emerg[0]}`));
      else if (ok.test(said)) settle();
    };
    const timer = setTimeout(() => settle(new LbtestError('TARGET_START', `${kind} target did not confirm the reload in 10 s`)), 10_000);
    onWrite(check);
    void died.then((e) => settle(new LbtestError('TARGET_DIED', `${kind} target died during a reload (${e.code ?? e.signal})`)));
    check();
  });
}

function urlTarget(url: string): Target {
  const u = new URL(url);
  return {
    kind: 'url', url: `${u.protocol}//${u.host}`, pid: null, died: new Promise(() => undefined), output: () => '',
    reload: () => Promise.reject(new LbtestError('TARGET_START', 'a url target cannot be reloaded: lbtest does not run it')),
    stop: () => Promise.resolve(),
  };
}

export function repoFile(...parts: string[]): string {
  return resolve(fileURLToPath(new URL('../..', import.meta.url)), ...parts);
}
