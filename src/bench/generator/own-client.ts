/**
 * lbtest's own load client for the bench: closed-loop HTTP/1.1 over node:net, light enough that
 * on a small machine the proxy, not the client, runs out of CPU first, with µs latency per
 * response (autocannon counts whole milliseconds) and an exact account of connections:
 *
 *   keep-alive  one socket per lane, one request in flight; a socket the server closes, or a
 *               response saying `Connection: close`, is counted (serverClosed) and reopened;
 *               a request that was in flight on it is an error
 *   close       a new connection per request (`Connection: close`); the latency includes connect;
 *               the client closes once the response is complete
 *
 *   rate        (keep-alive) connection i of C sends its k-th request at t0 + (i + k·C) / rate;
 *               one that falls due while the previous answer is outstanding goes when it comes
 *               and is timed from when it fell due (no coordinated omission); one sent late
 *               because the client's timer fired late is timed from when it was sent
 *
 * (A claimed request waiting for its due time is sent even past the time bound: at most one
 * interval later.)
 *
 * Framing: Content-Length, or the connection's end when there is none; chunked responses are not
 * read (counted as errors: balancers pass the mock backends' Content-Length through).
 * Bounds: no request is claimed past `requests` or past `maxDurationMs`; what is still in flight
 * GRACE_MS later is abandoned and counted as errors. A refused connect uses up a claim.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { LoadJob } from './load.js';

const GRACE_MS = 5000;
const CRLF2 = Buffer.from('\r\n\r\n');

export interface ClientCounts {
  responses: number;
  non2xx: number;
  errors: number;
  serverClosed: number;
  connects: number;
  /** Latencies in ms, in completion order; `n` of them are set. */
  readonly latMs: Float64Array;
  n: number;
  stoppedBy: 'requests' | 'time';
}

/** What one response head says about framing and the connection (read without allocating). */
const head = { contentLength: -1, close: false, chunked: false };

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function nameIs(buf: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if (lower(buf[at + i]!) !== name.charCodeAt(i)) return false;
  return buf[at + name.length] === 0x3a;
}

function valueHas(buf: Buffer, from: number, to: number, word: string): boolean {
  for (let i = from; i + word.length <= to; i++) {
    let j = 0;
    while (j < word.length && lower(buf[i + j]!) === word.charCodeAt(j)) j++;
    if (j === word.length) return true;
  }
  return false;
}

/** Scans the header lines of buf[start, end) (end: the blank line's CRLF). */
function scanHead(buf: Buffer, start: number, end: number): void {
  head.contentLength = -1; head.close = false; head.chunked = false;
  let line = buf.indexOf(10, start) + 1;
  while (line > 0 && line < end) {
    const eol = buf.indexOf(13, line);
    const stop = eol < 0 || eol > end ? end : eol;
    const c = lower(buf[line]!);
    if (c === 0x63 && nameIs(buf, line, 'content-length')) {
      let v = 0;
      for (let i = line + 15; i < stop; i++) { const d = buf[i]! - 0x30; if (d >= 0 && d <= 9) v = v * 10 + d; }
      head.contentLength = v;
    } else if (c === 0x63 && nameIs(buf, line, 'connection')) {
      head.close = valueHas(buf, line + 11, stop, 'close');
    } else if (c === 0x74 && nameIs(buf, line, 'transfer-encoding')) {
      head.chunked = valueHas(buf, line + 18, stop, 'chunked');
    }
    line = stop + 2;
  }
}

