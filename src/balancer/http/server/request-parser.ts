/**
 * A client's request head, read as nginx 1.22 reads it: ngx_http_parse_request_line(), then
 * ngx_http_parse_header_line() with underscores_in_headers off and ignore_invalid_headers on,
 * then the checks of ngx_http_process_request_headers() and ngx_http_process_request_header():
 *
 *   request-line = *(CR | LF) method SP+ target SP+ "HTTP/" 1*2DIGIT "." 1*3DIGIT *SP [CR] LF
 *     method: [A-Z_-]+ (else 400); target: "/" path, or scheme "://" host [path] (the path is the
 *     URI, the host stands for Host), bytes > 0x20 but DEL (else 400); a space in it: 400;
 *     major version > 1: 505
 *   HTTP/0.9: `GET target [CR] LF` and no headers (another method: 400); the answer has no head
 *   header-line  = name ":" *SP value *SP [CR] LF    the head ends at an empty line
 *     name bytes <= 0x20, DEL, or ":" first: 400; a name with `_` or another non-token byte is
 *     an invalid header, dropped (nginx logs it at info); NUL in a value, CR not before LF: 400
 *   then request-checks.ts: Host, Content-Length, Transfer-Encoding, TRACE/CONNECT, Connection
 * Limits (large_client_header_buffers N SIZE): a request line longer than SIZE is 414, a header
 * line longer than SIZE or a head longer than N x SIZE is 494 (400 "Request Header Or Cookie Too
 * Large"); a head still incomplete past N x SIZE is the same.
 * Stateless: an incomplete head is parsed again from its first byte when more arrives; strings are
 * made once it is complete, as slices of one latin1 decoding.
 * Must not: use regular expressions; allocate before the head is complete.
 */
import { HEADER_TOO_LARGE } from '../pages.js';
import { checkHead } from './request-checks.js';
import { recordLine } from '../../header-offsets.js';

export const AGAIN = 0;

/** What a complete head says; fields are valid after parse() returned DONE. */
export interface RequestHead {
  readonly method: string;
  /** The request target as sent ($request_uri); for an absolute URI, its path. */
  readonly target: string;
  /** The host of an absolute URI, lower-cased; '' when the target is a path. */
  readonly lineHost: string;
  readonly major: number;
  readonly minor: number;
  readonly rawHeaders: readonly string[];
  /** Offset just past the blank line. */
  readonly headEnd: number;
  /** -1: none. */
  readonly contentLength: number;
  readonly chunked: boolean;
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
}

const CR = 13, LF = 10, SP = 32;

/** nginx's lowcase table: the bytes a header name may hold, [-0-9A-Za-z]. */
const TOKEN = new Uint8Array(256);
for (let c = 0; c < 256; c++) TOKEN[c] = (c === 0x2d || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) ? 1 : 0;

const enum H { Start, Name, SpaceBeforeValue, Value, SpaceAfterValue, AlmostDone, HeadAlmostDone }

export class RequestParser {
  /** The result of the last DONE. */
  head: RequestHead | null = null;
  /** The reason of the last error status, in nginx's error-log words. */
  error = '';
  /** The last error came from an HTTP/0.9 request line: nginx answers with the page alone. */
  error09 = false;
  private offsets = new Int32Array(4 * 32);
  private lines = 0;
  private methodEnd = 0;
  private targetStart = 0;
  private targetEnd = 0;
  private major = 0;
  private minor = 0;

  /**
   * AGAIN, DONE (1), or the status to answer with: 400, 414, 494 (HEADER_TOO_LARGE), 405, 501, 505.
   * `lineMax` is large_client_header_buffers' size, `headMax` their count times it; the bytes
   * are the first `len` of `buf`.
   */
  parse(buf: Buffer, lineMax: number, headMax: number, len = buf.length): number {
    this.lines = 0;
    this.head = null;
    this.http09Head = false;
    this.error09 = false;
    const end = Math.min(len, headMax);
    const p = this.requestLine(buf, end, lineMax);
    if (p < 0) return p === -1 ? (len >= headMax ? this.fail(len > lineMax ? 414 : HEADER_TOO_LARGE, 'client sent too long URI') : AGAIN) : -p;
    if (this.http09Head) return this.done(buf, p);
    const r = this.headerLines(buf, p, end, lineMax);
    if (r === AGAIN && len >= headMax) return this.fail(HEADER_TOO_LARGE, 'client sent too large request');
    return r;
  }

