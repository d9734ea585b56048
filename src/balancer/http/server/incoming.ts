/**
 * A client request as the request path reads it: what node:http's IncomingMessage offered and
 * lbtest used (method, url, httpVersion, headers, rawHeaders, socket), without a stream per
 * request: the body is a Readable of its own (`body`), made only for a request that has one.
 *
 * `headers` is built on first use with node:http's rules, which the variables were written
 * against: lower-cased names; a repeated Set-Cookie makes an array; a repeated Cookie is joined
 * with "; "; repeats of the single-valued headers below are dropped; other repeats are joined
 * with ", ".
 * Must not: parse anything (request-parser.ts did); read the socket (connection.ts does).
 */
import { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import type { RequestHead } from './request-parser.js';

/** Headers node:http keeps the first of (_http_incoming.js matchKnownFields). */
const SINGLE = new Set([
  'content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization',
  'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag',
  'last-modified', 'server', 'age', 'expires',
]);

export type Headers = Record<string, string | string[] | undefined>;

/**
 * The request body, as it arrives (de-chunked). Backpressure goes to the socket: when nobody
 * reads, the connection stops reading. An idle timer (client_body_timeout) runs while it is
 * incomplete and is refreshed by every piece.
 */
export class RequestBody extends Readable {
  private timer: NodeJS.Timeout | null = null;
  private onIdle: (() => void) | null = null;

  constructor(private readonly resumeSocket: () => void) {
    super();
  }

  override _read(): void {
    this.resumeSocket();
  }

  /** Like IncomingMessage.setTimeout(): `onIdle` once no piece arrived for `ms`; 0 clears it. */
  setTimeout(ms: number, onIdle?: () => void): this {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.onIdle = onIdle ?? null;
    if (ms > 0 && !this.readableEnded) {
      this.timer = setTimeout(() => { this.timer = null; this.onIdle?.(); }, ms);
      this.timer.unref();
    }
    return this;
  }

  /** A piece arrived: the idle timer starts again. Returns push()'s answer. */
  piece(data: Buffer): boolean {
    if (this.timer !== null) this.timer.refresh();
    return this.push(data);
  }

  finish(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.push(null);
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    cb(err);
  }
}

export class Incoming {
  readonly method: string;
  /** The request target as sent; for an absolute URI, its path. */
  readonly url: string;
  /** The host of an absolute URI (it stands for Host, as in nginx); '' otherwise. */
  readonly lineHost: string;
  readonly httpVersion: string;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly rawHeaders: readonly string[];
  readonly socket: Socket;
  /** -1 when the body is chunked or absent. */
  readonly contentLength: number;
  readonly chunked: boolean;
  /** null: no body. */
  readonly body: RequestBody | null;
  /** The whole body has arrived (at once when there is none). */
  complete: boolean;
  #headers: Headers | null = null;

  constructor(head: RequestHead, socket: Socket, body: RequestBody | null) {
    this.method = head.method;
    this.url = head.target;
    this.lineHost = head.lineHost;
    this.httpVersionMajor = head.major;
    this.httpVersionMinor = head.minor;
    this.httpVersion = head.major === 1 && head.minor === 1 ? '1.1' : head.major === 1 && head.minor === 0 ? '1.0' : `${head.major}.${head.minor}`;
    this.rawHeaders = head.rawHeaders;
    this.socket = socket;
    this.contentLength = head.contentLength;
    this.chunked = head.chunked;
    this.body = body;
    this.complete = body === null;
  }

  get headers(): Headers {
    if (this.#headers !== null) return this.#headers;
    const out: Headers = {};
    const raw = this.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase();
      const value = raw[i + 1]!;
      const had = out[name];
      if (had === undefined) out[name] = name === 'set-cookie' ? [value] : value;
      else if (name === 'set-cookie') (had as string[]).push(value);
      else if (name === 'cookie') out[name] = `${had as string}; ${value}`;
      else if (!SINGLE.has(name)) out[name] = `${had as string}, ${value}`;
    }
    this.#headers = out;
    return out;
  }
}
