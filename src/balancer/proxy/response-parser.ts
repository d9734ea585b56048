/**
 * The upstream response head, parsed byte by byte exactly as nginx 1.22 does it:
 * ngx_http_parse_status_line() then ngx_http_parse_header_line(allow_underscores=1), with the
 * upstream header handlers that matter for framing (ngx_http_upstream.c, 1.22):
 *
 *   status-line = "HTTP/" 1*3DIGIT "." 1*3DIGIT SP *(SP | DIGIT){3 digits} (SP | "." | CR | LF) *text [CR] LF
 *     any mismatch: not HTTP; nginx logs `upstream sent no valid HTTP/1.0 header` and passes the
 *     bytes as an HTTP/0.9 body with status 200
 *   header-line = name ":" *SP value *SP ([CR]+ LF)      bare LF everywhere; the head ends at an empty line
 *     name: any byte but CTL/SP/DEL (and ":" first); "HTTP/" as a name skips the line (IIS);
 *     a name ended by CR/LF is a header with an empty value; NUL in a value, SP in a name,
 *     CR followed by anything but LF: invalid header
 *   Content-Length: the last one wins, ngx_atoof (digits only, else unknown: -1)
 *   Transfer-Encoding: chunked if any value contains "chunked" (any case)
 *   Connection: close if any value contains "close" (any case); HTTP < 1.1 always closes
 *
 * The parse is stateless: a head that spans reads is concatenated by the caller and parsed again
 * from its first byte, which gives nginx's result because nginx's machine depends only on the
 * prefix. Only the first `limit` bytes are looked at (proxy_buffer_size): AGAIN at the limit is
 * `too big header`.
 * Strings are made once the head is complete: the head is decoded once (latin1) and the reason,
 * names and values are slices of it (one crossing into C++ instead of one per string: the
 * per-string decoding was ~3% of the balancer's CPU under load).
 * Must not: allocate anything but the strings of a complete head; use regular expressions.
 * The header-line machine is one function on purpose: it is the hot loop, read against nginx's.
 */
import { invalidHeader, type LogLine } from './log-text.js';
import { recordLine } from '../header-offsets.js';

export const AGAIN = 0;
export const DONE = 1;
export const INVALID = 2;
export const NOT_HTTP = 3;
export type ParseResult = typeof AGAIN | typeof DONE | typeof INVALID | typeof NOT_HTTP;

const CR = 13, LF = 10, SP = 32;

/** Bytes of a header name nginx folds into its lowercase hash: [-0-9A-Za-z_]. */
const TOKEN = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  TOKEN[c] = (c === 0x2d || c === 0x5f || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) ? 1 : 0;
}

const enum H { Start, Name, SpaceBeforeValue, Value, SpaceAfterValue, IgnoreLine, AlmostDone, HeaderAlmostDone }

export class HeadParser {
  status = 0;
  httpMajor = 0;
  httpMinor = 0;
  reason = '';
  rawHeaders: string[] = [];
  /** Offset just past the head's last LF (DONE). */
  headEnd = 0;
  /** ngx_atoof() of the last Content-Length; -1 when absent or not a number. */
  contentLength = -1;
  chunked = false;
  connectionClose = false;
  /** The log line of an INVALID result. */
  invalid: LogLine | null = null;
  /** Offsets of the reason and of each header line's name and value, until the head is complete. */
  private reasonStart = 0;
  private reasonEnd = 0;
  private offsets = new Int32Array(4 * 32);
  private lines = 0;

  /** The first `len` bytes of `buf`. */
  parse(buf: Buffer, limit: number, len = buf.length): ParseResult {
    this.rawHeaders = [];
    this.lines = 0;
    this.reason = '';
    this.contentLength = -1;
    this.chunked = false;
    this.connectionClose = false;
    this.invalid = null;
    const end = Math.min(len, limit);
    const p = this.statusLine(buf, end);
    if (p < 0) return p === -1 ? AGAIN : NOT_HTTP;
    return this.headerLines(buf, p, end);
  }

