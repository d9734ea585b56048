/**
 * The body phase of an exchange (nginx's event pipe, as the client sees it): the response body,
 * de-chunked, goes to the sink piece by piece with backpressure, and the connection is then
 * cached or closed. Mid-body failures resolve `complete: false` with nginx's log line; the
 * client must then get a truncated response.
 *
 *   length:  complete when `bytes` arrived; EOF or reset before that is premature; bytes beyond
 *            it are cut off (warn `upstream sent more data than specified...`, not cached)
 *   chunked: complete at the last chunk; bytes beyond it: warn, not cached; bad syntax: error
 *   close:   complete at EOF (a reset is not), never cached
 *   none:    complete at once (HEAD, 204, 304); bytes that came with the head: warn, not cached
 *            (for HEAD nginx drops them silently and keeps the connection)
 *
 * proxy_read_timeout runs between reads, and not while the client is not draining (nginx buffers
 * to disk instead of waiting, so it never times out the upstream because of a slow client).
 * `reusable` is ngx_http_upstream_free_keepalive_peer()'s list of conditions.
 * Known gap: libuv reports a reset that arrives in the same wake-up as data as an end of file
 * (uv__stream_io's POLLHUP short cut), so such a reset reads as `prematurely closed`, and with
 * close framing as a complete body; nginx would see recv()'s ECONNRESET.
 * Must not: copy body bytes; buffer more than the reads that came before `pipe`.
 */
import type { AbortLike, BodySink, ExchangeRequest, PipeOwner, PipeResult, ResponseBody, ResponseHead } from './exchange-types.js';
import { Pool, DETACHED } from './keepalive-pool.js';
import { CHUNKED_DONE, CHUNKED_INVALID, ChunkedDecoder, type PieceSink } from './chunked.js';
import type { UpstreamConnection } from './upstream-connection.js';
import type { Clock } from '../../core/clock.js';
import {
  type LogLine, DATA_AFTER_FINAL_CHUNK, INVALID_CHUNKED, MORE_THAN_LENGTH, ioFailed, prematurelyClosed, timedOut,
} from './log-text.js';

export const enum Phase { Connecting, Sending, Head, HeadDone, Body, Done }
export const enum Framing { None, Length, Chunked, Close }

export type { PipeResult };

const READ_ACTION = 'reading upstream';

export abstract class ResponseBodyReader implements ResponseBody, PieceSink {
  protected readonly req: ExchangeRequest;
  protected phase = Phase.Connecting;
  protected conn: UpstreamConnection | null = null;
  protected head: ResponseHead | null = null;
  /** The whole request was written (nginx's u->request_body_sent). */
  protected requestComplete = false;
  protected framing = Framing.Close;
  protected remaining = 0;
  protected preread: Buffer | null = null;
  protected pendingEnd = false;
  protected pendingError: NodeJS.ErrnoException | null = null;
  /** Reads that came while the caller held the head (nginx would find them readable at release). */
  private pending: Buffer[] | null = null;
  private decoder: ChunkedDecoder | null = null;
  private sink: BodySink | null = null;
  private sinkBlocked = false;
  private pipeOwner: PipeOwner | null = null;
  private bytes = 0;
  /** No byte came beyond the response. */
  private clean = true;
  private note: LogLine | null = null;
  private abortListener: (() => void) | null = null;
  private sinkListeners: { drain: () => void; close: () => void } | null = null;

  constructor(req: ExchangeRequest) {
    this.req = req;
  }

  protected abstract get clock(): Clock;

  pipe(sink: BodySink): Promise<PipeResult> {
    return new Promise((resolve) => this.pipeTo(sink, { piped: resolve }));
  }

  pipeTo(sink: BodySink, owner: PipeOwner): void {
    if (this.phase !== Phase.HeadDone) {
      owner.piped({ complete: false, bytes: 0 });
      return;
    }
    this.phase = Phase.Body;
    this.sink = sink;
    this.pipeOwner = owner;
    this.startBody();
  }

  /** See ResponseBody.discard(): nginx's proxy module sets u->keepalive for a bodiless response. */
  discard(reuse = false): void {
    if (reuse && this.phase === Phase.HeadDone && this.preread === null && this.pending === null && !this.pendingEnd
      && this.pendingError === null && (this.framing === Framing.None || (this.framing === Framing.Length && this.remaining === 0))) {
      this.finishBody();
      return;
    }
    if (this.phase === Phase.HeadDone || this.phase === Phase.Body) this.bodyFail(null);
  }

  // PieceSink: one piece of body for the client

  piece(data: Buffer): void {
    if (this.phase !== Phase.Body) return;
    this.bytes += data.length;
    if (!this.sink!.write(data) && !this.sinkBlocked) this.blockOnSink();
  }

  private startBody(): void {
    if (this.framing === Framing.Chunked) this.decoder = new ChunkedDecoder();
    const pre = this.preread;
    this.preread = null;
    const headOnly = this.req.headOnly ?? this.req.isHead;
    if (this.framing === Framing.None || (this.framing === Framing.Length && this.remaining === 0)) {
      // nginx finalizes a client's HEAD at once and drops what came with it; 204, 304, an empty
      // length and a HEAD sent for another method go through the pipe, whose copy filter warns
      // and disables keepalive
      if (pre !== null && !headOnly) this.extra(MORE_THAN_LENGTH);
      this.finishBody();
      return;
    }
    if (headOnly) {
      // a client's HEAD answered by a body (proxy_method GET): finalized at once, without
      // reading it; the connection cannot be reused (u->keepalive is off with a body to come)
      this.end().destroy();
      this.settlePipe(true, null);
      return;
    }
    if (pre !== null) this.bodyData(pre);
    const held = this.pending;
    if (held !== null) {
      // chunks left in `held` when the body completes are bytes beyond it: reusable() says no
      while (held.length > 0 && this.phase === Phase.Body) this.bodyData(held.shift()!);
      this.pending = null;
    }
    if (this.phase !== Phase.Body) return;
    if (this.pendingError !== null) this.bodyReadFailed(this.pendingError);
    else if (this.pendingEnd) this.bodyEof();
    else if (!this.sinkBlocked) {
      const conn = this.conn!;
      if (conn.socket.isPaused()) conn.socket.resume();
      conn.timer.arm(this.req.readTimeoutMs);
    }
  }

