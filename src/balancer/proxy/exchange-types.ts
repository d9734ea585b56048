/**
 * The contract between the request path (which decides what to send and where) and the upstream
 * HTTP client (which sends it to one peer and reads the answer). One Exchange is one attempt on
 * one peer: connect (or reuse a cached keepalive connection), write the request head and stream
 * the body, read the response head, then stream the response body to the client. Failures are
 * outcomes with nginx's classification and error-log wording, never exceptions.
 *
 * Additions made by the client's implementation (upstream-client.ts), all optional or widening:
 * `LogLevel` (nginx also logs `crit`, `alert` and `info` for some of these), `ExchangeFailure.aborted`,
 * `ResponseHead.note`, `ExchangeRequest.buffering`, and `level` in the result of `pipe`.
 */
import type { Readable } from 'node:stream';
import type { PeerAddress } from '../../config/model.js';

export type FailureKind = 'error' | 'timeout' | 'invalid_header';

/**
 * nginx's error-log levels that upstream I/O uses: `crit` for connect() errors other than the
 * network ones (e.g. `2: No such file or directory` on a unix socket), `alert` for unexpected
 * errnos in recv/send, `info` for a client that went away.
 */
export type LogLevel = 'alert' | 'crit' | 'error' | 'warn' | 'info';

export interface ExchangeFailure {
  readonly kind: FailureKind;
  /** nginx's u->request_sent: writing the request had begun (false when connect failed or timed out). */
  readonly requestSent: boolean;
  /** The connection came from the keepalive cache. */
  readonly cached: boolean;
  /**
   * The error-log text in nginx's words, without the client/server/request suffix, e.g.
   * `connect() failed (111: Connection refused) while connecting to upstream`,
   * `upstream timed out (110: Connection timed out) while reading response header from upstream`,
   * `upstream prematurely closed connection while reading response header from upstream`,
   * `recv() failed (104: Connection reset by peer) while reading response header from upstream`,
   * `upstream sent invalid header: "X-A\x20..." while reading response header from upstream`
   * (1.22 names the line and the offending byte),
   * `upstream sent too big header while reading response header from upstream`.
   */
  readonly log: string;
  /** The log level nginx uses for it (`error` mostly; see LogLevel). */
  readonly level: LogLevel;
  /**
   * The attempt ended because `signal` aborted or the request body stream failed (the client went
   * away): not a peer failure; nginx releases the peer as a success and logs 499.
   */
  readonly aborted?: boolean;
}

export interface ResponseHead {
  readonly status: number;
  readonly reason: string;
  /** `1.0` or `1.1` (as received: `major.minor`; `0.9` when there was no status line, see `note`). */
  readonly httpVersion: string;
  /** Header names and values as received, in order: [name, value, name, value, ...]. */
  readonly rawHeaders: readonly string[];
  /** How the body ends: a length, chunked encoding, the connection closing, or no body at all (HEAD, 204, 304). */
  readonly framing: { readonly kind: 'length'; readonly bytes: number } | { readonly kind: 'chunked' } | { readonly kind: 'close' } | { readonly kind: 'none' };
  /** Whether the upstream allows the connection to be reused after this response. */
  readonly keepAlive: boolean;
  /**
   * Something nginx logs although the head was accepted: only `upstream sent no valid HTTP/1.0
   * header` (error), when the response has no status line and nginx 1.22 passes it as an HTTP/0.9
   * body with status 200 (httpVersion `0.9`, no headers, framing `close`).
   */
  readonly note?: { readonly log: string; readonly level: LogLevel };
}

export interface KeepaliveSettings {
  /** Idle connections cached per worker for this group (nginx `keepalive N`). */
  readonly connections: number;
  readonly requests: number;     // keepalive_requests
  readonly timeMs: number;       // keepalive_time: checked when a connection is released
  readonly timeoutMs: number;    // keepalive_timeout: idle close
}

