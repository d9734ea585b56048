/**
 * One named backend in the host: its listener on 127.0.0.1, its open connections, its current plan
 * and its counters. kill / revive / switch resolve only once their effect holds on the wire:
 *   kill    the listening socket is closed (new connects: ECONNREFUSED) and every open
 *           connection has been reset (RST) and closed;
 *   revive  the same port listens again;
 *   switch  the new plan is in place: the next request parsed, on any connection, follows it.
 * A `dead` behaviour is a killed backend that keeps its port; reviving it makes it `ok`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LbtestError, type ErrorCode } from '../../core/errors.js';
import { behaviours, describeBehaviour, type BackendSpec, type Behaviour, type Latency } from '../behaviour.js';
import type { BackendInfo, BackendStats } from '../protocol.js';
import { Connection, type ConnectionOwner } from './connection.js';
import { compilePlan, type Action, type Plan } from './plan.js';
import type { Recorder } from './recorder.js';

export const HOST = '127.0.0.1';
const LISTEN_BACKLOG = 4096;

export class Backend implements ConnectionOwner {
  readonly name: string;
  readonly nameId: number;
  readonly recorder: Recorder;
  #port: number;
  #server: Server | null = null;
  #plan: Plan;
  #planRequests = 0;
  #planConnections = 0;
  readonly #conns = new Set<Connection>();
  readonly #nextConnId: () => number;
  #connectionsOpened = 0;
  #openConnections = 0;
  #peakConnections = 0;
  #requests = 0;
  #inflight = 0;
  #peakInflight = 0;
  #resetsAtAccept = 0;
  #badRequests = 0;

  private constructor(spec: BackendSpec, plan: Plan, recorder: Recorder, nextConnId: () => number) {
    this.name = spec.name;
    this.#port = spec.port;
    this.#plan = plan;
    this.recorder = recorder;
    this.nameId = recorder.strings.id(spec.name);
    this.#nextConnId = nextConnId;
  }

  /** Listens (or, for `dead`, takes a port and lets it go) before it resolves. */
  static async start(spec: BackendSpec, recorder: Recorder, nextConnId: () => number): Promise<Backend> {
    const plan = await compilePlan(spec.name, spec.behaviour, performance.now());
    const backend = new Backend(spec, plan, recorder, nextConnId);
    await backend.#listen('BACKEND_START');
    if (spec.behaviour.kind === 'dead') await backend.kill();
    return backend;
  }

  get listening(): boolean { return this.#server !== null; }

  async kill(): Promise<void> {
    const server = this.#server;
    if (server === null) return;
    this.#server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const conn of this.#conns) conn.reset();
    await closed;
  }

  async revive(): Promise<void> {
    if (this.#plan.behaviour.kind === 'dead') await this.#setPlan(behaviours.ok());
    await this.#listen('BACKEND_CONTROL');
  }

  async switch(behaviour: Behaviour): Promise<void> {
    const wasDead = this.#plan.behaviour.kind === 'dead';
    await this.#setPlan(behaviour);
    if (behaviour.kind === 'dead') await this.kill();
    else if (wasDead) await this.#listen('BACKEND_CONTROL');
  }

  async #setPlan(behaviour: Behaviour): Promise<void> {
    this.#plan = await compilePlan(this.name, behaviour, performance.now());
    this.#planRequests = 0;
    this.#planConnections = 0;
  }

  async #listen(code: ErrorCode): Promise<void> {
    if (this.#server !== null) return;
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => this.#onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new LbtestError(code,
        `backend "${this.name}" cannot listen on ${HOST}:${this.#port}: ${err.message}`, { cause: err })));
      server.listen({ host: HOST, port: this.#port, backlog: LISTEN_BACKLOG }, resolve);
    });
    server.on('error', () => { /* accept errors (EMFILE): the listener stays; nothing to report to */ });
    const address = server.address();
    if (address !== null && typeof address === 'object') this.#port = address.port;
    this.#server = server;
  }

  #onConnection(socket: Socket): void {
    this.#connectionsOpened += 1;
    this.#openConnections += 1;
    if (this.#openConnections > this.#peakConnections) this.#peakConnections = this.#openConnections;
    if (this.#plan.resetAtAccept(++this.#planConnections, performance.now())) {
      this.#resetsAtAccept += 1;
      socket.on('error', () => {});
      socket.on('close', () => { this.#openConnections -= 1; });
      socket.resetAndDestroy();
      return;
    }
    this.#conns.add(new Connection(this, socket, this.#nextConnId()));
  }

  // ConnectionOwner: called by connections, in the hot path.
  arrive(): number {
    this.#requests += 1;
    if (++this.#inflight > this.#peakInflight) this.#peakInflight = this.#inflight;
    return this.#inflight;
  }
  decide(url: string, nowMs: number): Action { return this.#plan.decide(url, ++this.#planRequests, nowMs); }
  delayMs(latency: Latency): number { return this.#plan.delayMs(latency); }
  depart(): void { this.#inflight -= 1; }
  requestBad(): void { this.#badRequests += 1; }
  closed(conn: Connection): void {
    this.#conns.delete(conn);
    this.#openConnections -= 1;
  }

  info(): BackendInfo {
    const b = this.#plan.behaviour;
    return {
      name: this.name, port: this.#port, address: `${HOST}:${this.#port}`, listening: this.listening,
      kind: b.kind, description: describeBehaviour(b),
    };
  }

  stats(resetPeaks: boolean): BackendStats {
    const s: BackendStats = {
      ...this.info(),
      connectionsOpened: this.#connectionsOpened, openConnections: this.#openConnections,
      peakConnections: this.#peakConnections, requests: this.#requests, inflight: this.#inflight,
      peakInflight: this.#peakInflight, resetsAtAccept: this.#resetsAtAccept, badRequests: this.#badRequests,
    };
    if (resetPeaks) {
      this.#peakConnections = this.#openConnections;
      this.#peakInflight = this.#inflight;
    }
    return s;
  }
}
