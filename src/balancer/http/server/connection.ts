/**
 * One client connection, as nginx drives it (ngx_http_wait_request_handler ->
 * ngx_http_process_request_line/_headers -> the request -> ngx_http_set_keepalive): one request
 * at a time; bytes of a pipelined next request wait until the current response is complete.
 *
 *   waiting     for the first request: client_header_timeout; a keep-alive connection waits with
 *               keepalive_timeout until its next request's first byte, then client_header_timeout
 *               for the rest of the head (nginx closes silently on either)
 *   head        parsed (request-parser.ts); an error is answered with nginx's page and
 *               `Connection: close`, and the connection closed
 *   request     the handler gets an Incoming and an Outgoing; a body (Content-Length or chunked,
 *               de-chunked as ngx_http_parse_chunked does) is fed to Incoming.body with the
 *               socket paused while nobody reads it; `Expect: 100-continue` is answered at once
 *   response    complete: keep-alive (the request, keepalive_timeout, keepalive_requests and the
 *               front's shutdown allow it) waits for the next request, after any body the handler
 *               left unread is read and dropped (nginx's discard); otherwise the connection is
 *               closed once written — at once when nothing more came from the client, else after
 *               the client's close or LINGER_MS (nginx's lingering close only lingers for pending input)
 * A client that goes away mid-request: the response emits `close`, the body stream fails.
 * Must not: route or answer requests itself (the handler does); throw on a client's bytes.
 */
import type { Socket } from 'node:net';
import type { RequestHandler, ConnectionInfo } from '../handler.js';
import { errorPage, HEADER_TOO_LARGE, REASONS } from '../pages.js';
import { SERVER_SOFTWARE } from '../vars.js';
import { CHUNKED_DONE, CHUNKED_INVALID, ChunkedDecoder, type PieceSink } from '../../proxy/chunked.js';
import { AGAIN, RequestParser, type RequestHead } from './request-parser.js';
import { Incoming, RequestBody } from './incoming.js';
import { Outgoing, type ResponseOwner } from './outgoing.js';
import { Deadline } from '../../../core/deadline.js';
import { keep, readDirect } from '../../../core/shared-reads.js';

/** nginx's lingering_timeout: a closing connection is dropped after this. */
const LINGER_MS = 5000;
const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');

/** Settings of the listening address's default server (nginx reads them before Host is known). */
export interface FrontLimits {
  readonly headerTimeoutMs: number;
  /** large_client_header_buffers: one line's bound, and the whole head's. */
  readonly lineMaxBytes: number;
  readonly headMaxBytes: number;
  readonly keepaliveTimeoutMs: number;
  readonly keepaliveRequests: number;
}

export interface ConnectionHost {
  /** The handler of the configuration in force (a reload swaps it). */
  handler(): RequestHandler;
  /** Whether the front is shutting down: no more keep-alive. */
  closing(): boolean;
  gone(conn: ClientConnection): void;
}

/** The response nginx sends for a request it could not read (400, 414, 494...), connection closing. */
export function rejection(status: number, http09 = false): Buffer {
  const wire = status === HEADER_TOO_LARGE ? 400 : status;
  const page = errorPage(status);
  if (http09) return page;
  return Buffer.concat([
    Buffer.from(`HTTP/1.1 ${wire} ${REASONS[wire] ?? ''}\r\nServer: ${SERVER_SOFTWARE}\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\nConnection: close\r\n\r\n`),
    page,
  ]);
}

/** Parsing is synchronous and a head is taken before the next parse: one parser serves all. */
const parser = new RequestParser();

const enum Wait { None, Header, KeepAlive, Linger }

export class ClientConnection implements ResponseOwner, PieceSink {
  readonly socket: Socket;
  readonly info: ConnectionInfo;
  readonly #host: ConnectionHost;
  readonly #limits: FrontLimits;
  #buf: Buffer | null = null;
  #req: Incoming | null = null;
  #res: Outgoing | null = null;
  #responded = false;
  /** Body still to come: bytes of a Content-Length body, or the chunked decoder. */
  #remaining = 0;
  #decoder: ChunkedDecoder | null = null;
  #bodyOpen = false;
  /** The one wait that counts (a request switches kinds twice), on one deadline re-armed by number. */
  readonly #deadline = new Deadline(() => this.#fire());
  #wait = Wait.None;
  #ending = false;
  #closed = false;

