/**
 * Steady traffic for control tests: a few workers, each sending one GET at a time, either on a new
 * connection per request or on a kept-alive one (reconnecting after a failure). Every outcome is
 * kept with the times it started and ended (performance.now(), this process), so a test can ask
 * what each request saw relative to a control acknowledgement. Bounded by maxRequests; waits are
 * on outcomes, never on time.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { get, open, parseResponse, probe } from './wire.js';

export type Result = number | 'refused' | 'reset' | 'fin' | 'timeout' | 'error';

export interface Outcome {
  readonly startedMs: number;
  readonly endedMs: number;
  readonly result: Result;
}

export interface TrafficOptions {
  readonly workers: number;
  readonly keepAlive: boolean;
  readonly maxRequests: number;
  readonly timeoutMs?: number;
}

export class Traffic {
  readonly outcomes: Outcome[] = [];
  #stopped = false;
  #waiters: { count: number; resolve: () => void }[] = [];
  readonly #done: Promise<void>;
  readonly #opts: TrafficOptions;

  constructor(port: number, opts: TrafficOptions) {
    this.#opts = opts;
    this.#done = Promise.all(Array.from({ length: opts.workers }, () => this.#worker(port))).then(() => {
      for (const w of this.#waiters) w.resolve();
    });
  }

  /** Resolves once `count` outcomes are in (or the traffic has ended). */
  reached(count: number): Promise<void> {
    if (this.outcomes.length >= count || this.#finished()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** `n` more outcomes than now. */
  more(n: number): Promise<void> { return this.reached(this.outcomes.length + n); }

  async stop(): Promise<Outcome[]> {
    this.#stopped = true;
    await this.#done;
    return this.outcomes;
  }

  /** Outcomes that started after `ms` (and, if given, ended before `untilMs`). */
  startedAfter(ms: number, untilMs = Infinity): Outcome[] {
    return this.outcomes.filter((o) => o.startedMs > ms && o.endedMs < untilMs);
  }

  #finished(): boolean { return this.#stopped || this.outcomes.length >= this.#opts.maxRequests; }

  #add(o: Outcome): void {
    this.outcomes.push(o);
    this.#waiters = this.#waiters.filter((w) => (this.outcomes.length >= w.count ? (w.resolve(), false) : true));
  }

  async #worker(port: number): Promise<void> {
    let socket: Socket | null = null;
    while (!this.#finished()) {
      const startedMs = performance.now();
      let result: Result;
      if (!this.#opts.keepAlive) {
        const r = await probe(port, get('/', ['Connection: close']), { timeoutMs: this.#opts.timeoutMs ?? 2000 });
        result = r.ending === 'fin' ? (parseResponse(r.bytes)?.status ?? 'fin') : r.ending;
      } else {
        try {
          if (socket === null) {
            socket = await open(port);
            socket.on('error', () => { /* reported by exchange() while a request is out */ });
          }
          result = await exchange(socket, this.#opts.timeoutMs ?? 2000);
        } catch (err) {
          result = (err as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'refused' : 'error';
        }
        if (typeof result !== 'number') { socket?.destroy(); socket = null; }
      }
      this.#add({ startedMs, endedMs: performance.now(), result });
    }
    socket?.destroy();
  }
}

/** One request on a kept-alive socket: its status, or how the socket failed. */
function exchange(socket: Socket, timeoutMs: number): Promise<Result> {
  return new Promise((resolve) => {
    let bytes = Buffer.alloc(0);
    const done = (r: Result): void => {
      socket.off('data', onData); socket.off('end', onEnd); socket.off('error', onError); socket.off('timeout', onTimeout);
      socket.setTimeout(0);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      bytes = Buffer.concat([bytes, chunk]);
      const res = parseResponse(bytes);
      if (res?.complete === true) done(res.status);
    };
    const onEnd = (): void => done('fin');
    const onError = (err: NodeJS.ErrnoException): void => done(err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'error');
    const onTimeout = (): void => done('timeout');
    socket.on('data', onData); socket.on('end', onEnd); socket.on('error', onError); socket.on('timeout', onTimeout);
    socket.setTimeout(timeoutMs);
    if (socket.destroyed || socket.writableEnded) return done('reset');
    socket.write(get('/'));
  });
}