  /** Bytes that arrive while the caller holds the head: kept, and the socket paused. */
  protected hold(chunk: Buffer): void {
    (this.pending ??= []).push(chunk);
    this.conn!.socket.pause();
  }

  protected bodyData(chunk: Buffer): void {
    if (this.framing === Framing.Length) {
      const n = Math.min(this.remaining, chunk.length);
      this.remaining -= n;
      if (n < chunk.length) this.extra(MORE_THAN_LENGTH);
      if (n > 0) this.piece(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (this.remaining === 0 && this.phase === Phase.Body) {
        this.finishBody();
        return;
      }
    } else if (this.framing === Framing.Chunked) {
      const decoder = this.decoder!;
      const r = decoder.feed(chunk, 0, this);
      if (r === CHUNKED_DONE) {
        if (decoder.doneAt < chunk.length) this.extra(DATA_AFTER_FINAL_CHUNK);
        if (this.phase === Phase.Body) this.finishBody();
        return;
      }
      if (r === CHUNKED_INVALID) {
        this.bodyFail(INVALID_CHUNKED);
        return;
      }
    } else if (this.framing === Framing.Close) {
      this.piece(chunk);
    } else {
      this.extra(MORE_THAN_LENGTH);
    }
    if (this.phase === Phase.Body && !this.sinkBlocked) this.conn!.timer.arm(this.req.readTimeoutMs);
  }

  protected bodyEof(): void {
    if (this.framing !== Framing.Close) {
      this.bodyFail(prematurelyClosed(READ_ACTION));
      return;
    }
    this.clean = false;
    this.finishBody();
  }

  protected bodyReadFailed(err: NodeJS.ErrnoException): void {
    this.bodyFail(ioFailed(this.req.buffering === false ? 'recv()' : 'readv()', err, READ_ACTION));
  }

  protected bodyTimedOut(): void {
    this.bodyFail(timedOut(READ_ACTION));
  }

  /** The client went away (signal): drop the connection; the caller logs. */
  protected aborted(): void {
    if (this.phase === Phase.HeadDone || this.phase === Phase.Body) this.bodyFail(null);
  }

  protected watchAbort(signal: AbortLike): void {
    this.abortListener = () => this.aborted();
    signal.addEventListener('abort', this.abortListener, { once: true });
  }

  protected unwatchAbort(): void {
    if (this.abortListener === null) return;
    this.req.signal!.removeEventListener('abort', this.abortListener);
    this.abortListener = null;
  }

  private extra(line: LogLine): void {
    this.clean = false;
    this.note = line;
  }

  private blockOnSink(): void {
    this.sinkBlocked = true;
    const conn = this.conn!;
    conn.socket.pause();
    conn.timer.disarm();
    this.sinkListeners ??= { drain: () => this.sinkDrained(), close: () => this.sinkClosed() };
    const w = this.sink!.writable;
    w.once('drain', this.sinkListeners.drain);
    w.once('close', this.sinkListeners.close);
  }

  private sinkDrained(): void {
    this.unwatchSink();
    if (this.phase !== Phase.Body) return;
    const conn = this.conn!;
    conn.socket.resume();
    conn.timer.arm(this.req.readTimeoutMs);
  }

  private sinkClosed(): void {
    this.unwatchSink();
    if (this.phase === Phase.Body) this.bodyFail(null);
  }

  private unwatchSink(): void {
    if (!this.sinkBlocked) return;
    this.sinkBlocked = false;
    const w = this.sink!.writable;
    w.removeListener('drain', this.sinkListeners!.drain);
    w.removeListener('close', this.sinkListeners!.close);
  }

  /** ngx_http_upstream_free_keepalive_peer(): every condition for caching the connection. */
  private reusable(conn: UpstreamConnection, pool: Pool): boolean {
    return pool.accepting && this.head!.keepAlive && this.clean && this.requestComplete
      && (this.pending === null || this.pending.length === 0) && !this.pendingEnd && this.pendingError === null && !conn.destroyed
      && conn.requests < pool.settings.requests
      && this.clock.nowMs() - conn.startMs <= pool.settings.timeMs;
  }

  private finishBody(): void {
    const conn = this.end();
    const pool = this.req.pool;
    if (pool instanceof Pool && this.reusable(conn, pool)) pool.put(conn);
    else conn.destroy();
    this.settlePipe(true, this.note);
  }

  private bodyFail(line: LogLine | null): void {
    this.end().destroy();
    this.settlePipe(false, line);
  }

  /** Leaves the Body phase: returns the connection, detached from this exchange. */
  private end(): UpstreamConnection {
    this.phase = Phase.Done;
    this.unwatchSink();
    this.unwatchAbort();
    const conn = this.conn!;
    this.conn = null;
    conn.timer.disarm();
    conn.handler = DETACHED;
    return conn;
  }

  private settlePipe(complete: boolean, line: LogLine | null): void {
    const owner = this.pipeOwner;
    this.pipeOwner = null;
    if (owner === null) return;
    owner.piped(line === null ? { complete, bytes: this.bytes } : { complete, bytes: this.bytes, log: line.log, level: line.level });
  }
}
