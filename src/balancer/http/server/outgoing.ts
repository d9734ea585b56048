/**
 * The response to one client request, written straight to the connection's socket: the head
 * serialized once, joined to the first piece of body in one write (node:http wrote the head as a
 * string and the body as a buffer through its stream machinery: a writev per response and ~3 µs
 * of CPU a request more, measured).
 *
 * The head as node:http wrote it, which lbtest's behaviour so far has been: `HTTP/1.1 STATUS
 * REASON`, the caller's headers in order, then what the caller did not give: `Date`,
 * `Connection: keep-alive|close`, and `Transfer-Encoding: chunked` when an HTTP/1.1 response has
 * a body and no Content-Length (an HTTP/1.0 client gets the body until the connection closes).
 * HEAD answers, 1xx, 204 and 304 carry no body whatever is written. An HTTP/0.9 answer is the
 * body alone, and the connection closes after it.
 * Events: `drain` (the socket drained after write() said false), `finish` then `close` once the
 * response is complete, `close` alone when the connection ended first; `onClosed`, the request's
 * own end (its access log), is called just before `close`. Listeners are kept by an EventEmitter
 * made at the first on()/once(): most responses have none, and an emitter per request (its
 * construction, two megamorphic emit() lookups for nothing) showed in the profile.
 * Must not: decide keep-alive beyond what it is told (connection.ts owns the connection).
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { isName } from './request-checks.js';
import { SERVER_SOFTWARE } from '../vars.js';
import { wallNow } from '../../../core/wall-clock.js';
import { HeadPieces } from '../head-pieces.js';

type OutgoingEvent = 'drain' | 'finish' | 'close';

/** writeHead()'s `own`: Server, Date are the upstream's to give (proxy_pass_header). */
export const OWN_SERVER = 1;
export const OWN_DATE = 2;

const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');

/** What the response needs of its connection. */
export interface ResponseOwner {
  readonly socket: Socket;
  /** The response is complete (written); the connection may go on to the next request. */
  responseDone(res: Outgoing): void;
}

/** The response heads' pieces (writeHead is synchronous: one for all). */
const PIECES = new HeadPieces();

/** Resolved: its then() runs a callback as a microtask, like queueMicrotask() without its wrapping. */
const SETTLED = Promise.resolve();

let dateSecond = -1;
let dateText = '';