  /** Returns the offset after the status line, -1 for AGAIN, -2 for not HTTP. */
  private statusLine(buf: Buffer, end: number): number {
    if (end < 5) return prefixOf(buf, end) ? -1 : -2;
    if (buf[0] !== 0x48 || buf[1] !== 0x54 || buf[2] !== 0x54 || buf[3] !== 0x50 || buf[4] !== 0x2f) return -2;
    let p = 5, minor = 0, code = 0, count = 0;
    if (p >= end) return -1;
    let ch = buf[p]!;                        // sw_first_major_digit
    if (ch < 0x31 || ch > 0x39) return -2;
    let major = ch - 0x30;
    for (p++; ; p++) {                       // sw_major_digit
      if (p >= end) return -1;
      ch = buf[p]!;
      if (ch === 0x2e) break;
      if (ch < 0x30 || ch > 0x39 || major > 99) return -2;
      major = major * 10 + ch - 0x30;
    }
    if (++p >= end) return -1;               // sw_first_minor_digit
    ch = buf[p]!;
    if (ch < 0x30 || ch > 0x39) return -2;
    minor = ch - 0x30;
    for (p++; ; p++) {                       // sw_minor_digit
      if (p >= end) return -1;
      ch = buf[p]!;
      if (ch === SP) break;
      if (ch < 0x30 || ch > 0x39 || minor > 99) return -2;
      minor = minor * 10 + ch - 0x30;
    }
    for (p++; count < 3; p++) {              // sw_status: spaces are skipped, even between digits
      if (p >= end) return -1;
      ch = buf[p]!;
      if (ch === SP) continue;
      if (ch < 0x30 || ch > 0x39) return -2;
      code = code * 10 + ch - 0x30;
      count++;
    }
    if (p >= end) return -1;                 // sw_space_after_status
    ch = buf[p]!;
    let textStart = p + 1;
    if (ch === 0x2e) textStart = p;          // IIS `403.1`: the reason keeps the dot
    else if (ch === LF) return this.statusDone(buf, code, major, minor, p, p, p + 1);
    else if (ch === CR) textStart = p;
    else if (ch !== SP) return -2;
    for (p = ch === CR ? p : p + 1; ; p++) { // sw_status_text, then sw_almost_done
      if (p >= end) return -1;
      ch = buf[p]!;
      if (ch === LF) return this.statusDone(buf, code, major, minor, textStart, p, p + 1);
      if (ch === CR) {
        if (p + 1 >= end) return -1;
        return buf[p + 1] === LF ? this.statusDone(buf, code, major, minor, textStart, p, p + 2) : -2;
      }
    }
  }

  private statusDone(buf: Buffer, code: number, major: number, minor: number, textStart: number, textEnd: number, next: number): number {
    this.status = code;
    this.httpMajor = major;
    this.httpMinor = minor;
    this.reasonStart = textStart;
    this.reasonEnd = textEnd;
    return next;
  }

