/**
 * The control channel between the runner and the backend host: Node IPC messages with the
 * 'advanced' (structured clone) serialization, so typed arrays travel as bytes, not JSON.
 *
 * Invariant: the host replies to a command only once its effect holds on the wire — a `kill` is
 * acknowledged after the listener is closed and every open connection is reset, a `revive` after
 * the port listens again, a `switch` after the next request parsed will see the new behaviour.
 * Replies carry the request's id. Record batches stream to the runner unasked as chunks fill
 * (`records`), and the rest come with a `drain`, before its reply: the channel keeps them in order.
 */
import type { BackendSpec, Behaviour, BehaviourKind } from './behaviour.js';
import type { ErrorCode } from '../core/errors.js';

export type Command =
  | { readonly op: 'define'; readonly spec: BackendSpec }
  | { readonly op: 'kill'; readonly name: string }
  | { readonly op: 'revive'; readonly name: string }
  | { readonly op: 'switch'; readonly name: string; readonly behaviour: Behaviour }
  | { readonly op: 'drain' }
  | { readonly op: 'stats'; readonly resetPeaks: boolean }
  | { readonly op: 'stop' };

export type Request = Command & { readonly id: number };

/** Where a backend is and whether it listens. */
export interface BackendInfo {
  readonly name: string;
  readonly port: number;
  /** `127.0.0.1:PORT`, as an nginx `server` line wants it. */
  readonly address: string;
  readonly listening: boolean;
  readonly kind: BehaviourKind;
  readonly description: string;
}

/** Counters of one backend since it was defined (peaks: since the last stats with resetPeaks). */
export interface BackendStats extends BackendInfo {
  readonly connectionsOpened: number;
  readonly openConnections: number;
  readonly peakConnections: number;
  readonly requests: number;
  readonly inflight: number;
  readonly peakInflight: number;
  readonly resetsAtAccept: number;
  readonly badRequests: number;
}

export interface HostStats {
  /** process.cpuUsage() of the host, in microseconds, since it started. */
  readonly cpuUserUs: number;
  readonly cpuSystemUs: number;
  readonly rssBytes: number;
  /** Records held in the host, not yet drained. */
  readonly pendingRecords: number;
  readonly backends: readonly BackendStats[];
}

/**
 * A columnar slice of request records. Row i of every column is one request, in the order the
 * host dispatched them. String columns hold ids into the host's string table (0: absent).
 */
export interface RecordBatch {
  readonly count: number;
  /** Arrival of the complete request head, µs since the Unix epoch (performance.timeOrigin-based). */
  readonly arrivalUs: Float64Array;
  readonly backend: Uint32Array;
  readonly connId: Uint32Array;
  /** Requests in progress on this backend at arrival, this one included. */
  readonly inflight: Uint32Array;
  readonly peer: Uint32Array;
  readonly peerPort: Uint16Array;
  readonly xForwardedFor: Uint32Array;
  readonly xRealIp: Uint32Array;
  readonly method: Uint32Array;
  readonly url: Uint32Array;
  /** RecordAction codes. */
  readonly action: Uint8Array;
  /** Status line sent (for a cut body: the status of the head that left), 0 when none. */
  readonly status: Uint16Array;
}

/** What the host did with a request. */
export const RECORD_ACTION = { reply: 0, reset: 1, close: 2, hang: 3 } as const;
export type RecordAction = (typeof RECORD_ACTION)[keyof typeof RECORD_ACTION];

/** The reply to `drain`: strings interned since the previous drain, from index stringBase on. */
export interface DrainResult {
  readonly stringBase: number;
  readonly strings: readonly string[];
  readonly batches: number;
}

export type HostMessage =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly code: ErrorCode; readonly message: string }
  | { readonly type: 'batch'; readonly id: number; readonly batch: RecordBatch }
  | { readonly type: 'records'; readonly batch: RecordBatch };
