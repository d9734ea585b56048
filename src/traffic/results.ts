/**
 * What the client saw, one row per request, in columns (a run may hold millions of rows): when it
 * started, how long it took, the status, which backend answered (the X-Lbtest-Backend header) and
 * the error, if any. Rows are in completion order; `seq` says which request of the mix a row is.
 *
 * Times: `startUs` is µs since the Unix epoch on the same clock as the backends' arrivalUs
 * (performance.timeOrigin-based); `latencyUs` is measured with process.hrtime.bigint().
 */
import { performance } from 'node:perf_hooks';
import type { Generator, TrafficKind } from './spec.js';

/** Why a request got no (complete) response. */
export const CLIENT_ERROR = { none: 0, refused: 1, reset: 2, closed: 3, truncated: 4, timeout: 5, aborted: 6, other: 7 } as const;
export type ClientErrorName = keyof typeof CLIENT_ERROR;
const ERROR_NAMES = (Object.keys(CLIENT_ERROR) as ClientErrorName[]).sort((a, b) => CLIENT_ERROR[a] - CLIENT_ERROR[b]);

/** The answering backend's name travels in this response header (backends/host/responses.ts). */
export const BACKEND_HEADER = 'x-lbtest-backend';

/** µs since the Unix epoch, the backends' clock. */
export function epochUs(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

export type StopReason = 'requests' | 'time' | 'signal';

export interface RunMeta {
  readonly generator: Generator;
  readonly kind: TrafficKind;
  readonly startedUs: number;
  readonly endedUs: number;
  readonly stoppedBy: StopReason;
  /** 1 for our own client; 1000 for autocannon (whole milliseconds). */
  readonly latencyResolutionUs: number;
  /** Measurement caveats for the report (autocannon reconnects, unbound sources …). */
  readonly notes: readonly string[];
}

interface Columns {
  seq: Uint32Array;
  startUs: Float64Array;
  latencyUs: Float64Array;
  status: Uint16Array;
  backend: Uint16Array;
  error: Uint8Array;
}

export class ClientResults {
  readonly count: number;
  readonly columns: Readonly<Columns>;
  /** Backend names by id; id 0 is '' (no header: an error, or a response not from a mock backend). */
  readonly backends: readonly string[];
  readonly meta: RunMeta;

  constructor(count: number, columns: Columns, backends: readonly string[], meta: RunMeta) {
    this.count = count;
    this.columns = columns;
    this.backends = backends;
    this.meta = meta;
  }

  get elapsedMs(): number { return (this.meta.endedUs - this.meta.startedUs) / 1000; }
  backend(i: number): string { return this.backends[this.columns.backend[i]!] ?? ''; }
  error(i: number): ClientErrorName { return ERROR_NAMES[this.columns.error[i]!]!; }

  /** One row as an object (tests, small sets). */
  row(i: number): { seq: number; startUs: number; latencyUs: number; status: number; backend: string; error: ClientErrorName } {
    const c = this.columns;
    return { seq: c.seq[i]!, startUs: c.startUs[i]!, latencyUs: c.latencyUs[i]!, status: c.status[i]!, backend: this.backend(i), error: this.error(i) };
  }
}

/** Grows by doubling; finish() trims. Backend names are interned once. */
export class ResultLog {
  #count = 0;
  #cols: Columns;
  readonly #names: string[] = [''];
  readonly #ids = new Map<string, number>([['', 0]]);

  constructor(capacity = 1024) {
    this.#cols = alloc(Math.max(16, capacity));
  }

  get count(): number { return this.#count; }

  add(seq: number, startUs: number, latencyUs: number, status: number, backend: string, error: ClientErrorName): void {
    if (this.#count === this.#cols.seq.length) this.#cols = grow(this.#cols, this.#count * 2);
    const c = this.#cols, i = this.#count++;
    c.seq[i] = seq; c.startUs[i] = startUs; c.latencyUs[i] = latencyUs; c.status[i] = status;
    c.backend[i] = this.#intern(backend); c.error[i] = CLIENT_ERROR[error];
  }

  finish(meta: RunMeta): ClientResults {
    return new ClientResults(this.#count, grow(this.#cols, this.#count), [...this.#names], meta);
  }

  #intern(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.#names.length;
      if (id > 0xffff) return 0;   // more distinct names than a Uint16 holds: not mock backends
      this.#names.push(name);
      this.#ids.set(name, id);
    }
    return id;
  }
}

function alloc(n: number): Columns {
  return { seq: new Uint32Array(n), startUs: new Float64Array(n), latencyUs: new Float64Array(n), status: new Uint16Array(n), backend: new Uint16Array(n), error: new Uint8Array(n) };
}

function grow(c: Columns, n: number): Columns {
  const out = alloc(n);
  const keep = Math.min(n, c.seq.length);
  out.seq.set(c.seq.subarray(0, keep)); out.startUs.set(c.startUs.subarray(0, keep)); out.latencyUs.set(c.latencyUs.subarray(0, keep));
  out.status.set(c.status.subarray(0, keep)); out.backend.set(c.backend.subarray(0, keep)); out.error.set(c.error.subarray(0, keep));
  return out;
}

/** Node's socket errors -> what a person calls them. */
export function classifyError(err: unknown): ClientErrorName {
  const e = err as { code?: string; message?: string; name?: string } | null;
  if (e?.name === 'AbortError') return 'aborted';
  switch (e?.code) {
    case 'ECONNREFUSED': return 'refused';
    case 'ECONNRESET': return e.message === 'socket hang up' ? 'closed' : e.message === 'aborted' ? 'truncated' : 'reset';
    case 'EPIPE': return 'reset';
    case 'ETIMEDOUT': return 'timeout';
    case 'ERR_STREAM_PREMATURE_CLOSE': return 'truncated';
    default: return 'other';
  }
}