  /** ngx_http_parse_header_line() in a loop, from `p` to the empty line. */
  private headerLines(buf: Buffer, p: number, end: number): ParseResult {
    let state = H.Start;
    let nameStart = p, nameEnd = p, valueStart = p, valueEnd = p;
    for (; p < end; p++) {
      const ch = buf[p]!;
      switch (state) {
        case H.Start:
          nameStart = p;
          if (ch === CR) { valueEnd = p; state = H.HeaderAlmostDone; break; }
          if (ch === LF) return this.done(buf, p + 1);
          if (TOKEN[ch] === 0 && (ch <= SP || ch === 0x7f || ch === 0x3a)) return this.bad(buf, nameStart, p);
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
          if (ch === LF) { nameEnd = valueStart = valueEnd = p; this.line(buf, nameStart, nameEnd, valueStart, valueEnd); state = H.Start; break; }
          if (ch === 0x2f && p - nameStart === 4 && buf[nameStart] === 0x48 && buf[nameStart + 1] === 0x54
            && buf[nameStart + 2] === 0x54 && buf[nameStart + 3] === 0x50) { state = H.IgnoreLine; break; }
          if (ch <= SP || ch === 0x7f) return this.bad(buf, nameStart, p);
          break;
        case H.SpaceBeforeValue:
          if (ch === SP) break;
          if (ch === CR) { valueStart = valueEnd = p; state = H.AlmostDone; break; }
          if (ch === LF) { valueStart = valueEnd = p; this.line(buf, nameStart, nameEnd, valueStart, valueEnd); state = H.Start; break; }
          if (ch === 0) return this.bad(buf, nameStart, p);
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
          if (ch === LF) { valueEnd = p; this.line(buf, nameStart, nameEnd, valueStart, valueEnd); state = H.Start; break; }
          if (ch === 0) return this.bad(buf, nameStart, p);
          break;
        case H.SpaceAfterValue:
          if (ch === SP) break;
          if (ch === CR) { state = H.AlmostDone; break; }
          if (ch === LF) { this.line(buf, nameStart, nameEnd, valueStart, valueEnd); state = H.Start; break; }
          if (ch === 0) return this.bad(buf, nameStart, p);
          state = H.Value;
          break;
        case H.IgnoreLine:
          if (ch === LF) state = H.Start;
          break;
        case H.AlmostDone:
          if (ch === LF) { this.line(buf, nameStart, nameEnd, valueStart, valueEnd); state = H.Start; break; }
          if (ch === CR) break;
          return this.bad(buf, nameStart, valueEnd);
        case H.HeaderAlmostDone:
          if (ch === LF) return this.done(buf, p + 1);
          return this.bad(buf, nameStart, valueEnd);
      }
    }
    return AGAIN;
  }

  /** The head is complete at `end`: its strings, as slices of one decoding. */
  private done(buf: Buffer, end: number): ParseResult {
    this.headEnd = end;
    const text = buf.toString('latin1', 0, end);
    if (this.reasonEnd > this.reasonStart) this.reason = text.slice(this.reasonStart, this.reasonEnd);
    const o = this.offsets;
    const raw = this.rawHeaders;
    for (let i = 0; i < this.lines * 4; i += 4) raw.push(text.slice(o[i]!, o[i + 1]!), text.slice(o[i + 2]!, o[i + 3]!));
    return DONE;
  }

  /** nginx logs the line from its start to header_end, then the byte at header_end. */
  private bad(buf: Buffer, lineStart: number, at: number): ParseResult {
    this.invalid = invalidHeader(buf.toString('latin1', lineStart, at), buf[at]!);
    return INVALID;
  }

  private line(buf: Buffer, ns: number, ne: number, vs: number, ve: number): void {
    this.offsets = recordLine(this.offsets, this.lines++, ns, ne, vs, ve);
    const len = ne - ns;
    if (len === 14 && nameIs(buf, ns, 'content-length')) this.contentLength = atoof(buf, vs, ve);
    else if (len === 17 && nameIs(buf, ns, 'transfer-encoding')) { if (containsCi(buf, vs, ve, 'chunked')) this.chunked = true; }
    else if (len === 10 && nameIs(buf, ns, 'connection')) { if (containsCi(buf, vs, ve, 'close')) this.connectionClose = true; }
  }
}

/** Whether the first `end` bytes could still begin "HTTP/". */
function prefixOf(buf: Buffer, end: number): boolean {
  const want = [0x48, 0x54, 0x54, 0x50, 0x2f];
  for (let i = 0; i < end; i++) if (buf[i] !== want[i]) return false;
  return true;
}

/** ASCII case-insensitive name match; `lower` is lowercase letters and '-'. */
function nameIs(buf: Buffer, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((buf[at + i]! | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

/** ngx_strlcasestrn(): `lower` anywhere in [start, end), ASCII case-insensitive. */
export function containsCi(buf: Buffer, start: number, end: number, lower: string): boolean {
  const n = lower.length;
  for (let i = start; i + n <= end; i++) {
    let j = 0;
    while (j < n && (buf[i + j]! | 0x20) === lower.charCodeAt(j)) j++;
    if (j === n) return true;
  }
  return false;
}

/** ngx_atoof(): decimal digits only, at least one; -1 otherwise (and past 2^53, nginx's 2^63). */
export function atoof(buf: Buffer, start: number, end: number): number {
  if (end <= start) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
    if (v > Number.MAX_SAFE_INTEGER) return -1;
  }
  return v;
}
