/**
 * Static files (`root`, `alias`, `index`), as nginx's static and index modules answer: a file with
 * its length and type; a directory URI ending in `/` served through the first index file that
 * exists (403 when none does); a directory without the slash redirected (301); 404 otherwise; 405
 * for methods other than GET and HEAD. Files are streamed, never read whole. The index file is
 * served from the same location (nginx re-matches locations for it: a known simplification).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Stats } from 'node:fs';
import type { RequestContext } from './context.js';
import { REASONS } from './pages.js';

/** nginx's built-in `types` map (ngx_http_core_module.c) and default_type. */
const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.gif': 'image/gif', '.jpg': 'image/jpeg' };
const DEFAULT_TYPE = 'text/plain';

export type StaticResult =
  | { readonly kind: 'status'; readonly status: number; readonly location?: string }
  | { readonly kind: 'file'; readonly path: string; readonly stats: Stats };

async function fileStat(path: string): Promise<Stats | null> {
  try { return await stat(path); } catch { return null; }
}

export async function resolveStatic(ctx: RequestContext): Promise<StaticResult> {
  const method = ctx.method;
  const s = ctx.settings;
  const loc = ctx.location?.match;
  const base = s.alias !== null && loc !== undefined && loc.kind === 'prefix'
    ? join(s.alias, ctx.uri.slice(loc.path.length))
    : join(s.root, ctx.uri);
  if (ctx.uri.endsWith('/')) {
    for (const index of s.index) {
      const path = index.startsWith('/') ? join(s.root, index) : join(base, index);
      const st = await fileStat(path);
      if (st?.isFile()) return methodAllowed(method) ? { kind: 'file', path, stats: st } : { kind: 'status', status: 405 };
    }
    const dir = await fileStat(base);
    return { kind: 'status', status: dir?.isDirectory() ? 403 : 404 };
  }
  const st = await fileStat(base);
  if (st === null) return { kind: 'status', status: 404 };
  if (st.isDirectory()) return { kind: 'status', status: 301, location: ctx.uri + '/' + (ctx.args === '' ? '' : `?${ctx.args}`) };
  if (!methodAllowed(method)) return { kind: 'status', status: 405 };
  return { kind: 'file', path: base, stats: st };
}

const methodAllowed = (m: string | undefined): boolean => m === 'GET' || m === 'HEAD';

/**
 * Sends a file with `status` (200, or an error page's); resolves with the bytes written. As
 * nginx: Last-Modified only with a 200 (the header filter drops it for other statuses), and
 * Accept-Ranges only with a 200 (the range filter's condition).
 */
export function sendFile(ctx: RequestContext, path: string, stats: Stats, status: number, list: string[]): Promise<number> {
  const res = ctx.res;
  const type = TYPES[extname(path).toLowerCase()] ?? DEFAULT_TYPE;
  const fixed = ['Content-Type', type, 'Content-Length', String(stats.size)];
  if (status === 200) fixed.push('Last-Modified', stats.mtime.toUTCString());
  const etag = ['ETag', `"${Math.floor(stats.mtimeMs / 1000).toString(16)}-${stats.size.toString(16)}"`];
  if (status === 200) etag.push('Accept-Ranges', 'bytes');
  ctx.status = status;
  res.writeHead(status, REASONS[status] ?? '', fixed, [...etag, ...list]);
  if (ctx.method === 'HEAD') { res.end(); return Promise.resolve(0); }
  return new Promise((resolve) => {
    const stream = createReadStream(path);
    let bytes = 0;
    const gone = (): void => { stream.destroy(); resolve(bytes); };
    res.once('close', gone);
    stream.on('data', (c: string | Buffer) => {
      bytes += c.length;
      if (!res.write(c)) { stream.pause(); res.once('drain', () => stream.resume()); }
    });
    stream.on('error', () => { res.removeListener('close', gone); res.destroy(); resolve(bytes); });
    stream.on('end', () => { res.removeListener('close', gone); res.end(); resolve(bytes); });
  });
}
