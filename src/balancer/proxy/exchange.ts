/**
 * One attempt on one peer (nginx's ngx_http_upstream_t from connect to finalize), as a state
 * machine driven by its connection's events:
 *
 *   Connecting -> Sending -> Head -> HeadDone -> Body -> Done       (any of them -> Done on failure)
 *
 * Connecting: a cached connection skips it; else connect() with proxy_connect_timeout.
 * Sending:    the head, then the body (request-writer.ts); proxy_send_timeout while a write waits.
 *             The response is read meanwhile, as nginx does; when its head arrives the body stops.
 * Head:       proxy_read_timeout from the end of sending to the end of the head (nginx does not
 *             re-arm it per read while parsing a header).
 * HeadDone:   the caller holds the head; bytes that arrive are kept and the socket paused.
 * Body:       (response-body.ts) proxy_read_timeout between reads while the client drains.
 *
 * Failures before HeadDone resolve the head promise as an ExchangeFailure; `requestSent` is true
 * from the moment the connection was established (nginx sets u->request_sent when it starts
 * writing). The connection goes back to the pool only from the Body phase (see `reusable`).
 * Must not: throw or reject; log; keep the connection of a failed attempt.
 */
import type { Socket } from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { PeerAddress } from '../../config/model.js';
import type { ExchangeRequest, HeadOutcome, HeadOwner, ResponseHead } from './exchange-types.js';
import { Pool, DETACHED } from './keepalive-pool.js';
import { type HeadParser, AGAIN, DONE, INVALID } from './response-parser.js';
import { RequestWriter, type WriterOwner } from './request-writer.js';
import { ResponseBodyReader, Framing, Phase } from './response-body.js';
import { UpstreamConnection, type ConnHandler } from './upstream-connection.js';
import { takeConnectionNumber } from '../connection-numbers.js';
import { keep } from '../../core/shared-reads.js';
import { eventNow } from '../../core/event-time.js';
import {
  type Action, type LogLine, clientClosed, connectFailed, ioFailed, prematurelyClosed, timedOut,
  CLIENT_BODY_FAILED, NO_VALID_HEADER, TOO_BIG_HEADER,
} from './log-text.js';

/** What every exchange of one client shares. */
export interface ClientCore {
  /** Reused by every exchange: a parse runs to completion within one event. */
  readonly parser: HeadParser;
  readonly clock: Clock;
  readonly connect: (peer: PeerAddress) => Socket;
  /** Skip 1xx heads other than 101 (nginx 1.22 does not: it passes them as the final response). */
  readonly skipInterim: boolean;
}

const CHUNKED = { kind: 'chunked' } as const;
const CLOSE = { kind: 'close' } as const;
const NONE = { kind: 'none' } as const;
const HEAD_ACTION: Action = 'reading response header from upstream';

function isWrite(err: NodeJS.ErrnoException): boolean {
  return err.syscall !== undefined && err.syscall.startsWith('write');
}

export class Exchange extends ResponseBodyReader implements ConnHandler, WriterOwner {
  private readonly core: ClientCore;
  private cached = false;
  private requestSent = false;
  private action: Action = 'connecting to upstream';
  private writer: RequestWriter | null = null;
  private headBlocked = false;
  private owner: HeadOwner | null = null;
  private headBuf: Buffer | null = null;
  private connectedAt = -1;

  constructor(core: ClientCore, req: ExchangeRequest) {
    super(req);
    this.core = core;
  }

  protected get clock(): Clock {
    return this.core.clock;
  }

  /** Runs the head phase: `owner` gets the outcome once (at once when it fails before any I/O). */
  begin(owner: HeadOwner): void {
    this.owner = owner;
    try {
      this.start();
    } catch (err) {
      this.failHead('error', connectFailed(this.req.peer, err as NodeJS.ErrnoException));
    }
  }

  run(): Promise<HeadOutcome> {
    return new Promise((resolve) => this.begin({ headSettled: resolve }));
  }

  private start(): void {
    const req = this.req;
    if (req.signal !== undefined) {
      if (req.signal.aborted) {
        this.failHead('error', clientClosed(this.action), true);
        return;
      }
      this.watchAbort(req.signal);
    }
    const pool = req.pool instanceof Pool ? req.pool : null;
    const idle = pool !== null ? pool.take(req.peer.name) : null;
    if (idle !== null) {
      this.cached = true;
      this.attach(idle);
      this.connected(idle);
      return;
    }
    const conn = new UpstreamConnection(this.core.connect(req.peer), req.peer.name, this.core.clock.nowMs(), this);
    // ngx_event_connect_peer() numbers the connection from the counter client connections use
    takeConnectionNumber();
    this.attach(conn);
    conn.timer.arm(req.connectTimeoutMs);
  }

