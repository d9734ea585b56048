/**
 * nginx's URI helpers where a URI changes hands inside it: ngx_http_parse_unsafe_uri() for an
 * X-Accel-Redirect, ngx_unescape_uri() and ngx_escape_uri() (NGX_ESCAPE_URI, for the URI
 * proxy_pass sends after an internal redirect).
 *
 * ngx_http_parse_unsafe_uri(): a URI an upstream names in X-Accel-Redirect, split at its first
 * `?` into path and arguments, the path %-decoded (ngx_unescape_uri, type 0); null when it is
 * unsafe — empty, starting with `?`, holding a NUL, or stepping up with `..` as a whole segment
 * (before or after decoding) — then `unsafe` is what nginx's log line names. Only `/` separates
 * segments (nginx on Unix).
 */
export type ParsedUri = { readonly path: string; readonly args: string } | { readonly unsafe: string };

/** `..` as a whole segment at the start of `s`, or after a `/` found before `end`. */
function climbsIn(s: string, end: number): boolean {
  const dots = (at: number): boolean => s[at] === '.' && s[at + 1] === '.' && (at + 2 === s.length || s[at + 2] === '/');
  if (dots(0)) return true;
  for (let at = s.indexOf('/'); at >= 0 && at < end; at = s.indexOf('/', at + 1)) if (dots(at + 1)) return true;
  return false;
}

function climbs(path: string): boolean {
  return climbsIn(path, path.length);
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/**
 * ngx_unescape_uri() with type 0: %XX decoded; a `%` not followed by two hex digits is dropped
 * with the hex digit that did follow it, as nginx's state machine does (`%zz` -> `zz`, `%4z` -> `z`).
 */
export function unescapeUri(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') { out += s[i]; continue; }
    const a = i + 1 < s.length ? hex(s.charCodeAt(i + 1)) : -2;
    if (a === -2) break;
    if (a < 0) { out += s[i + 1]; i += 1; continue; }
    const b = i + 2 < s.length ? hex(s.charCodeAt(i + 2)) : -2;
    if (b === -2) break;
    if (b < 0) { out += s[i + 2]; i += 2; continue; }
    out += String.fromCharCode(a * 16 + b);
    i += 2;
  }
  return out;
}

export function parseUnsafeUri(value: string): ParsedUri {
  if (value === '' || value[0] === '?') return { unsafe: value };
  const q = value.indexOf('?');
  let path = q < 0 ? value : value.slice(0, q);
  const args = q < 0 ? '' : value.slice(q + 1);
  // the first pass looks at the path's slashes but sees the whole value after them (`/a/..?x` is
  // safe), and names the whole value when it stops
  if (path.includes('\0') || climbsIn(value, path.length)) return { unsafe: value };
  if (path.includes('%')) {
    path = unescapeUri(path);
    if (path.includes('\0') || climbs(path)) return { unsafe: path };
  }
  return { path, args };
}

/** NGX_ESCAPE_URI's set: controls, space, `"#%<>?\\^\`{|}`, DEL and every byte above it. */
const ESCAPED = new Uint8Array(256);
for (let c = 0; c < 256; c++) ESCAPED[c] = c <= 0x20 || c >= 0x7f || '"#%<>?\\^`{|}'.includes(String.fromCharCode(c)) ? 1 : 0;
const HEX = '0123456789ABCDEF';

/** ngx_escape_uri(NGX_ESCAPE_URI) over a latin1 string (one byte a character). */
export function escapeUri(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 0xff;
    if (ESCAPED[c] === 0) continue;
    out += s.slice(from, i) + '%' + HEX[c >> 4]! + HEX[c & 15]!;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}
