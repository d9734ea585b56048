/**
 * Test fixtures for the upstream client: raw node:net upstreams on 127.0.0.1 port 0 whose
 * behaviour is a script per connection, exchange requests with nginx's defaults, and sinks that
 * collect what the client passes on.
 *
 * Every server registers its own teardown on the test that created it. Scripts wait for events
 * (a whole request arrived, the client closed), never for time.
 * Must not: be imported by non-test code.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type { PeerAddress } from '../../config/model.js';
import type { BodySink, ExchangeRequest, HeadOutcome, KeepaliveSettings, ResponseBody, ResponseHead } from './exchange-types.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

export function tcpPeer(port: number): PeerAddress {
  return { kind: 'tcp', host: '127.0.0.1', port, family: 4, name: `127.0.0.1:${port}` };
}

export function unixPeer(path: string): PeerAddress {
  return { kind: 'unix', path, name: `unix:${path}` };
}

export const KEEPALIVE: KeepaliveSettings = { connections: 8, requests: 1000, timeMs: 3_600_000, timeoutMs: 60_000 };

export function get(path = '/', extra = ''): Buffer {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: backend\r\n${extra}\r\n`, 'latin1');
}

/** An exchange request with nginx's defaults (60 s timeouts, 4k header buffer) and no pool. */
export function request(peer: PeerAddress, over: Partial<ExchangeRequest> = {}): ExchangeRequest {
  return {
    peer, head: get(), body: null, bodyFraming: 'none', isHead: false,
    connectTimeoutMs: 60_000, sendTimeoutMs: 60_000, readTimeoutMs: 60_000, maxHeadBytes: 4096, pool: null,
    ...over,
  };
}

/** One upstream connection as a script sees it. */
export class UpstreamSide {
  readonly socket: Socket;
  readonly index: number;
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;

  constructor(socket: Socket, index: number) {
    this.socket = socket;
    this.index = index;
    socket.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next whole request (head, then a Content-Length or chunked body), or null at close. */
  async request(): Promise<{ head: string; body: Buffer } | null> {
    for (;;) {
      const r = splitRequest(this.buf);
      if (r !== null) {
        this.buf = this.buf.subarray(r.used);
        return { head: r.head, body: r.body };
      }
      if (this.closed) return null;
      await this.changed();
    }
  }

  /** Resolves when the client has closed the connection. */
  async closedByClient(): Promise<void> {
    while (!this.closed) await this.changed();
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  reset(): void {
    this.socket.resetAndDestroy();
  }
}

/** A response with a Content-Length body. */
export function ok(body = 'ok', extra = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${extra}\r\n${body}`;
}

export interface RawUpstream {
  readonly server: Server;
  readonly port: number;
  readonly peer: PeerAddress;
  /** Connections accepted so far. */
  readonly accepted: UpstreamSide[];
}

/** Listens on 127.0.0.1:0 and runs `script` for each connection; torn down with the test. */
export async function rawUpstream(t: Teardown, script: (side: UpstreamSide) => Promise<void> | void): Promise<RawUpstream> {
  const accepted: UpstreamSide[] = [];
  const server = createServer({ noDelay: true }, (socket) => {
    const side = new UpstreamSide(socket, accepted.length);
    accepted.push(side);
    void Promise.resolve(script(side)).catch(() => socket.destroy());
  });
  server.listen(0, '127.0.0.1');
  t.teardown(() => {
    for (const s of accepted) s.socket.destroy();
    server.close();
  });
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return { server, port, peer: tcpPeer(port), accepted };
}

/** Answers every request on every connection with `respond(request index on that connection)`. */
export function serveEach(respond: (n: number, head: string) => string | Buffer): (side: UpstreamSide) => Promise<void> {
  return async (side) => {
    for (let n = 0; n < 10_000; n++) {
      const r = await side.request();
      if (r === null) return;
      side.write(respond(n, r.head));
    }
  };
}

/** A sink that keeps every piece; `highWaterMark` small to make backpressure show. */
export class CollectSink implements BodySink {
  readonly pieces: Buffer[] = [];
  readonly writable: Writable;

  private readonly onWrite: ((chunk: Buffer) => void) | undefined;

  constructor(opts: { slow?: boolean; highWaterMark?: number; onWrite?: (chunk: Buffer) => void } = {}) {
    this.onWrite = opts.onWrite;
    this.writable = opts.slow === true
      ? new Writable({
        highWaterMark: opts.highWaterMark ?? 1024,
        write: (chunk: Buffer, _enc, cb) => { this.pieces.push(chunk); setImmediate(cb); },
      })
      : new PassThrough();
    if (opts.slow !== true) this.writable.on('data', () => {});
  }

  write(chunk: Buffer): boolean {
    if (this.writable instanceof PassThrough) this.pieces.push(Buffer.from(chunk));
    const ok = this.writable.write(chunk);
    this.onWrite?.(chunk);
    return ok;
  }

  text(): string {
    return Buffer.concat(this.pieces).toString('latin1');
  }
}

/** The head of a successful outcome; fails loudly otherwise. */
export function mustHead(out: HeadOutcome): { head: ResponseHead; body: ResponseBody } {
  if (!out.ok) throw new Error(`expected a head, got ${out.failure.kind}: ${out.failure.log}`);
  return out;
}

/** head + Content-Length or chunked body of a request in `buf`, or null when incomplete. */
function splitRequest(buf: Buffer): { head: string; body: Buffer; used: number } | null {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.toString('latin1', 0, end + 4);
  const at = end + 4;
  const cl = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (cl !== null) {
    const n = Number(cl[1]);
    return buf.length - at >= n ? { head, body: buf.subarray(at, at + n), used: at + n } : null;
  }
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    const term = buf.indexOf('0\r\n\r\n', at);
    if (term < 0) return null;
    // the terminator must start a line of its own
    let p = at;
    for (let i = 0; i < 100_000 && p < buf.length; i++) {
      const lineEnd = buf.indexOf('\r\n', p);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', p, lineEnd), 16);
      if (size === 0) return buf.length >= lineEnd + 4 ? { head, body: buf.subarray(at, lineEnd + 4), used: lineEnd + 4 } : null;
      p = lineEnd + 2 + size + 2;
    }
    return null;
  }
  return { head, body: Buffer.alloc(0), used: at };
}

/** Runs one exchange and pipes its body into a CollectSink. */
export async function fetchOnce(
  client: { exchange(req: ExchangeRequest): Promise<HeadOutcome> }, req: ExchangeRequest, sink = new CollectSink(),
): Promise<{ head: ResponseHead; result: Awaited<ReturnType<ResponseBody['pipe']>>; text: string }> {
  const { head, body } = mustHead(await client.exchange(req));
  const result = await body.pipe(sink);
  return { head, result, text: sink.text() };
}

/** An outcome without its connection time, for comparing the rest exactly. */
export function withoutTime(out: HeadOutcome): Omit<HeadOutcome, 'connectedAt'> {
  const { connectedAt: _connectedAt, ...rest } = out;
  return rest;
}
