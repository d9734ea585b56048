/**
 * Request records on the runner's side: the batches of one drain joined into contiguous columns,
 * with the host's string table to read the string columns. Built once per drain, read many times
 * by verify; row() and rows() make objects and are meant for tests and small sets only.
 */
import { RECORD_ACTION, type RecordAction, type RecordBatch } from './protocol.js';

type NumericColumn = Exclude<keyof RecordBatch, 'count'>;
type ColumnType = Float64ArrayConstructor | Uint32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor;
const COLUMN_TYPES: Readonly<Record<NumericColumn, ColumnType>> = {
  arrivalUs: Float64Array, backend: Uint32Array, connId: Uint32Array, inflight: Uint32Array, peer: Uint32Array,
  peerPort: Uint16Array, xForwardedFor: Uint32Array, xRealIp: Uint32Array, method: Uint32Array, url: Uint32Array,
  action: Uint8Array, status: Uint16Array,
};
const COLUMNS = Object.keys(COLUMN_TYPES) as NumericColumn[];

export type RecordActionName = keyof typeof RECORD_ACTION;
const ACTION_NAMES: readonly RecordActionName[] = (Object.keys(RECORD_ACTION) as RecordActionName[])
  .sort((a, b) => RECORD_ACTION[a] - RECORD_ACTION[b]);

/** One request, as objects (tests, debugging). */
export interface RequestRecord {
  readonly arrivalUs: number;
  readonly backend: string;
  readonly connId: number;
  readonly inflight: number;
  readonly peer: string;
  readonly peerPort: number;
  readonly xForwardedFor: string;
  readonly xRealIp: string;
  readonly method: string;
  readonly url: string;
  readonly action: RecordActionName;
  readonly status: number;
}

export class RecordSet {
  readonly count: number;
  readonly columns: Omit<RecordBatch, 'count'>;
  /** The host's string table, as of this drain (ids never change). */
  readonly strings: readonly string[];

  constructor(batches: readonly RecordBatch[], strings: readonly string[]) {
    this.count = batches.reduce((n, b) => n + b.count, 0);
    this.strings = strings;
    this.columns = Object.fromEntries(COLUMNS.map((name) => [name, join(batches, name, this.count)])) as unknown as Omit<RecordBatch, 'count'>;
  }

  str(id: number): string {
    return this.strings[id] ?? '';
  }

  action(i: number): RecordActionName {
    return ACTION_NAMES[this.columns.action[i] as RecordAction]!;
  }

  row(i: number): RequestRecord {
    const c = this.columns;
    return {
      arrivalUs: c.arrivalUs[i]!, backend: this.str(c.backend[i]!), connId: c.connId[i]!, inflight: c.inflight[i]!,
      peer: this.str(c.peer[i]!), peerPort: c.peerPort[i]!, xForwardedFor: this.str(c.xForwardedFor[i]!),
      xRealIp: this.str(c.xRealIp[i]!), method: this.str(c.method[i]!), url: this.str(c.url[i]!),
      action: this.action(i), status: c.status[i]!,
    };
  }

  *rows(): IterableIterator<RequestRecord> {
    for (let i = 0; i < this.count; i++) yield this.row(i);
  }

  /** Requests per backend name, in first-seen order. */
  countByBackend(): Map<string, number> {
    const counts = new Map<string, number>();
    const col = this.columns.backend;
    for (let i = 0; i < this.count; i++) {
      const name = this.str(col[i]!);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return counts;
  }
}

function join(batches: readonly RecordBatch[], name: NumericColumn, count: number): RecordBatch[NumericColumn] {
  if (batches.length === 1) return batches[0]![name];
  const out = new COLUMN_TYPES[name](count);
  let at = 0;
  for (const b of batches) {
    (out as Uint32Array).set(b[name] as Uint32Array, at);
    at += b.count;
  }
  return out;
}