/** The Date header's value, made once a second. */
function httpDate(): string {
  const now = wallNow();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

export class Outgoing {
  /** Whether the connection may stay open after this response (the request's and the server's say). */
  shouldKeepAlive: boolean;
  /** keepalive_timeout of the location that answered (0: no keep-alive). */
  keepaliveTimeoutMs = 75_000;
  statusCode = 200;
  /** Headers an earlier stage put at the head of the list (an intercepted 401's WWW-Authenticate). */
  leading: string[] | null = null;
  /** Called once the response is over (completed, or the connection ended first), before `close`. */
  onClosed: (() => void) | null = null;
  /** The listeners, once there is one. */
  #events: EventEmitter | null = null;
  #owner: ResponseOwner;
  #http11: boolean;
  #head: string | null = null;
  #headers: string[] | null = null;
  #fixed: string[] | null = null;
  #hasBody: boolean;
  #http09: boolean;
  #chunked = false;
  #ended = false;
  #closed = false;
  #needDrain = false;

  constructor(owner: ResponseOwner, version: '0.9' | '1.0' | '1.1', keepAlive: boolean, isHead: boolean) {
    this.#owner = owner;
    this.#http11 = version === '1.1';
    this.#http09 = version === '0.9';
    this.shouldKeepAlive = keepAlive && !this.#http09;
    this.#hasBody = !isHead;
  }

  on(event: OutgoingEvent, listener: () => void): this {
    (this.#events ??= new EventEmitter()).on(event, listener);
    return this;
  }

  once(event: OutgoingEvent, listener: () => void): this {
    (this.#events ??= new EventEmitter()).once(event, listener);
    return this;
  }

  removeListener(event: OutgoingEvent, listener: () => void): this {
    this.#events?.removeListener(event, listener);
    return this;
  }

  get headersSent(): boolean { return this.#headers !== null; }
  get writableFinished(): boolean { return this.#ended; }
  get writableEnded(): boolean { return this.#ended; }
  get writableNeedDrain(): boolean { return this.#needDrain; }
  get destroyed(): boolean { return this.#closed; }
  /** As a body sink (proxy/exchange-types.ts): it emits its own `drain` and `close`. */
  get writable(): this { return this; }
  get socket(): Socket { return this.#owner.socket; }

  /**
   * keepalive_timeout and keepalive_requests of the location that answers (nginx reads them from
   * it when the request ends): 0 s or the N-th request on the connection means `Connection: close`.
   */
  keepaliveFrom(timeoutMs: number, requests: number, connectionRequests: number): void {
    this.keepaliveTimeoutMs = timeoutMs;
    if (timeoutMs <= 0 || connectionRequests >= requests) this.shouldKeepAlive = false;
  }

  /** A header given to writeHead, by name, any case ($sent_http_NAME). */
  getHeader(name: string): string | undefined {
    for (const h of [this.#fixed, this.#headers]) {
      if (h === null) continue;
      for (let i = 0; i < h.length; i += 2) if (isName(h[i]!, name)) return h[i + 1];
    }
    return undefined;
  }

  /**
   * The head, as nginx's header filter writes it: the status line, Server, Date, then `fixed`
   * (the fields nginx keeps apart: Content-Type, Content-Length, Last-Modified, an absolute
   * Location, in that order), Transfer-Encoding, Connection, then `list` as given (an upstream's
   * other headers, add_header). `own` (OWN_SERVER, OWN_DATE): the upstream's Server or Date is
   * passed (proxy_pass_header): lbtest writes none of its own, as nginx writes none. A 204 with lbtest's own status line (not an upstream's) loses
   * Content-Type, Content-Length and Last-Modified, as in nginx.
   */
  writeHead(status: number, reason: string, fixed: string[], list: string[], upstreamStatusLine = false, own = 0): this {
    if (this.#headers !== null) throw new Error('writeHead after the head was written');
    this.statusCode = status;
    if (status < 200 || status === 204 || status === 304) this.#hasBody = false;
    // the head's pieces joined once: `+=` made a cons string per piece and a flat copy at write
    const p = PIECES;
    p.add('HTTP/1.1 ');
    p.add(String(status));
    p.add(' ');
    p.add(reason);
    if ((own & OWN_SERVER) === 0) {
      p.add('\r\nServer: ');
      p.add(SERVER_SOFTWARE);
    }
    if ((own & OWN_DATE) === 0) {
      p.add('\r\nDate: ');
      p.add(httpDate());
    }
    p.add('\r\n');
    const strip204 = status === 204 && !upstreamStatusLine;
    let framed = false;
    for (let i = 0; i < fixed.length; i += 2) {
      const name = fixed[i]!;
      if (strip204 && !isName(name, 'location')) continue;
      if (name.length === 14 && isName(name, 'content-length')) framed = true;
      p.line(name, fixed[i + 1]!);
    }
    if (!framed && this.#hasBody && !this.#http09) {
      if (this.#http11) this.#chunked = true;
      else this.shouldKeepAlive = false;
    }
    if (this.#chunked) p.add('Transfer-Encoding: chunked\r\n');
    p.add(this.shouldKeepAlive ? 'Connection: keep-alive\r\n' : 'Connection: close\r\n');
    if (this.leading !== null) list = this.leading.concat(list);
    for (let i = 0; i < list.length; i += 2) p.line(list[i]!, list[i + 1]!);
    p.add('\r\n');
    this.#fixed = fixed;
    this.#headers = list;
    const head = p.take();
    this.#head = this.#http09 ? null : head;
    return this;
  }

  write(chunk: Buffer | string): boolean {
    if (this.#ended || this.#closed) return false;
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    if (!this.#hasBody || data.length === 0) return this.#flushHead();
    const ok = this.#send(data, false);
    if (!ok) this.#needDrain = true;
    return ok;
  }

  end(chunk?: Buffer | string): this {
    if (this.#ended || this.#closed) return this;
    if (this.#headers === null) this.writeHead(200, 'OK', [], []);
    const data = chunk === undefined ? null : typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    this.#ended = true;
    if (data !== null && data.length > 0 && this.#hasBody) this.#send(data, true);
    else if (this.#chunked) this.#write(this.#takeHead(), LAST_CHUNK);
    else this.#flushHead();
    this.#owner.responseDone(this);
    // a microtask, not process.nextTick: a tick makes Node run its tick queue after the I/O
    // callback, and node 20 allocates a Map there each time (processPromiseRejections); and a
    // promise reaction, not queueMicrotask(), which wraps each callback in an AsyncResource and a
    // bound function (~2% of the balancer's CPU under load)
    void SETTLED.then(() => {
      this.#events?.emit('finish');
      this.#close();
    });
    return this;
  }

  /** Closes the connection: the client gets what was written so far (a truncated response). */
  destroy(): void {
    this.#owner.socket.destroy();
  }

  /** The connection closed (or the response completed): `close`, once. */
  connectionClosed(): void {
    this.#close();
  }

  /** The socket drained: `drain` for a writer that waited. */
  drained(): void {
    if (!this.#needDrain) return;
    this.#needDrain = false;
    this.#events?.emit('drain');
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const closed = this.onClosed;
    this.onClosed = null;
    if (closed !== null) closed();
    this.#events?.emit('close');
  }

  #takeHead(): string | null {
    const h = this.#head;
    this.#head = null;
    return h;
  }

  #flushHead(): boolean {
    const h = this.#takeHead();
    return h === null ? true : this.#owner.socket.write(h, 'latin1');
  }

  /** A piece of body, framed, with the head when it has not gone yet; `last` adds the last chunk. */
  #send(data: Buffer, last: boolean): boolean {
    const head = this.#takeHead();
    if (!this.#chunked) return this.#write(head, data);
    const size = `${data.length.toString(16)}\r\n`;
    const tail = last ? '\r\n0\r\n\r\n' : '\r\n';
    const pre = head === null ? size : head + size;
    const out = Buffer.allocUnsafe(pre.length + data.length + tail.length);
    out.write(pre, 0, 'latin1');
    data.copy(out, pre.length);
    out.write(tail, pre.length + data.length, 'latin1');
    return this.#owner.socket.write(out);
  }

  #write(head: string | null, data: Buffer): boolean {
    if (head === null) return this.#owner.socket.write(data);
    const out = Buffer.allocUnsafe(head.length + data.length);
    out.write(head, 0, 'latin1');
    data.copy(out, head.length);
    return this.#owner.socket.write(out);
  }
}
