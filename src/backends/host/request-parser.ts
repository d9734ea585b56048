/**
 * HTTP/1.0 and 1.1 request heads and bodies, as much as a mock backend needs (RFC 9112):
 *
 *   head         := *CRLF request-line *( header-field CRLF ) CRLF
 *   request-line := method SP request-target SP ("HTTP/1.1" | "HTTP/1.0") CRLF
 *   header-field := name ":" OWS value OWS
 *   chunked-body := *( hex-size [ ";" ext ] CRLF data CRLF ) "0" [ ";" ext ] CRLF *( trailer CRLF ) CRLF
 *
 * Only the headers the backend acts on or records are read; everything else is skipped without
 * allocation. The head is decoded as latin1, so a URL keeps its bytes one-to-one.
 * Must not: buffer a body (bodies are skipped as they stream) or throw on bad input (it returns null).
 */

export const MAX_HEAD_BYTES = 64 * 1024;
const CRLF_CRLF = Buffer.from('\r\n\r\n');

export interface RequestHead {
  readonly method: string;
  readonly url: string;
  readonly keepAlive: boolean;
  /** -1: no body framing header. */
  readonly contentLength: number;
  readonly chunked: boolean;
  readonly expectContinue: boolean;
  /** '' when absent. */
  readonly xForwardedFor: string;
  readonly xRealIp: string;
}

/** Offset just past the head's final CRLFCRLF, or -1 when the head is not complete yet. */
export function findHeadEnd(buf: Buffer, start: number): number {
  const at = buf.indexOf(CRLF_CRLF, start);
  return at < 0 ? -1 : at + 4;
}

/** Bytes of empty lines (CRLF) before a request line, which a server must ignore. */
export function leadingEmptyLines(buf: Buffer, start: number): number {
  let i = start;
  while (i + 1 < buf.length && buf[i] === 13 && buf[i + 1] === 10) i += 2;
  return i - start;
}

/** Parses buf[start, end) (end just past CRLFCRLF); null when it is not a request we accept. */
export function parseHead(buf: Buffer, start: number, end: number): RequestHead | null {
  const text = buf.toString('latin1', start, end - 4);
  const lineEnd = endOfLine(text, 0);
  const sp1 = text.indexOf(' ');
  const sp2 = text.lastIndexOf(' ', lineEnd);
  if (sp1 <= 0 || sp2 <= sp1 + 1) return null;
  const version = text.slice(sp2 + 1, lineEnd);
  const http11 = version === 'HTTP/1.1';
  if (!http11 && version !== 'HTTP/1.0') return null;
  let contentLength = -1, chunked = false, expectContinue = false, connection = '';
  let xForwardedFor = '', xRealIp = '';
  for (let pos = lineEnd + 2; pos < text.length;) {
    const next = endOfLine(text, pos);
    const colon = text.indexOf(':', pos);
    if (colon <= pos || colon > next) return null;
    const nameLength = colon - pos;
    // Lower-case only the names whose length matches one we read.
    if (nameLength in WANTED_BY_LENGTH) {
      const name = text.slice(pos, colon).toLowerCase();
      if (WANTED_BY_LENGTH[nameLength] === name) {
        const value = text.slice(colon + 1, next).trim();
        switch (name) {
          case 'content-length':
            if (!/^\d{1,15}$/.test(value) || (contentLength >= 0 && contentLength !== Number(value))) return null;
            contentLength = Number(value);
            break;
          case 'transfer-encoding': chunked = /(?:^|,)\s*chunked\s*$/i.test(value); if (!chunked) return null; break;
          case 'connection': connection = value.toLowerCase(); break;
          case 'expect': expectContinue = value.toLowerCase() === '100-continue'; break;
          case 'x-forwarded-for': xForwardedFor = xForwardedFor === '' ? value : `${xForwardedFor}, ${value}`; break;
          case 'x-real-ip': xRealIp = value; break;
        }
      }
    }
    pos = next + 2;
  }
  if (chunked && contentLength >= 0) return null; // RFC 9112 §6.3: a request smuggling signal
  const keepAlive = http11 ? !/(?:^|,)\s*close\s*(?:,|$)/.test(connection) : /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(connection);
  return {
    method: text.slice(0, sp1), url: text.slice(sp1 + 1, sp2), keepAlive,
    contentLength, chunked, expectContinue, xForwardedFor, xRealIp,
  };
}

const WANTED_BY_LENGTH: Record<number, string> = {
  14: 'content-length', 17: 'transfer-encoding', 10: 'connection', 6: 'expect', 15: 'x-forwarded-for', 9: 'x-real-ip',
};

function endOfLine(text: string, from: number): number {
  const at = text.indexOf('\r\n', from);
  return at < 0 ? text.length : at;
}

/**
 * Skips a request body as it streams: Content-Length bytes, or a chunked body up to its last
 * chunk's trailers. feed() returns the bytes it consumed, or -1 when the framing is broken.
 */
export class BodySkipper {
  #remaining = 0;       // bytes of the current chunk (or the whole body) still to skip
  #chunked = false;
  #state: 'data' | 'size' | 'data-crlf' | 'trailer' | 'done' = 'done';
  #line = '';           // a size or trailer line split across reads

  start(head: RequestHead): void {
    this.#chunked = head.chunked;
    this.#line = '';
    if (head.chunked) { this.#state = 'size'; this.#remaining = 0; return; }
    this.#remaining = Math.max(0, head.contentLength);
    this.#state = this.#remaining > 0 ? 'data' : 'done';
  }

  get done(): boolean { return this.#state === 'done'; }

  feed(buf: Buffer, start: number): number {
    let i = start;
    while (i < buf.length && this.#state !== 'done') {
      if (this.#state === 'data') {
        const take = Math.min(this.#remaining, buf.length - i);
        i += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = this.#chunked ? 'data-crlf' : 'done';
        continue;
      }
      const lf = buf.indexOf(10, i);
      const stop = lf < 0 ? buf.length : lf + 1;
      this.#line += buf.toString('latin1', i, stop);
      i = stop;
      if (this.#line.length > 4096) return -1;
      if (lf < 0) break;
      const line = this.#line.replace(/\r?\n$/, '');
      this.#line = '';
      if (!this.#lineDone(line)) return -1;
    }
    return i - start;
  }

  #lineDone(line: string): boolean {
    switch (this.#state) {
      case 'data-crlf':
        this.#state = 'size';
        return line === '';
      case 'size': {
        const m = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
        if (m === null) return false;
        this.#remaining = parseInt(m[1]!, 16);
        this.#state = this.#remaining === 0 ? 'trailer' : 'data';
        return true;
      }
      case 'trailer':
        if (line === '') this.#state = 'done';
        return true;
      default:
        return false;
    }
  }
}