  private fail(status: number, why: string): number {
    this.error = why;
    return status;
  }

  /** Returns the offset after the request line, -1 for AGAIN, or -status. */
  private requestLine(buf: Buffer, end: number, lineMax: number): number {
    let p = 0;
    while (p < end && (buf[p] === CR || buf[p] === LF)) p++;
    const start = p;
    for (; ; p++) {                                     // sw_method
      if (p >= end) return this.lineAgain(p - start, lineMax);
      const ch = buf[p]!;
      if (ch === SP && p > start) break;
      if ((ch < 0x41 || ch > 0x5a) && ch !== 0x5f && ch !== 0x2d) return -this.fail(400, 'client sent invalid method');
    }
    this.methodEnd = p;
    while (p < end && buf[p] === SP) p++;               // sw_spaces_before_uri
    if (p >= end) return this.lineAgain(p - start, lineMax);
    this.hostStart = this.hostEnd = -1;
    if (buf[p] !== 0x2f) {
      p = this.absolute(buf, p, end);
      if (p < 0) return p === -1 ? this.lineAgain(end - start, lineMax) : p;
    }
    this.targetStart = p;
    for (; ; p++) {                                     // the path, up to a space
      if (p >= end) return this.lineAgain(p - start, lineMax);
      const ch = buf[p]!;
      if (ch === SP || ch === CR || ch === LF) break;
      if (ch < 0x20 || ch === 0x7f) return -this.fail(400, 'client sent invalid request');
    }
    this.targetEnd = p;
    while (p < end && buf[p] === SP) p++;
    if (p >= end) return this.lineAgain(p - start, lineMax);
    if (buf[p] === CR || buf[p] === LF) return this.http09(buf, p, end, start, lineMax);
    if (p + 5 > end) return this.lineAgain(p - start, lineMax);
    if (buf[p] !== 0x48 || buf[p + 1] !== 0x54 || buf[p + 2] !== 0x54 || buf[p + 3] !== 0x50 || buf[p + 4] !== 0x2f) {
      return -this.fail(400, 'client sent invalid request');
    }
    p += 5;
    let major = -1, minor = -1;
    for (; p < end; p++) {                              // sw_major_digit
      const ch = buf[p]!;
      if (ch === 0x2e && major >= 0) break;
      if (ch < 0x30 || ch > 0x39 || (major < 0 && ch === 0x30) || major > 9) return -this.fail(400, 'client sent invalid request');
      major = major < 0 ? ch - 0x30 : major * 10 + ch - 0x30;
    }
    for (p++; p < end; p++) {                           // sw_minor_digit
      const ch = buf[p]!;
      if (ch < 0x30 || ch > 0x39) break;
      if (minor > 99) return -this.fail(400, 'client sent invalid request');
      minor = minor < 0 ? ch - 0x30 : minor * 10 + ch - 0x30;
    }
    while (p < end && buf[p] === SP) p++;               // sw_spaces_after_digit
    if (p >= end) return this.lineAgain(p - start, lineMax);
    if (minor < 0) return -this.fail(400, 'client sent invalid request');
    if (buf[p] === CR) {
      if (p + 1 >= end) return this.lineAgain(p - start, lineMax);
      if (buf[p + 1] !== LF) return -this.fail(400, 'client sent invalid request');
      p++;
    } else if (buf[p] !== LF) {
      return -this.fail(400, 'client sent invalid request');
    }
    if (p - start > lineMax) return -this.fail(414, 'client sent too long URI');
    if (major > 1) return -this.fail(505, 'client sent invalid HTTP version');
    this.major = major;
    this.minor = minor;
    this.lineStart = start;
    return p + 1;
  }

