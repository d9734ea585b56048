/**
 * What a complete request head says, checked as nginx 1.22's ngx_http_process_request_headers()
 * and ngx_http_process_request_header() check it: Host (required by HTTP/1.1, once),
 * Content-Length (digits, once), Transfer-Encoding (HTTP/1.1 only, exactly `chunked`, never with
 * Content-Length; another coding is 501), TRACE and CONNECT (405), Connection (`close` or
 * `keep-alive` anywhere in it: ngx_http_process_connection), Expect: 100-continue (HTTP/1.1).
 * Pure: the header list in, framing and keep-alive (or the status to answer) out.
 */

export interface HeadFacts {
  /** -1: none (or chunked). */
  readonly contentLength: number;
  readonly chunked: boolean;
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
}

export type Checked = HeadFacts | { readonly status: number; readonly why: string };

/** `s` equals `lower` (lower-case ASCII) with ASCII case folded. */
export function isName(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** ngx_atoof(): decimal digits only, at least one; -1 otherwise (and past 2^53). */
export function digits(s: string): number {
  if (s.length === 0) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
    if (v > Number.MAX_SAFE_INTEGER) return -1;
  }
  return v;
}

export function checkHead(method: string, http11: boolean, raw: readonly string[]): Checked {
  let contentLength = -1, lengths = 0, hosts = 0, te: string | null = null, close = false, keepAlive = false, expect = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    switch (name.length) {
      case 4: if (isName(name, 'host')) hosts++; break;
      case 6: if (isName(name, 'expect') && isName(value, '100-continue')) expect = true; break;
      case 10:
        if (isName(name, 'connection')) {
          const v = value.toLowerCase();
          if (v.includes('close')) close = true; else if (v.includes('keep-alive')) keepAlive = true;
        }
        break;
      case 14: if (isName(name, 'content-length')) { lengths++; contentLength = digits(value); } break;
      case 17: if (isName(name, 'transfer-encoding')) te = te === null ? value : '\0duplicate'; break;
    }
  }
  if (hosts > 1) return { status: 400, why: 'client sent duplicate host header' };
  if (hosts === 0 && http11) return { status: 400, why: 'client sent HTTP/1.1 request without "Host" header' };
  if (lengths > 1) return { status: 400, why: 'client sent duplicate header line: "Content-Length"' };
  if (lengths === 1 && contentLength < 0) return { status: 400, why: 'client sent invalid "Content-Length" header' };
  let chunked = false;
  if (te !== null) {
    if (te === '\0duplicate') return { status: 400, why: 'client sent duplicate header line: "Transfer-Encoding"' };
    if (!http11) return { status: 400, why: 'client sent HTTP/1.0 request with "Transfer-Encoding" header' };
    if (!isName(te, 'chunked')) return { status: 501, why: `client sent unknown "Transfer-Encoding": "${te}"` };
    if (lengths > 0) return { status: 400, why: 'client sent "Content-Length" and "Transfer-Encoding" headers at the same time' };
    chunked = true;
  }
  if (method === 'TRACE' || method === 'CONNECT') return { status: 405, why: `client sent ${method} method` };
  return { contentLength: chunked ? -1 : contentLength, chunked, keepAlive: !close && (keepAlive || http11), expectContinue: expect && http11 };
}
