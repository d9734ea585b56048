/**
 * File-name globbing for `include`, as glob(3) does it for nginx's `ngx_open_glob()`: `*`, `?` and
 * `[...]` in any path segment, a leading dot only matched literally, results in byte order. A
 * pattern that matches nothing yields nothing (not an error).
 */
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

export function hasGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/** Expands an absolute pattern. */
export function expandGlob(pattern: string): string[] {
  const segments = pattern.split(sep);
  let paths = [segments[0] === '' ? sep : segments[0]!];
  for (const seg of segments.slice(1)) {
    if (seg === '') continue;
    const next: string[] = [];
    if (!hasGlob(seg)) {
      for (const p of paths) next.push(join(p, seg));
    } else {
      const re = segmentRegExp(seg);
      for (const p of paths) {
        let names: string[];
        try { names = readdirSync(p); } catch { continue; }
        for (const n of names.sort(byteOrder)) if (re.test(n)) next.push(join(p, n));
      }
    }
    paths = next;
  }
  return hasGlob(pattern) ? paths : paths.slice(0, 1);
}

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** One segment's pattern as a RegExp; `*` and `?` never match a leading dot. */
export function segmentRegExp(seg: string): RegExp {
  let re = seg.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) { re += '\\['; continue; }
      let body = seg.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}