export function runOwnClient(job: LoadJob): Promise<ClientCounts> {
  const req = Buffer.from(`GET ${job.path} HTTP/1.1\r\nHost: bench\r\n${job.keepAlive ? '' : 'Connection: close\r\n'}\r\n`, 'latin1');
  const counts: ClientCounts = { responses: 0, non2xx: 0, errors: 0, serverClosed: 0, connects: 0, latMs: new Float64Array(job.requests), n: 0, stoppedBy: 'requests' };
  const sockets = new Set<Socket>();
  const intervalMs = job.rate !== undefined && job.rate > 0 && job.keepAlive ? (1000 * job.connections) / job.rate : 0;
  let lanesStarted = 0;
  let claimed = 0, expired = false, abandoned = false;
  const left = (): boolean => !expired && claimed < job.requests;
  const claim = (): boolean => (left() ? (claimed++, true) : false);
  const deadline = setTimeout(() => { expired = true; counts.stoppedBy = 'time'; }, job.maxDurationMs);
  const abandon = setTimeout(() => { abandoned = true; for (const s of sockets) s.destroy(); }, job.maxDurationMs + GRACE_MS);

  /** One lane: a connection at a time, until no claim is left. Resolves when its last one closed. */
  const lane = (port: number): Promise<void> => new Promise((resolveLane) => {
    let socket: Socket;
    let pending: Buffer | null = null;
    let startMs = 0, status = 0, need = -1;
    let inFlight = false, tillEnd = false, connected = false, ours = false;

    // open loop: the due time of this lane's next request (its schedule starts once it is
    // connected, lanes spread over one interval), and a timer for when it is early
    const offsetMs = (lanesStarted++ * intervalMs) / job.connections;
    let due = -1;
    let wait: NodeJS.Timeout | null = null;
    const fire = (): void => {
      wait = null;
      inFlight = true;
      startMs = performance.now();
      due += intervalMs;
      socket.write(req);
    };
    const send = (): void => {
      if (!claim()) { ours = true; socket.end(); return; }
      if (intervalMs === 0) {
        inFlight = true;
        startMs = performance.now();
        socket.write(req);
        return;
      }
      const now = performance.now();
      if (due < 0) due = now + offsetMs;
      if (now >= due) {
        // held up by the server (or by connecting): timed from when it fell due
        inFlight = true;
        startMs = due;
        due += intervalMs;
        socket.write(req);
        return;
      }
      wait = setTimeout(fire, due - now);
    };
    const complete = (): void => {
      counts.latMs[counts.n++] = performance.now() - startMs;
      counts.responses++;
      if (status < 200 || status > 299) counts.non2xx++;
      inFlight = false; need = -1; tillEnd = false; pending = null;
    };
    const open = (): void => {
      if (!job.keepAlive) {
        if (!claim()) { resolveLane(); return; }
        inFlight = true;
        startMs = performance.now();
      }
      connected = false; ours = false; pending = null; need = -1; tillEnd = false;
      socket = connect({ host: '127.0.0.1', port, noDelay: true });
      counts.connects++;
      sockets.add(socket);
      socket.on('connect', () => { connected = true; if (job.keepAlive) send(); else socket.write(req); });
      socket.on('data', onData);
      socket.on('error', () => { /* counted at close */ });
      socket.on('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      if (!inFlight || tillEnd) return;
      const buf = pending === null ? chunk : Buffer.concat([pending, chunk]);
      if (need < 0) {
        const end = buf.indexOf(CRLF2);
        if (end < 0) { pending = buf; return; }
        scanHead(buf, 0, end + 2);
        status = (buf[9]! - 0x30) * 100 + (buf[10]! - 0x30) * 10 + (buf[11]! - 0x30);
        if (head.chunked) { counts.errors++; inFlight = false; ours = true; socket.destroy(); return; }
        if (head.close && job.keepAlive) { counts.serverClosed++; ours = true; }
        if (head.contentLength < 0) { tillEnd = true; pending = null; return; }
        need = head.contentLength;
        pending = buf.subarray(end + 4);
      } else {
        pending = buf;
      }
      if (pending.length < need) return;
      complete();
      if (!job.keepAlive) { ours = true; socket.destroy(); } else if (!ours) send();
    };
    const onClose = (): void => {
      sockets.delete(socket);
      if (wait !== null) { clearTimeout(wait); wait = null; claimed--; }
      if (inFlight && tillEnd && !abandoned) complete();
      else if (inFlight) counts.errors++;
      if (abandoned) { resolveLane(); return; }
      if (job.keepAlive && !connected) {
        // a failed connect uses up one request (a new-connection lane claimed it already)
        if (!claim()) { resolveLane(); return; }
        counts.errors++;
      } else if (job.keepAlive) {
        if (!ours) counts.serverClosed++;
        if (!left()) { resolveLane(); return; }
      }
      open();
    };
    open();
  });

  const lanes = Array.from({ length: job.connections }, (_, i) => lane(job.ports[i % job.ports.length]!));
  return Promise.all(lanes).then(() => {
    clearTimeout(deadline);
    clearTimeout(abandon);
    return counts;
  });
}
