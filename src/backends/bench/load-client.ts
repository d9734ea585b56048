/**
 * A small HTTP/1.1 load client for benchmarks, lighter than a general one so that on a small
 * machine the backend, not the client, runs out of CPU first. Connections either stay alive (with
 * `pipelining` requests in flight each) or are opened per request with `Connection: close` (nginx's
 * default HTTP/1.0 to upstreams). Responses are framed by Content-Length only (the mock backends
 * never chunk). Bounded: stops at `requests` responses or after `maxDurationMs`, whichever is first.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  readonly port: number;
  readonly connections: number;
  /** Requests in flight per kept-alive connection (1: no pipelining). */
  readonly pipelining: number;
  readonly keepAlive: boolean;
  readonly requests: number;
  readonly maxDurationMs: number;
  readonly path?: string;
}

export interface LoadResult {
  readonly responses: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly elapsedMs: number;
  readonly requestsPerSecond: number;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('Content-Length:'); // as the mock backends (and nginx) spell it

export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const request = Buffer.from(`GET ${opts.path ?? '/'} HTTP/1.1\r\nHost: bench\r\n${opts.keepAlive ? '' : 'Connection: close\r\n'}\r\n`);
  const startedMs = performance.now();
  const deadlineMs = startedMs + opts.maxDurationMs;
  let sent = 0, responses = 0, errors = 0, non2xx = 0;

  const claim = (): boolean => (sent < opts.requests && performance.now() < deadlineMs ? (sent++, true) : false);

  /** One connection: until it has nothing more to do (kept alive) or after one response (close). */
  const connection = (): Promise<void> => new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port: opts.port, noDelay: true });
    let pending: Buffer | null = null, inFlight = 0, need = -1; // need: body bytes still due; -1: reading a head
    const refill = (): void => {
      let burst = 0;
      while (inFlight < opts.pipelining && claim()) { inFlight++; burst++; }
      if (burst === 1) socket.write(request);
      else if (burst > 1) socket.write(Buffer.concat(Array.from({ length: burst }, () => request)));
      if (inFlight === 0) socket.end();
    };
    socket.on('connect', () => {
      if (opts.keepAlive) return refill();
      inFlight = 1;
      socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => {
      const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
      let off = 0;
      for (;;) {
        if (need >= 0) {
          const take = Math.min(need, buf.length - off);
          off += take; need -= take;
          if (need > 0) break;
          need = -1; inFlight--; responses++;
          continue;
        }
        const end = buf.indexOf(CRLF_CRLF, off);
        if (end < 0) break;
        if (buf[off + 9] !== 0x32) non2xx++; // "HTTP/1.1 2xx"
        need = contentLength(buf, off, end);
        off = end + 4;
      }
      pending = off >= buf.length ? null : buf.subarray(off);
      if (opts.keepAlive) refill();
    });
    socket.on('error', () => { errors++; });
    socket.on('close', () => resolve());
  });

  /** A lane keeps one connection busy: kept alive, or one after another. */
  const lane = async (): Promise<void> => {
    if (opts.keepAlive) return connection();
    while (claim()) await connection();
  };

  const lanes = Array.from({ length: opts.connections }, lane);
  return Promise.all(lanes).then(() => {
    const elapsedMs = performance.now() - startedMs;
    return { responses, errors, non2xx, elapsedMs, requestsPerSecond: responses / (elapsedMs / 1000) };
  });
}

/** The Content-Length of the head buf[start, end), read without allocating (0 when absent). */
function contentLength(buf: Buffer, start: number, end: number): number {
  const at = buf.indexOf(CONTENT_LENGTH, start);
  if (at < 0 || at > end) return 0;
  let n = 0;
  for (let i = at + CONTENT_LENGTH.length; i < end; i++) {
    const c = buf[i]!;
    if (c >= 0x30 && c <= 0x39) n = n * 10 + (c - 0x30);
    else if (c !== 0x20) break;
  }
  return n;
}
