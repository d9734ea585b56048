/**
 * The runner's handle on a backend host: starts host/main.js as its own Node process (execa, IPC
 * with structured-clone serialization) so that the backends' event loop never competes with the
 * traffic generator's, and turns the control channel into promises.
 *
 * Every control promise resolves once the effect holds on the wire (protocol.ts). If the host dies,
 * every pending and later call rejects with BACKEND_CONTROL; stop() is idempotent and also reaps it.
 * The host exits by itself when this process goes away (it watches the IPC channel).
 */
import { execaNode, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';
import { LbtestError, type ErrorCode } from '../core/errors.js';
import type { BackendSpec, Behaviour } from './behaviour.js';
import type { BackendInfo, Command, DrainResult, HostMessage, HostStats, RecordBatch } from './protocol.js';
import { RecordSet } from './records.js';

export interface HostOptions {
  /** Record every request (default true); off only to measure what recording costs. */
  readonly record?: boolean;
  /** Bound on the host's start-up, in ms (default 15000). */
  readonly startTimeoutMs?: number;
}

const HOST_SCRIPT = fileURLToPath(new URL('./host/main.js', import.meta.url));
/** After `stop` is acknowledged the host exits at once; past this bound it is killed. */
const EXIT_GRACE_MS = 5000;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly batches: RecordBatch[];
}

/** Starts a host process and resolves once it is ready for commands. */
export async function startBackendHost(opts: HostOptions = {}): Promise<BackendHost> {
  const proc = execaNode(HOST_SCRIPT, ['--lbtest-backend-host', ...(opts.record === false ? ['--no-record'] : [])], {
    ipc: true, serialization: 'advanced', nodeOptions: [],
    stdin: 'ignore', stdout: 'ignore', stderr: 'pipe',
    buffer: { ipc: false, stdout: false, stderr: true }, reject: false, cleanup: true,
  });
  const host = new BackendHost(proc);
  await host.ready(opts.startTimeoutMs ?? 15_000);
  return host;
}

export class BackendHost {
  readonly #proc: ResultPromise;
  readonly #pending = new Map<number, Pending>();
  readonly #infos = new Map<string, BackendInfo>();
  readonly #strings: string[] = [''];
  /** Record chunks streamed since the last drain. */
  #streamed: RecordBatch[] = [];
  readonly #exited: Promise<void>;
  #nextId = 1;
  #dead: LbtestError | null = null;
  #ready: (() => void) | null = null;
  #stopping: Promise<void> | null = null;

  constructor(proc: ResultPromise) {
    this.#proc = proc;
    proc.on('message', (m: HostMessage) => this.#onMessage(m));
    this.#exited = proc.then((result) => {
      const tail = String(result.stderr ?? '').trim().split('\n').slice(-5).join('\n');
      const how = result.signal !== undefined ? `signal ${result.signal}` : `code ${result.exitCode}`;
      this.#fail(new LbtestError('BACKEND_CONTROL', `backend host exited (${how})${tail === '' ? '' : `: ${tail}`}`));
    });
  }

  get pid(): number | undefined { return this.#proc.pid; }

  /** Settles when the host process has exited, for whatever reason. */
  get exited(): Promise<void> { return this.#exited; }

  /** Resolves when the host has said it is ready; rejects if it exits or is too slow first. */
  async ready(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.#ready = resolve;
        this.#exited.then(() => reject(this.#dead));
        timer = setTimeout(() => reject(new LbtestError('BACKEND_START', `backend host not ready after ${timeoutMs}ms`)), timeoutMs);
      });
    } catch (err) {
      this.#proc.kill('SIGKILL');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Starts a backend; resolves once it listens (or, for `dead`, once its port is chosen and closed). */
  async define(spec: BackendSpec): Promise<BackendInfo> {
    return this.#control({ op: 'define', spec });
  }

  async defineAll(specs: readonly BackendSpec[]): Promise<BackendInfo[]> {
    return Promise.all(specs.map((s) => this.define(s)));
  }

  /** Closes the listener and resets every open connection; new connects are refused. */
  async kill(name: string): Promise<BackendInfo> { return this.#control({ op: 'kill', name }); }

  /** Listens again on the same port. */
  async revive(name: string): Promise<BackendInfo> { return this.#control({ op: 'revive', name }); }

  /** The next request parsed (on any connection) follows `behaviour`; counts and schedules restart. */
  async switch(name: string, behaviour: Behaviour): Promise<BackendInfo> { return this.#control({ op: 'switch', name, behaviour }); }

  /** Every request recorded since the previous drain. */
  async drain(): Promise<RecordSet> {
    const id = this.#nextId;
    const { result, batches } = await this.#call<DrainResult>({ op: 'drain' });
    if (result.stringBase !== this.#strings.length) {
      throw new LbtestError('INTERNAL', `drain ${id}: string table out of step (${result.stringBase} vs ${this.#strings.length})`);
    }
    this.#strings.push(...result.strings);
    const all = [...this.#streamed, ...batches];
    this.#streamed = [];
    return new RecordSet(all, this.#strings);
  }

  /** Counters of every backend and the host's CPU time; resetPeaks starts new peak windows. */
  async stats(opts: { resetPeaks?: boolean } = {}): Promise<HostStats> {
    return (await this.#call<HostStats>({ op: 'stats', resetPeaks: opts.resetPeaks ?? false })).result;
  }

  /** The last known state of a backend (from its latest control reply). */
  info(name: string): BackendInfo {
    const info = this.#infos.get(name);
    if (info === undefined) throw new LbtestError('BACKEND_CONTROL', `no backend named "${name}"`);
    return info;
  }

  address(name: string): string { return this.info(name).address; }

  get backends(): readonly BackendInfo[] { return [...this.#infos.values()]; }

  /** Closes every backend and waits for the host process to exit. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.#dead === null) await this.#call({ op: 'stop' }).catch(() => undefined);
      const timer = setTimeout(() => this.#proc.kill('SIGKILL'), EXIT_GRACE_MS);
      await this.#exited;
      clearTimeout(timer);
    })();
    return this.#stopping;
  }

  async #control(cmd: Command): Promise<BackendInfo> {
    const info = (await this.#call<BackendInfo>(cmd)).result;
    this.#infos.set(info.name, info);
    return info;
  }

  #call<T>(cmd: Command): Promise<{ result: T; batches: RecordBatch[] }> {
    if (this.#dead !== null) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const batches: RecordBatch[] = [];
      this.#pending.set(id, { resolve: (result) => resolve({ result: result as T, batches }), reject, batches });
      // A failed send means the channel is gone: the host is exiting (it does when its channel
      // closes), and its exit rejects this call with the reason, in #fail.
      this.#proc.send({ ...cmd, id }, () => {});
    });
  }

  #onMessage(m: HostMessage): void {
    if (m.type === 'ready') { this.#ready?.(); return; }
    if (m.type === 'records') { this.#streamed.push(m.batch); return; }
    const pending = this.#pending.get(m.id);
    if (pending === undefined) return;
    if (m.type === 'batch') { pending.batches.push(m.batch); return; }
    this.#pending.delete(m.id);
    if (m.ok) pending.resolve(m.result);
    else pending.reject(new LbtestError(m.code as ErrorCode, m.message));
  }

  #fail(err: LbtestError): void {
    this.#dead ??= err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