  private attach(conn: UpstreamConnection): void {
    conn.handler = this;
    conn.requests++;
    this.conn = conn;
  }

  private connected(conn: UpstreamConnection): void {
    this.connectedAt = eventNow();
    this.phase = Phase.Sending;
    this.requestSent = true;
    this.action = 'sending request to upstream';
    const req = this.req;
    const ok = typeof req.head === 'string' ? conn.socket.write(req.head, 'latin1') : conn.socket.write(req.head);
    if (req.body === null || req.bodyFraming === 'none') {
      if (ok) {
        this.requestWritten();
      } else {
        this.headBlocked = true;
        this.sendBlocked(true);
      }
      return;
    }
    this.writer = new RequestWriter(conn.socket, req.body, req.bodyFraming === 'chunked', this);
    this.writer.start(!ok);
  }

  // WriterOwner

  requestWritten(): void {
    this.writer = null;
    if (this.phase !== Phase.Sending) return;   // the head came first: nginx stopped sending
    this.requestComplete = true;
    this.phase = Phase.Head;
    this.action = HEAD_ACTION;
    this.conn!.timer.arm(this.req.readTimeoutMs);
  }

  sendBlocked(blocked: boolean): void {
    if (this.phase !== Phase.Sending) return;
    if (blocked) this.conn!.timer.arm(this.req.sendTimeoutMs);
    else this.conn!.timer.disarm();
  }

  bodyFailed(): void {
    if (this.phase < Phase.HeadDone) this.failHead('error', CLIENT_BODY_FAILED, true);
  }

  // ConnHandler

  onConnect(conn: UpstreamConnection): void {
    if (this.phase !== Phase.Connecting) return;
    conn.timer.disarm();
    this.connected(conn);
  }

  /** `lent` is only for this call (shared-reads.ts): a head is parsed where it was read. */
  onData(conn: UpstreamConnection, lent: Buffer, len: number): void {
    if (this.phase === Phase.Body) this.bodyData(keep(lent, 0, len));
    else if (this.phase === Phase.Sending || this.phase === Phase.Head) this.headData(lent, len, true);
    else if (this.phase === Phase.HeadDone) this.hold(keep(lent, 0, len));
  }

  onEnd(): void {
    if (this.phase === Phase.Body) this.bodyEof();
    else if (this.phase === Phase.HeadDone) this.pendingEnd = true;
    else if (this.phase < Phase.HeadDone) this.failHead('error', prematurelyClosed(this.phase === Phase.Connecting ? this.action : HEAD_ACTION));
  }

  onError(_conn: UpstreamConnection, err: NodeJS.ErrnoException): void {
    if (this.phase === Phase.Body) this.bodyReadFailed(err);
    else if (this.phase === Phase.HeadDone) this.pendingError = err;
    else if (this.phase === Phase.Connecting) this.failHead('error', connectFailed(this.req.peer, err));
    else if (this.phase < Phase.HeadDone) {
      this.failHead('error', isWrite(err) ? ioFailed('writev()', err, this.action) : ioFailed('recv()', err, HEAD_ACTION));
    }
  }

  onDrain(): void {
    if (this.writer !== null) this.writer.drained();
    else if (this.headBlocked) {
      this.headBlocked = false;
      this.sendBlocked(false);
      this.requestWritten();
    }
  }

  onTimer(): void {
    if (this.phase === Phase.Body) this.bodyTimedOut();
    else if (this.phase < Phase.HeadDone) {
      this.failHead('timeout', timedOut(this.phase === Phase.Head ? HEAD_ACTION : this.action));
    }
  }

  protected override aborted(): void {
    if (this.phase < Phase.HeadDone) this.failHead('error', clientClosed(this.action), true);
    else super.aborted();
  }

  // The head

