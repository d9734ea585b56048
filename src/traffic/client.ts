/**
 * lbtest's own HTTP client, for sequential and modest-concurrency traffic where autocannon's
 * limits matter: it binds 127.a.b.c source addresses, reads the answering backend from every
 * response, and measures latency in µs (process.hrtime.bigint()).
 *
 *   sequential  one request at a time on one kept-alive connection: the order is exact
 *   concurrent  `connections` closed loops sharing a keep-alive agent of that many sockets
 *   rate        request i is due at start + i/rate; at most `connections` in flight, the rest
 *               queue; latency counts from the due time, so a slow balancer is not hidden
 *               (coordinated omission, wrk2's model)
 *
 * Invariant: it stops by itself — no request is issued past maxRequests or past maxDurationMs, and
 * each request is abandoned after timeoutMs, so a run lasts at most maxDurationMs + timeoutMs.
 * A refused, reset or hung request is a recorded outcome, never an exception. With bound source
 * addresses every request has its own connection (keep-alive per address would hold clients ×
 * connections sockets open at the balancer).
 */
import { Agent, request, type IncomingMessage } from 'node:http';
import { bodyBytesOf, keyValue, slotOf, sourceAddress } from './mix.js';
import { checkBindable, checkLoopback } from './preflight.js';
import { BACKEND_HEADER, ResultLog, classifyError, epochUs, type ClientErrorName, type ClientResults, type StopReason } from './results.js';
import type { TrafficSpec, TrafficTarget } from './spec.js';

/** A run in progress: count what is done, stop it early, await its results. */
export interface TrafficRun {
  readonly done: Promise<ClientResults>;
  completed(): number;
  /** Stops issuing, abandons what is in flight (recorded as `aborted`); done then resolves. */
  stop(): void;
}

export interface StartOptions {
  readonly signal?: AbortSignal;
}

export async function startOwnClient(target: TrafficTarget, spec: TrafficSpec, opts: StartOptions = {}): Promise<TrafficRun> {
  checkLoopback(target);
  if (spec.mix.sources.kind === 'bind') await checkBindable(sourceAddress(0));
  return new OwnClient(target, spec, opts.signal).start();
}

class OwnClient {
  readonly #log: ResultLog;
  readonly #agent: Agent;
  readonly #abort = new AbortController();
  readonly #body: Buffer | null;
  readonly #bind: boolean;
  readonly #inflight = new Set<() => void>();
  #issued = 0;
  #stoppedBy: StopReason = 'requests';
  #finished = false;
  #wake: (() => void) | null = null;
  #startHr = 0n;
  #deadlineHr = 0n;
  #startUs = 0;

  constructor(readonly target: TrafficTarget, readonly spec: TrafficSpec, signal: AbortSignal | undefined) {
    this.#log = new ResultLog(Math.min(spec.bounds.maxRequests, 1 << 16));
    this.#bind = spec.mix.sources.kind === 'bind';
    const sockets = spec.kind === 'sequential' ? 1 : spec.connections;
    this.#agent = new Agent({ keepAlive: !this.#bind, maxSockets: sockets, maxFreeSockets: sockets, scheduling: 'fifo' });
    this.#body = bodyBytesOf(spec.mix);
    if (signal !== undefined) {
      if (signal.aborted) this.stop();
      else signal.addEventListener('abort', () => this.stop(), { once: true });
    }
  }

