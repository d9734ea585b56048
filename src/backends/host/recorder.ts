/**
 * Request records, kept as columns: typed-array chunks of CHUNK_ROWS rows, and one interned string
 * table (id 0 is the empty string, meaning "absent") for addresses, URLs, methods, header values
 * and backend names. Recording a request is a handful of array stores and Map lookups.
 *
 * drain() hands over every row recorded since the previous drain as batches (full chunks as they
 * are, the last one trimmed) together with the strings interned since then; the runner keeps the
 * table (records.ts). Must not: build an object per request.
 */
import type { RecordBatch } from '../protocol.js';

export const CHUNK_ROWS = 16_384;

/** Fields of one row, filled by the connection and passed by reference (never kept). */
export interface RowInput {
  arrivalUs: number;
  backend: number;
  connId: number;
  inflight: number;
  peer: number;
  peerPort: number;
  xForwardedFor: number;
  xRealIp: number;
  method: number;
  url: number;
  action: number;
  status: number;
}

interface Chunk {
  arrivalUs: Float64Array; backend: Uint32Array; connId: Uint32Array; inflight: Uint32Array;
  peer: Uint32Array; peerPort: Uint16Array; xForwardedFor: Uint32Array; xRealIp: Uint32Array;
  method: Uint32Array; url: Uint32Array; action: Uint8Array; status: Uint16Array;
}

function newChunk(rows: number): Chunk {
  return {
    arrivalUs: new Float64Array(rows), backend: new Uint32Array(rows), connId: new Uint32Array(rows),
    inflight: new Uint32Array(rows), peer: new Uint32Array(rows), peerPort: new Uint16Array(rows),
    xForwardedFor: new Uint32Array(rows), xRealIp: new Uint32Array(rows), method: new Uint32Array(rows),
    url: new Uint32Array(rows), action: new Uint8Array(rows), status: new Uint16Array(rows),
  };
}

export class Interner {
  readonly #ids = new Map<string, number>([['', 0]]);
  readonly #strings: string[] = [''];
  #sent = 1; // the empty string is known to every reader

  id(s: string): number {
    let id = this.#ids.get(s);
    if (id === undefined) {
      id = this.#strings.length;
      this.#strings.push(s);
      this.#ids.set(s, id);
    }
    return id;
  }

  /** Strings added since the previous call, and the id of the first of them. */
  takeNew(): { stringBase: number; strings: string[] } {
    const stringBase = this.#sent;
    this.#sent = this.#strings.length;
    return { stringBase, strings: this.#strings.slice(stringBase) };
  }
}

export class Recorder {
  readonly strings = new Interner();
  readonly enabled: boolean;
  #chunk: Chunk = newChunk(CHUNK_ROWS);
  #fill = 0;
  #full: Chunk[] = [];

  constructor(enabled = true) { this.enabled = enabled; }

  get pending(): number { return this.#full.length * CHUNK_ROWS + this.#fill; }

  add(r: RowInput): void {
    if (!this.enabled) return;
    const c = this.#chunk, i = this.#fill;
    c.arrivalUs[i] = r.arrivalUs; c.backend[i] = r.backend; c.connId[i] = r.connId; c.inflight[i] = r.inflight;
    c.peer[i] = r.peer; c.peerPort[i] = r.peerPort; c.xForwardedFor[i] = r.xForwardedFor; c.xRealIp[i] = r.xRealIp;
    c.method[i] = r.method; c.url[i] = r.url; c.action[i] = r.action; c.status[i] = r.status;
    if (++this.#fill === CHUNK_ROWS) {
      this.#full.push(c);
      this.#chunk = newChunk(CHUNK_ROWS);
      this.#fill = 0;
    }
  }

  /** Every row since the previous drain, oldest first; the recorder starts empty again. */
  drain(): { batches: RecordBatch[]; stringBase: number; strings: string[] } {
    const batches: RecordBatch[] = this.#full.map((c) => ({ count: CHUNK_ROWS, ...c }));
    if (this.#fill > 0) batches.push(trim(this.#chunk, this.#fill));
    this.#full = [];
    this.#chunk = newChunk(CHUNK_ROWS);
    this.#fill = 0;
    return { batches, ...this.strings.takeNew() };
  }
}

/** A copy of the first `rows` rows (a view would carry its whole buffer across the channel). */
function trim(c: Chunk, rows: number): RecordBatch {
  return {
    count: rows,
    arrivalUs: c.arrivalUs.slice(0, rows), backend: c.backend.slice(0, rows), connId: c.connId.slice(0, rows),
    inflight: c.inflight.slice(0, rows), peer: c.peer.slice(0, rows), peerPort: c.peerPort.slice(0, rows),
    xForwardedFor: c.xForwardedFor.slice(0, rows), xRealIp: c.xRealIp.slice(0, rows), method: c.method.slice(0, rows),
    url: c.url.slice(0, rows), action: c.action.slice(0, rows), status: c.status.slice(0, rows),
  };
}

