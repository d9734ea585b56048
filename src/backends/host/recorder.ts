/**
 * Request records, kept as columns: typed-array chunks of CHUNK_ROWS rows, and one interned string
 * table (id 0 is the empty string, meaning "absent") for addresses, URLs, methods, header values
 * and backend names. Recording a request is a handful of array stores and Map lookups.
 *
 * With a `ship` callback (the host's), each chunk is shipped the moment it fills and then written
 * over: memory stays at one chunk, and no request pays for fresh pages. `ship` must have copied
 * the batch when it returns (an IPC send serializes at once). Without one, full chunks are kept.
 * drain() hands over what is left — full chunks kept, the current one trimmed — and the strings
 * interned since the previous drain; the runner keeps the table (records.ts).
 * Must not: build an object per request.
 */
import type { RecordBatch } from '../protocol.js';

export const CHUNK_ROWS = 16_384;

interface Chunk {
  arrivalUs: Float64Array; backend: Uint32Array; connId: Uint32Array; inflight: Uint32Array;
  peer: Uint32Array; peerPort: Uint16Array; xForwardedFor: Uint32Array; xRealIp: Uint32Array;
  method: Uint32Array; url: Uint32Array; action: Uint8Array; status: Uint16Array;
}

/** Bytes per row, in column order (widest first, so every column starts aligned). */
const COLUMN_BYTES = [8, 4, 4, 4, 4, 4, 4, 4, 4, 2, 2, 1] as const;
const ROW_BYTES = COLUMN_BYTES.reduce((a, b) => a + b, 0);

/** One allocation per chunk: every column is a view on a single buffer, which also crosses the IPC channel once. */
function newChunk(rows: number): Chunk {
  const buf = new ArrayBuffer(rows * ROW_BYTES);
  let at = 0;
  const next = <T>(Ctor: new (b: ArrayBuffer, offset: number, length: number) => T, bytes: number): T => {
    const view = new Ctor(buf, at, rows);
    at += rows * bytes;
    return view;
  };
  return {
    arrivalUs: next(Float64Array, 8), backend: next(Uint32Array, 4), connId: next(Uint32Array, 4),
    inflight: next(Uint32Array, 4), peer: next(Uint32Array, 4), xForwardedFor: next(Uint32Array, 4),
    xRealIp: next(Uint32Array, 4), method: next(Uint32Array, 4), url: next(Uint32Array, 4),
    peerPort: next(Uint16Array, 2), status: next(Uint16Array, 2), action: next(Uint8Array, 1),
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

/** The id of the string seen last, to spare the interner a lookup when it comes again. */
export class LastString {
  #text = '';
  #id = 0;

  id(strings: Interner, text: string): number {
    if (text !== this.#text) {
      this.#text = text;
      this.#id = text === '' ? 0 : strings.id(text);
    }
    return this.#id;
  }
}

export class Recorder {
  readonly strings = new Interner();
  readonly enabled: boolean;
  #fill = 0;
  #full: Chunk[] = [];
  // The current chunk's columns as fields of their own: add() is the hot path, and a store through
  // a field is about twice as fast as one through a chunk object.
  #chunk!: Chunk;
  #arrivalUs!: Float64Array; #backend!: Uint32Array; #connId!: Uint32Array; #inflight!: Uint32Array;
  #peer!: Uint32Array; #peerPort!: Uint16Array; #xForwardedFor!: Uint32Array; #xRealIp!: Uint32Array;
  #method!: Uint32Array; #url!: Uint32Array; #action!: Uint8Array; #status!: Uint16Array;

  readonly #ship: ((batch: RecordBatch) => void) | null;
  #shipped = 0;

  constructor(enabled = true, ship: ((batch: RecordBatch) => void) | null = null) {
    this.enabled = enabled;
    this.#ship = ship;
    this.#startChunk();
  }

  /** Rows held, not yet shipped or drained. */
  get pending(): number { return this.#full.length * CHUNK_ROWS + this.#fill; }

  /** Rows shipped as their chunk filled, since the previous drain. */
  get shipped(): number { return this.#shipped; }

  /** One row; string columns are ids from `strings`. */
  add(arrivalUs: number, backend: number, connId: number, inflight: number, peer: number, peerPort: number,
    xForwardedFor: number, xRealIp: number, method: number, url: number, action: number, status: number): void {
    if (!this.enabled) return;
    const i = this.#fill;
    this.#arrivalUs[i] = arrivalUs; this.#backend[i] = backend; this.#connId[i] = connId; this.#inflight[i] = inflight;
    this.#peer[i] = peer; this.#peerPort[i] = peerPort; this.#xForwardedFor[i] = xForwardedFor; this.#xRealIp[i] = xRealIp;
    this.#method[i] = method; this.#url[i] = url; this.#action[i] = action; this.#status[i] = status;
    if (++this.#fill === CHUNK_ROWS) this.#chunkFull();
  }

  #chunkFull(): void {
    if (this.#ship === null) {
      this.#full.push(this.#chunk);
      this.#startChunk();
      return;
    }
    this.#ship({ count: CHUNK_ROWS, ...this.#chunk });
    this.#shipped += CHUNK_ROWS;
    this.#fill = 0;
  }

  /** Every row since the previous drain, oldest first; the recorder starts empty again. */
  drain(): { batches: RecordBatch[]; stringBase: number; strings: string[] } {
    const batches: RecordBatch[] = this.#full.map((c) => ({ count: CHUNK_ROWS, ...c }));
    if (this.#fill > 0) batches.push(trim(this.#chunk, this.#fill));
    this.#full = [];
    this.#shipped = 0;
    if (this.#ship === null) this.#startChunk();
    else this.#fill = 0;
    return { batches, ...this.strings.takeNew() };
  }

  #startChunk(): void {
    const c = newChunk(CHUNK_ROWS);
    this.#chunk = c;
    this.#fill = 0;
    this.#arrivalUs = c.arrivalUs; this.#backend = c.backend; this.#connId = c.connId; this.#inflight = c.inflight;
    this.#peer = c.peer; this.#peerPort = c.peerPort; this.#xForwardedFor = c.xForwardedFor; this.#xRealIp = c.xRealIp;
    this.#method = c.method; this.#url = c.url; this.#action = c.action; this.#status = c.status;
  }
}

/** The first `rows` rows in a chunk of their own (the full chunk's buffer would cross the channel whole). */
function trim(c: Chunk, rows: number): RecordBatch {
  const t = newChunk(rows);
  for (const key of Object.keys(t) as (keyof Chunk)[]) (t[key] as Uint32Array).set((c[key] as Uint32Array).subarray(0, rows));
  return { count: rows, ...t };
}