  start(): TrafficRun {
    this.#startHr = process.hrtime.bigint();
    this.#startUs = epochUs();
    this.#deadlineHr = this.#startHr + BigInt(this.spec.bounds.maxDurationMs) * 1_000_000n;
    const spec = this.spec;
    const loops = spec.kind === 'rate' ? [this.#openLoop(spec.ratePerSec, spec.connections)]
      : Array.from({ length: spec.kind === 'sequential' ? 1 : spec.connections }, () => this.#closedLoop());
    const done = Promise.all(loops).then(() => this.#finish());
    return { done, completed: () => this.#log.count, stop: () => this.stop() };
  }

  stop(): void {
    if (this.#abort.signal.aborted || this.#finished) return;
    this.#stoppedBy = 'signal';
    this.#abort.abort();
    for (const cancel of [...this.#inflight]) cancel();
    this.#wake?.();
  }

  /** The next request number, or -1 once a bound is reached. */
  #next(): number {
    if (this.#abort.signal.aborted) return -1;
    if (this.#issued >= this.spec.bounds.maxRequests) { this.#stoppedBy = 'requests'; return -1; }
    if (process.hrtime.bigint() >= this.#deadlineHr) { this.#stoppedBy = 'time'; return -1; }
    return this.#issued++;
  }

  async #closedLoop(): Promise<void> {
    for (let seq = this.#next(); seq >= 0; seq = this.#next()) await this.#send(seq, process.hrtime.bigint());
  }

  /** Fires each request at its due time; waits for nothing but the slots. */
  #openLoop(ratePerSec: number, slots: number): Promise<void> {
    const intervalNs = 1e9 / ratePerSec;
    const queue: { seq: number; dueHr: bigint }[] = [];
    const running = new Set<Promise<void>>();
    return new Promise<void>((resolve) => {
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      const pump = (): void => {
        while (running.size < slots && queue.length > 0) {
          const { seq, dueHr } = queue.shift()!;
          const p = this.#send(seq, dueHr).then(() => { running.delete(p); pump(); });
          running.add(p);
        }
        if (finished && running.size === 0) resolve();
      };
      const tick = (): void => {
        const elapsedNs = Number(process.hrtime.bigint() - this.#startHr);
        while (this.#issued * intervalNs <= elapsedNs) {
          const dueHr = this.#startHr + BigInt(Math.round(this.#issued * intervalNs));
          const seq = this.#next();
          if (seq < 0) { finished = true; break; }
          queue.push({ seq, dueHr });
        }
        if (this.#abort.signal.aborted) { finished = true; queue.length = 0; }
        pump();
        if (!finished) timer = setTimeout(tick, Math.max(0, Math.floor((this.#issued * intervalNs - elapsedNs) / 1e6)));
      };
      this.#wake = () => { clearTimeout(timer); tick(); };
      tick();
    });
  }

  /** One request; resolves when it has been recorded, whatever happened to it. */
  #send(seq: number, fromHr: bigint): Promise<void> {
    const { mix, timeoutMs } = this.spec;
    const slot = slotOf(mix, seq);
    const headers: Record<string, string | number> = {};
    for (const [n, v] of mix.headers) headers[n] = v;
    if (mix.sources.kind === 'header') headers[mix.sources.name] = sourceAddress(slot.source, mix.sources.perSubnet);
    if (mix.keys.kind === 'header') headers[mix.keys.name] = keyValue(slot.key);
    if (this.#body !== null) headers['content-length'] = this.#body.length;
    const startUs = this.#startUs + Number(fromHr - this.#startHr) / 1000;
    return new Promise<void>((resolve) => {
      let status = 0, backend = '', settled = false;
      const settle = (error: ClientErrorName): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#inflight.delete(cancel);
        const latencyUs = Number(process.hrtime.bigint() - fromHr) / 1000;
        this.#log.add(seq, startUs, latencyUs, status, backend, error);
        resolve();
      };
      const req = request({
        host: this.target.host, port: this.target.port, method: mix.method, path: slot.path, headers, agent: this.#agent,
        ...(this.#bind ? { localAddress: sourceAddress(slot.source, mix.sources.kind === 'bind' ? mix.sources.perSubnet : 1) } : {}),
      });
      const cancel = (): void => { req.destroy(); settle('aborted'); };
      this.#inflight.add(cancel);
      const timer = setTimeout(() => { req.destroy(); settle('timeout'); }, timeoutMs);
      req.on('response', (res: IncomingMessage) => {
        status = res.statusCode ?? 0;
        const h = res.headers[BACKEND_HEADER];
        backend = typeof h === 'string' ? h : '';
        res.on('error', () => { /* the close handler below records it */ });
        res.on('close', () => settle(res.complete ? 'none' : 'truncated'));
        res.resume();
      });
      req.on('error', (err) => settle(classifyError(err)));
      req.end(this.#body ?? undefined);
    });
  }

  #finish(): ClientResults {
    this.#finished = true;
    this.#agent.destroy();
    const notes = this.#bind ? [`one connection per request (${this.spec.mix.sources.kind === 'bind' ? this.spec.mix.sources.count : 0} bound source addresses)`] : [];
    return this.#log.finish({
      generator: 'own', kind: this.spec.kind, startedUs: this.#startUs, endedUs: epochUs(), stoppedBy: this.#stoppedBy,
      latencyResolutionUs: 1, notes,
    });
  }
}

/** Runs to the end (a bound, or the signal) and returns what the client saw. */
export async function runOwnClient(target: TrafficTarget, spec: TrafficSpec, opts: StartOptions = {}): Promise<ClientResults> {
  const run = await startOwnClient(target, spec, opts);
  return run.done;
}