  constructor(socket: Socket, info: ConnectionInfo, host: ConnectionHost, limits: FrontLimits) {
    this.socket = socket;
    this.info = info;
    this.#host = host;
    this.#limits = limits;
    socket.setNoDelay(true);
    readDirect(socket, (data: Buffer, len: number) => this.#onData(data, len));
    socket.on('drain', () => this.#res?.drained());
    socket.on('error', () => undefined);
    socket.on('close', () => this.#onClose());
    this.#arm(Wait.Header, limits.headerTimeoutMs);
  }

  /** Between requests: nothing would be lost by closing it now. */
  get idle(): boolean {
    return this.#req === null;
  }

  // The socket

  /** `data` is lent for the call (shared-reads.ts): a head is parsed where it was read. */
  #onData(lent: Buffer, len: number): void {
    if (this.#ending) return;
    if (!this.#bodyOpen && this.#buf === null && this.#req === null) {
      this.#parseHead(lent, len, true);
      return;
    }
    const chunk = keep(lent, 0, len);
    let data: Buffer | null = chunk;
    if (this.#bodyOpen) data = this.#feedBody(chunk);
    if (data === null) return;
    this.#buf = this.#buf === null ? data : Buffer.concat([this.#buf, data]);
    if (this.#req !== null) {
      // a pipelined request waits for the current response; past a full head, stop reading
      if (this.#buf.length > this.#limits.headMaxBytes) this.socket.pause();
      return;
    }
    this.#readHead();
  }

  #onClose(): void {
    this.#closed = true;
    this.#wait = Wait.None;
    this.#deadline.dispose();
    if (this.#bodyOpen) {
      this.#bodyOpen = false;
      const err = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      this.#req?.body?.destroy(err);
    }
    this.#res?.connectionClosed();
    this.#host.gone(this);
  }

  // The head

  #readHead(): void {
    const buf = this.#buf;
    if (buf === null) return;
    this.#parseHead(buf, buf.length, false);
  }

  /** Parses the first `len` bytes of `buf` (`lent`: only for this call) as the next head. */
  #parseHead(buf: Buffer, len: number, lent: boolean): void {
    if (this.#closed) return;
    if (this.#wait === Wait.KeepAlive) this.#arm(Wait.Header, this.#limits.headerTimeoutMs);
    const r = parser.parse(buf, this.#limits.lineMaxBytes, this.#limits.headMaxBytes, len);
    if (r !== 1) {
      if (lent) this.#buf = keep(buf, 0, len);
      if (r !== AGAIN) this.#reject(r);
      return;
    }
    const head = parser.head!;
    const end = head.headEnd;
    this.#buf = end >= len ? null : lent ? keep(buf, end, len) : buf.subarray(end);
    this.#start(head);
  }

  #reject(status: number): void {
    this.#ending = true;
    this.#disarm();
    this.socket.end(rejection(status, parser.error09));
    this.#arm(Wait.Linger, LINGER_MS);
  }

  #start(head: RequestHead): void {
    this.#disarm();
    const hasBody = head.chunked || head.contentLength > 0;
    const body = hasBody ? new RequestBody(() => { if (!this.#closed && this.#req?.body === body) this.socket.resume(); }) : null;
    const req = new Incoming(head, this.socket, body);
    const l = this.#limits;
    const keepAlive = head.keepAlive && !this.#host.closing() && l.keepaliveTimeoutMs > 0 && this.info.requests + 1 < l.keepaliveRequests;
    const version = head.major === 0 ? '0.9' : head.major === 1 && head.minor === 0 ? '1.0' : '1.1';
    const res = new Outgoing(this, version, keepAlive, head.method === 'HEAD');
    res.keepaliveTimeoutMs = l.keepaliveTimeoutMs;
    this.#req = req;
    this.#res = res;
    this.#responded = false;
    if (hasBody) {
      this.#bodyOpen = true;
      this.#remaining = head.contentLength;
      this.#decoder = head.chunked ? new ChunkedDecoder() : null;
      if (head.expectContinue) this.socket.write(CONTINUE);
      const pending = this.#buf;
      this.#buf = null;
      if (pending !== null) this.#buf = this.#feedBody(pending);
    }
    this.#host.handler().handle(req, res, this.info);
  }

  // The body

  /** Feeds body bytes; returns what comes after the body (a pipelined request), or null. */
  #feedBody(chunk: Buffer): Buffer | null {
    if (this.#decoder !== null) {
      const r = this.#decoder.feed(chunk, 0, this);
      if (r === CHUNKED_INVALID) { this.#badBody(); return null; }
      if (r !== CHUNKED_DONE) return null;
      const at = this.#decoder.doneAt;
      this.#bodyDone();
      return at < chunk.length ? chunk.subarray(at) : null;
    }
    const n = Math.min(this.#remaining, chunk.length);
    this.#remaining -= n;
    if (n > 0) this.piece(n === chunk.length ? chunk : chunk.subarray(0, n));
    if (this.#remaining > 0) return null;
    this.#bodyDone();
    return n < chunk.length ? chunk.subarray(n) : null;
  }

  /** PieceSink: de-chunked data. Dropped once the response is over (nginx's discard). */
  piece(data: Buffer): void {
    const body = this.#req?.body;
    if (body === null || body === undefined || this.#responded || body.destroyed) return;
    if (!body.piece(data)) this.socket.pause();
  }

  #bodyDone(): void {
    this.#bodyOpen = false;
    this.#decoder = null;
    const req = this.#req!;
    req.complete = true;
    if (!this.#responded) req.body!.finish();
    else this.#next();
  }

  /** ngx_http_parse_chunked() said no: 400 if nothing was answered yet, else the connection goes. */
  #badBody(): void {
    this.#bodyOpen = false;
    this.#req?.body?.destroy(Object.assign(new Error('client sent invalid chunked body'), { code: 'HPE_INVALID_CHUNK_SIZE' }));
    if (this.#res !== null && !this.#res.headersSent) this.#reject(400);
    else this.socket.destroy();
  }

  // The response

  responseDone(res: Outgoing): void {
    if (res !== this.#res || this.#responded) return;
    this.#responded = true;
    if (!res.shouldKeepAlive || this.#host.closing() || res.keepaliveTimeoutMs <= 0) {
      this.#ending = true;
      if (this.#buf !== null || this.#bodyOpen) {
        this.socket.end();
        this.#arm(Wait.Linger, LINGER_MS);
      } else if (this.socket.writableLength === 0) {
        // all written, nothing more to read: closed at once, as nginx's ngx_close_connection()
        // does (the FIN follows what the kernel still holds to send); end() cost a shutdown()
        this.socket.destroy();
      } else {
        this.socket.end();
        this.socket.once('finish', () => this.socket.destroy());
      }
      return;
    }
    if (this.#bodyOpen) {
      // the rest of the body is read and dropped before the next request (piece() drops it)
      this.#arm(Wait.Linger, res.keepaliveTimeoutMs);
      this.socket.resume();
      return;
    }
    this.#next();
  }

  /** Ready for the next request on this connection. */
  #next(): void {
    const keepaliveMs = this.#res?.keepaliveTimeoutMs ?? this.#limits.keepaliveTimeoutMs;
    this.#req = null;
    this.#res = null;
    if (this.#closed) return;
    this.#arm(Wait.KeepAlive, keepaliveMs);
    if (this.socket.isPaused()) this.socket.resume();
    // a pipelined request is read on the next tick: a synchronous answer must not recurse here
    if (this.#buf !== null) process.nextTick(() => { if (this.#req === null) this.#readHead(); });
  }

  /** The front is shutting down and this connection waits for a request: close it now. */
  closeIfIdle(): void {
    if (this.#req === null && !this.#closed) this.socket.destroy();
  }

  // Timers: at most one wait counts at a time

  #arm(wait: Wait, ms: number): void {
    this.#wait = wait;
    this.#deadline.arm(ms);
  }

  #disarm(): void {
    this.#wait = Wait.None;
    this.#deadline.disarm();
  }

  #fire(): void {
    if (this.#wait === Wait.None) return;
    this.#wait = Wait.None;
    this.socket.destroy();
  }
}