export interface ExchangeRequest {
  readonly peer: PeerAddress;
  /**
   * The request line and headers, serialized, ending with the blank line (a string is written as
   * latin1: one byte a character, without a Buffer made for it).
   */
  readonly head: Buffer | string;
  /** The client's request body, streamed as it arrives; null when there is none. */
  readonly body: Readable | null;
  /** How `body` is framed on the wire to the upstream: already reflected in `head`. */
  readonly bodyFraming: 'none' | 'length' | 'chunked';
  /** The method sent is HEAD: the response has no body whatever its headers say (nginx's ctx->head). */
  readonly isHead: boolean;
  /**
   * The client asked with HEAD (nginx's r->header_only): nothing of the body is passed. The
   * exchange ends at the head, what came with it dropped; a body still to come closes the
   * connection. Default: the same as `isHead`.
   */
  readonly headOnly?: boolean;
  readonly connectTimeoutMs: number;
  readonly sendTimeoutMs: number;
  readonly readTimeoutMs: number;
  /** Largest response head accepted (nginx's proxy_buffer_size); larger → `too big header`. */
  readonly maxHeadBytes: number;
  /** The group's cache; null: a fresh connection, closed after the response. */
  readonly pool: KeepalivePool | null;
  /** Forwarded to the client's request socket close: abort the attempt. An AbortSignal fits. */
  readonly signal?: AbortLike;
  /**
   * proxy_buffering (default on). It changes only the wording of a mid-body read error:
   * `readv() failed (...)` when buffered, `recv() failed (...)` when not.
   */
  readonly buffering?: boolean;
}

/**
 * What an exchange needs of an abort signal. AbortSignal has it; the request path passes a
 * lighter object of its own, because an AbortController per request (an EventTarget, created and
 * watched per attempt) cost the balancer a tenth of its user-space CPU.
 */
export interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The result of the head phase of one attempt. */
/**
 * `connectedAt`: performance.now() when the connection was there to send on (a cached one at
 * once), or -1 when it never was: $upstream_connect_time's end (nginx's u->state->connect_time).
 */
export type HeadOutcome =
  | { readonly ok: true; readonly head: ResponseHead; readonly body: ResponseBody; readonly connectedAt: number }
  | { readonly ok: false; readonly failure: ExchangeFailure; readonly connectedAt: number };

/** Who hears of an attempt's head (UpstreamClient.begin): an object, not a closure per request. */
export interface HeadOwner {
  headSettled(outcome: HeadOutcome): void;
}

/** Who hears how a body's passing ended (ResponseBody.pipeTo). */
export interface PipeOwner {
  piped(result: PipeResult): void;
}

/** How passing a body ended: see ResponseBody.pipe(). */
export interface PipeResult {
  readonly complete: boolean;
  readonly bytes: number;
  readonly log?: string;
  readonly level?: LogLevel;
}

export interface ResponseBody {
  /**
   * Streams the body (de-chunked when chunked) into `sink` with backpressure, calling `write` per
   * piece. Resolves when the body ended or failed; after it the connection is cached or closed.
   * `complete: false` means the upstream reset or closed mid-body or went silent past
   * proxy_read_timeout: the client must get a truncated response (nginx's behaviour).
   * `log` may also come with `complete: true`: nginx's warnings `upstream sent more data than
   * specified in "Content-Length" header` and `upstream sent data after final chunk` (level `warn`).
   */
  pipe(sink: BodySink): Promise<PipeResult>;
  /** pipe() with a callback: `owner.piped()` gets the result once (at once when there is no body to pass). */
  pipeTo(sink: BodySink, owner: PipeOwner): void;
  /**
   * Drops the response (it will not be passed) and closes its connection; with `reuse`, a
   * response with no body to read (204, 304, HEAD, `Content-Length: 0`) leaves its connection
   * cached, as nginx's u->keepalive does when it finalizes the upstream or moves on with
   * NGX_PEER_NEXT.
   */
  discard(reuse?: boolean): void;
}

export interface BodySink {
  /** Returns false when the client is not draining; the exchange waits for `drain`. */
  write(chunk: Buffer): boolean;
  /** What emits `drain` and `close` for the client side (a Writable, or the front's response). */
  readonly writable: SinkEvents;
}

/** The events the exchange watches while the client is not draining. */
export interface SinkEvents {
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Idle upstream connections of one group, per worker, least recently used evicted first. */
export interface KeepalivePool {
  readonly settings: KeepaliveSettings;
  /** Number of idle connections held (for tests and stats). */
  idleCount(): number;
  /** Closes every idle connection (reload, shutdown). */
  close(): void;
}

export interface UpstreamClient {
  /** Runs the head phase of one attempt. Never rejects. */
  exchange(req: ExchangeRequest): Promise<HeadOutcome>;
  /**
   * exchange() with a callback: `owner.headSettled()` gets the outcome once, at once when the
   * attempt fails before any I/O. The request path uses it: a promise per attempt and per body,
   * and the microtask turns between them, were ~5% of the balancer's user CPU.
   */
  begin(req: ExchangeRequest, owner: HeadOwner): void;
  createPool(settings: KeepaliveSettings): KeepalivePool;
}