  private lineStart = 0;
  private hostStart = -1;
  private hostEnd = -1;
  private http09Head = false;

  /** scheme "://" host: returns the offset of the path (or of what ends the target), -1, or -400. */
  private absolute(buf: Buffer, p: number, end: number): number {
    const c0 = buf[p]! | 0x20;
    if (c0 < 0x61 || c0 > 0x7a) return -this.fail(400, 'client sent invalid request');
    for (; ; p++) {                                     // sw_schema
      if (p >= end) return -1;
      const ch = buf[p]!, c = ch | 0x20;
      if (ch === 0x3a) break;
      if (!((c >= 0x61 && c <= 0x7a) || (ch >= 0x30 && ch <= 0x39) || ch === 0x2b || ch === 0x2d || ch === 0x2e)) return -this.fail(400, 'client sent invalid request');
    }
    if (p + 3 > end) return -1;
    if (buf[p + 1] !== 0x2f || buf[p + 2] !== 0x2f) return -this.fail(400, 'client sent invalid request');
    p += 3;
    this.hostStart = p;
    for (; ; p++) {                                     // sw_host .. sw_port
      if (p >= end) return -1;
      const ch = buf[p]!;
      if (ch === 0x2f || ch === SP) break;
      if (ch <= 0x20 || ch === 0x7f || ch === 0x3f || ch === 0x23) return -this.fail(400, 'client sent invalid request');
    }
    this.hostEnd = p;
    if (p === this.hostStart) return -this.fail(400, 'client sent invalid request');
    return p;
  }

  /** ngx_http_parse_request_line()'s sw_http_09: GET only, no headers follow. */
  private http09(buf: Buffer, p: number, end: number, start: number, lineMax: number): number {
    if (buf[p] === CR) {
      if (p + 1 >= end) return this.lineAgain(p - start, lineMax);
      if (buf[p + 1] !== LF) return -this.fail(400, 'client sent invalid request');
      p++;
    }
    if (this.methodEnd - start !== 3 || buf[start] !== 0x47 || buf[start + 1] !== 0x45 || buf[start + 2] !== 0x54) {
      this.error09 = true;
      return -this.fail(400, 'client sent invalid method in HTTP/0.9 request');
    }
    this.major = 0;
    this.minor = 9;
    this.lineStart = start;
    this.http09Head = true;
    return p + 1;
  }

  private lineAgain(length: number, lineMax: number): number {
    return length > lineMax ? -this.fail(414, 'client sent too long URI') : -1;
  }

