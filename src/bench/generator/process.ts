/**
 * The bench's handle on its load generator, a separate Node process (main.ts) so that the
 * generator never shares an event loop with the backends or a balancer, and its CPU can be read
 * apart. One job at a time; every call resolves with the job's result or rejects if the process
 * dies. close() ends it (it also exits by itself when this process goes away).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { LbtestError } from '../../core/errors.js';
import type { FromGenerator, ToGenerator } from './main.js';
import { GENERATOR_FLAG, type HoldJob, type HoldResult, type LoadJob, type LoadResult } from './load.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

export class Generator {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #dead: Error | null = null;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (m: FromGenerator) => {
      const p = this.#pending.get(m.id);
      if (p === undefined) return;
      this.#pending.delete(m.id);
      if ('error' in m) p.reject(new LbtestError('TRAFFIC_RUN', `load generator: ${m.error}`));
      else p.resolve(m.result);
    });
    child.on('exit', (code, signal) => {
      this.#dead = new LbtestError('TRAFFIC_RUN', `load generator exited (${signal ?? code})`);
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    });
  }

  static async start(): Promise<Generator> {
    const child = fork(MAIN, [GENERATOR_FLAG], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
    const [first] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [null])])) as [FromGenerator | null];
    if (first === null) throw new LbtestError('TRAFFIC_RUN', 'load generator did not start');
    return new Generator(child);
  }

  get pid(): number { return this.#child.pid ?? 0; }

  load(job: LoadJob): Promise<LoadResult> { return this.#call({ job }) as Promise<LoadResult>; }

  hold(job: HoldJob): Promise<HoldResult> { return this.#call({ job }) as Promise<HoldResult>; }

  async release(): Promise<void> { await this.#call({ release: true }); }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.disconnect();
    await exited;
  }

  #call(body: { job: LoadJob | HoldJob } | { release: true }): Promise<unknown> {
    if (this.#dead !== null) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, ...body } as ToGenerator);
    });
  }
}