  /** The first `len` bytes of `chunk` (`lent`: only for this call) read while a head is awaited. */
  private headData(chunk: Buffer, len: number, lent: boolean): void {
    this.action = HEAD_ACTION;
    const max = this.req.maxHeadBytes;
    let buf = chunk, chunkStart = 0;
    if (this.headBuf !== null) {
      chunkStart = this.headBuf.length;
      buf = Buffer.concat([this.headBuf, chunk.subarray(0, len)]);
      len = buf.length;
      lent = false;
      this.headBuf = null;
    }
    const parser = this.core.parser;
    const r = parser.parse(buf, max, len);
    if (r === DONE) this.headDone(buf, len, lent, parser);
    else if (r === AGAIN) {
      if (len >= max) this.failHead('invalid_header', TOO_BIG_HEADER);
      else this.headBuf = lent ? keep(buf, 0, len) : buf;
    } else if (r === INVALID) this.failHead('invalid_header', parser.invalid!);
    else this.headNotHttp(lent ? keep(buf, 0, len) : buf, chunkStart);
  }

  /** What follows the head at `end`, the caller's own; null when nothing does. */
  private static rest(buf: Buffer, end: number, len: number, lent: boolean): Buffer | null {
    if (end >= len) return null;
    return lent ? keep(buf, end, len) : buf.subarray(end, len);
  }

  private headDone(buf: Buffer, len: number, lent: boolean, p: HeadParser): void {
    const status = p.status;
    const end = p.headEnd;
    if (this.core.skipInterim && status >= 100 && status < 200 && status !== 101) {
      const rest = Exchange.rest(buf, end, len, lent);
      if (rest !== null) this.headData(rest, rest.length, false);
      return;
    }
    const req = this.req;
    let framing: ResponseHead['framing'] = CLOSE;
    this.framing = Framing.Close;
    if (req.isHead || status === 204 || status === 304) {
      framing = NONE;
      this.framing = Framing.None;
    } else if (p.chunked) {
      framing = CHUNKED;
      this.framing = Framing.Chunked;
    } else if (p.contentLength >= 0) {
      framing = { kind: 'length', bytes: p.contentLength };
      this.framing = Framing.Length;
      this.remaining = p.contentLength;
    }
    const http11 = p.httpMajor > 1 || (p.httpMajor === 1 && p.httpMinor >= 1);
    this.headReady({
      status,
      reason: p.reason,
      httpVersion: p.httpMajor === 1 && p.httpMinor <= 1 ? (p.httpMinor === 1 ? '1.1' : '1.0') : `${p.httpMajor}.${p.httpMinor}`,
      rawHeaders: p.rawHeaders,
      framing,
      // ngx_http_proxy_process_status_line: HTTP < 1.1 sets connection_close, even with keep-alive
      keepAlive: http11 && !p.connectionClose && status !== 101,
    }, Exchange.rest(buf, end, len, lent));
  }

  /** ngx_http_proxy_process_status_line(): no status line, so an HTTP/0.9 body with status 200. */
  private headNotHttp(buf: Buffer, chunkStart: number): void {
    this.framing = Framing.Close;
    const head: ResponseHead = {
      status: 200, reason: '', httpVersion: '0.9', rawHeaders: [], framing: CLOSE, keepAlive: false, note: NO_VALID_HEADER,
    };
    // nginx keeps the bytes from where its last parse started: the read that showed the mismatch
    this.headReady(head, buf.length > chunkStart ? buf.subarray(chunkStart) : null);
  }

  private headReady(head: ResponseHead, preread: Buffer | null): void {
    this.phase = Phase.HeadDone;
    this.conn!.timer.disarm();
    this.stopWriting();
    this.head = head;
    this.preread = preread;
    this.settleHead({ ok: true, head, body: this, connectedAt: this.connectedAt });
  }

  private failHead(kind: 'error' | 'timeout' | 'invalid_header', line: LogLine, aborted = false): void {
    this.phase = Phase.Done;
    this.stopWriting();
    this.unwatchAbort();
    const conn = this.conn;
    if (conn !== null) {
      this.conn = null;
      conn.handler = DETACHED;
      conn.destroy();
    }
    this.settleHead({
      ok: false, connectedAt: this.connectedAt,
      failure: { kind, requestSent: this.requestSent, cached: this.cached, log: line.log, level: line.level, aborted },
    });
  }

  private stopWriting(): void {
    if (this.writer === null) return;
    this.writer.stop();
    this.writer = null;
  }

  private settleHead(outcome: HeadOutcome): void {
    const owner = this.owner;
    this.owner = null;
    if (owner !== null) owner.headSettled(outcome);
  }
}