  /** ngx_http_parse_header_line() in a loop, from `p` to the empty line. */
  private headerLines(buf: Buffer, p: number, end: number, lineMax: number): number {
    let state = H.Start;
    let nameStart = p, nameEnd = p, valueStart = p, valueEnd = p, invalid = false;
    for (; p < end; p++) {
      const ch = buf[p]!;
      switch (state) {
        case H.Start:
          nameStart = p;
          invalid = false;
          if (ch === CR) { state = H.HeadAlmostDone; break; }
          if (ch === LF) return this.done(buf, p + 1);
          if (TOKEN[ch] === 0) {
            if (ch <= SP || ch === 0x7f || ch === 0x3a) return this.fail(400, 'client sent invalid header line');
            invalid = true;
          }
          state = H.Name;
          break;
        case H.Name:
          if (TOKEN[ch] === 1) {
            // the rest of the name's token bytes in one loop, not one switch each
            while (p + 1 < end && TOKEN[buf[p + 1]!] === 1) p++;
            break;
          }
          if (ch === 0x3a) { nameEnd = p; state = H.SpaceBeforeValue; break; }
          if (ch === CR) { nameEnd = valueStart = valueEnd = p; state = H.AlmostDone; break; }
          if (ch === LF) { nameEnd = valueStart = valueEnd = p; if (!this.line(nameStart, nameEnd, valueStart, valueEnd, p, lineMax, invalid)) return HEADER_TOO_LARGE; state = H.Start; break; }
          if (ch <= SP || ch === 0x7f) return this.fail(400, 'client sent invalid header line');
          invalid = true;
          break;
        case H.SpaceBeforeValue:
          if (ch === SP) break;
          if (ch === CR) { valueStart = valueEnd = p; state = H.AlmostDone; break; }
          if (ch === LF) { valueStart = valueEnd = p; if (!this.line(nameStart, nameEnd, valueStart, valueEnd, p, lineMax, invalid)) return HEADER_TOO_LARGE; state = H.Start; break; }
          if (ch === 0) return this.fail(400, 'client sent invalid header line');
          valueStart = p;
          state = H.Value;
          break;
        case H.Value:
          if (ch > SP) {
            // the value's ordinary bytes in one loop: only SP, CR, LF and NUL (all <= SP) stop it
            while (p + 1 < end && buf[p + 1]! > SP) p++;
            break;
          }
          if (ch === SP) { valueEnd = p; state = H.SpaceAfterValue; break; }
          if (ch === CR) { valueEnd = p; state = H.AlmostDone; break; }
          if (ch === LF) { valueEnd = p; if (!this.line(nameStart, nameEnd, valueStart, valueEnd, p, lineMax, invalid)) return HEADER_TOO_LARGE; state = H.Start; break; }
          if (ch === 0) return this.fail(400, 'client sent invalid header line');
          break;
        case H.SpaceAfterValue:
          if (ch === SP) break;
          if (ch === CR) { state = H.AlmostDone; break; }
          if (ch === LF) { if (!this.line(nameStart, nameEnd, valueStart, valueEnd, p, lineMax, invalid)) return HEADER_TOO_LARGE; state = H.Start; break; }
          if (ch === 0) return this.fail(400, 'client sent invalid header line');
          state = H.Value;
          break;
        case H.AlmostDone:
          if (ch === LF) { if (!this.line(nameStart, nameEnd, valueStart, valueEnd, p, lineMax, invalid)) return HEADER_TOO_LARGE; state = H.Start; break; }
          if (ch === CR) break;
          return this.fail(400, 'client sent invalid header line');
        case H.HeadAlmostDone:
          if (ch === LF) return this.done(buf, p + 1);
          return this.fail(400, 'client sent invalid header line');
      }
    }
    if (p - nameStart > lineMax) return this.fail(HEADER_TOO_LARGE, 'client sent too long header line');
    return AGAIN;
  }

  /** One header line ending at `eol`; false when it is longer than a large buffer. */
  private line(ns: number, ne: number, vs: number, ve: number, eol: number, lineMax: number, invalid: boolean): boolean {
    if (eol - ns > lineMax) { this.error = 'client sent too long header line'; return false; }
    if (invalid) return true;                           // ignore_invalid_headers: dropped
    this.offsets = recordLine(this.offsets, this.lines++, ns, ne, vs, ve);
    return true;
  }

  /** The head is complete at `end`: its strings, then nginx's checks of what they say. */
  private done(buf: Buffer, end: number): number {
    const text = buf.toString('latin1', this.lineStart, end);
    const base = this.lineStart;
    const o = this.offsets;
    const raw: string[] = [];
    for (let i = 0; i < this.lines * 4; i += 4) raw.push(text.slice(o[i]! - base, o[i + 1]! - base), text.slice(o[i + 2]! - base, o[i + 3]! - base));
    const method = text.slice(0, this.methodEnd - base);
    const facts = checkHead(method, this.major === 1 && this.minor >= 1, raw);
    if ('status' in facts) return this.fail(facts.status, facts.why);
    // every field named, in one order: a spread would give heads a map of its own making
    this.head = {
      method, target: this.targetEnd > this.targetStart ? text.slice(this.targetStart - base, this.targetEnd - base) : '/',
      lineHost: this.hostStart < 0 ? '' : text.slice(this.hostStart - base, this.hostEnd - base).toLowerCase(),
      major: this.major, minor: this.minor, rawHeaders: raw, headEnd: end,
      contentLength: facts.contentLength, chunked: facts.chunked, keepAlive: facts.keepAlive, expectContinue: facts.expectContinue,
    };
    return 1;
  }
}
