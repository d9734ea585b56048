/**
 * What a client sees on the wire, for tests: a raw TCP socket to 127.0.0.1 that sends given bytes
 * and reports every byte received (with its arrival time) and how the connection ended — FIN,
 * RST (ECONNRESET), refused (ECONNREFUSED), or still silent when the bound ran out (timeout).
 * No HTTP client sits in between to retry, buffer or reinterpret. Every probe is bounded by timeoutMs.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export type Ending = 'fin' | 'reset' | 'refused' | 'timeout' | 'error';

export interface WireResult {
  readonly ending: Ending;
  readonly errorCode: string | null;
  readonly bytes: Buffer;
  /** One entry per read: ms since the request was written, and bytes read. */
  readonly reads: readonly { readonly atMs: number; readonly bytes: number }[];
}

export interface ProbeOptions {
  readonly timeoutMs?: number;
  /** Resolve as soon as this many bytes have arrived (keeps the connection for a caller). */
  readonly untilBytes?: number;
}

/** Connects, writes `request`, and collects until the connection ends or the bound runs out. */
export function probe(port: number, request: string | Buffer, opts: ProbeOptions = {}): Promise<WireResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const reads: { atMs: number; bytes: number }[] = [];
    let sentAt = 0, errorCode: string | null = null, ending: Ending | null = null, received = 0;
    const finish = (how: Ending): void => {
      if (ending !== null) return;
      ending = how;
      socket.destroy();
      resolve({ ending: how, errorCode, bytes: Buffer.concat(chunks), reads });
    };
    socket.setTimeout(opts.timeoutMs ?? 2000, () => finish('timeout'));
    socket.on('connect', () => { sentAt = performance.now(); socket.write(request); });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      reads.push({ atMs: performance.now() - sentAt, bytes: chunk.length });
      if (opts.untilBytes !== undefined && received >= opts.untilBytes) finish('timeout');
    });
    socket.on('end', () => finish('fin'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      errorCode = err.code ?? null;
      finish(err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : err.code === 'ECONNREFUSED' ? 'refused' : 'error');
    });
  });
}

/** `GET path HTTP/1.1` with Host and any extra header lines. */
export function get(path = '/', extra: readonly string[] = [], version = '1.1'): string {
  return [`GET ${path} HTTP/${version}`, 'Host: lbtest', ...extra, '', ''].join('\r\n');
}

export interface ParsedResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** Content-Length bytes of body arrived. */
  readonly complete: boolean;
  /** Bytes after this response (a pipelined next one). */
  readonly rest: Buffer;
}

/** Parses one response from the front of `bytes`; null if not even the head is there. */
export function parseResponse(bytes: Buffer): ParsedResponse | null {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = bytes.toString('latin1', 0, end).split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const length = Number(headers.get('content-length') ?? 0);
  const body = bytes.subarray(end + 4, end + 4 + length);
  return {
    status: Number(statusLine!.split(' ')[1]), headers, body,
    complete: body.length === length, rest: bytes.subarray(end + 4 + length),
  };
}

/** Every response in `bytes`, in order. */
export function parseResponses(bytes: Buffer): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  let rest = bytes;
  for (let r = parseResponse(rest); r !== null; r = parseResponse(rest)) {
    out.push(r);
    rest = r.rest;
    if (!r.complete) break;
  }
  return out;
}

/** A kept-alive raw connection, for tests that send on it more than once. */
export async function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  return socket;
}

export interface CurlResult {
  /** curl's exit code: 0 ok, 7 refused, 18 truncated, 28 timeout, 52 empty reply, 56 reset. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * curl as a second, independent client: unlike libuv (which reports an RST that arrives together
 * with data as a plain end of stream), curl reads on after the data and names the reset (exit 56).
 * Resolves null when curl is not installed.
 */
export function curl(url: string, args: readonly string[] = []): Promise<CurlResult | null> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '--max-time', '10', ...args, url], (err, stdout, stderr) => {
      const code = (err as NodeJS.ErrnoException | null)?.code;
      if (code === 'ENOENT') return resolve(null);
      resolve({ exitCode: err === null ? 0 : typeof code === 'number' ? code : Number((err as { code?: unknown }).code ?? 1), stdout, stderr });
    });
  });
}
