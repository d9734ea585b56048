/**
 * Static files (`root`, `alias`, `index`), as nginx's static and index modules answer: a file with
 * its length and type; a directory URI ending in `/` served through the first index file that
 * exists (403 when none does); a directory without the slash redirected (301); 404 otherwise; 405
 * for methods other than GET and HEAD. Files are streamed, never read whole. A file that cannot
 * be opened is logged as ngx_http_static_handler logs it (`open() "PATH" failed (2: No such file
 * or directory)`: 404 for a missing one, 403 when denied, 500 otherwise).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Stats } from 'node:fs';
import type { RequestContext } from './context.js';
import { REASONS } from './pages.js';
import { errnoText } from '../proxy/log-text.js';

/** nginx's built-in `types` map (ngx_http_core_default_types), used where no `types` block is in effect. */
const BUILT_IN_TYPES: ReadonlyMap<string, string> = new Map([['html', 'text/html'], ['gif', 'image/gif'], ['jpg', 'image/jpeg']]);

/**
 * ngx_http_set_content_type(): the type of the URI's (or path's) extension in the `types` in
 * effect (nginx's built-in map without one), any case, else default_type. `return` with a text
 * uses it too.
 */
export function typeFor(path: string, settings: { readonly types: ReadonlyMap<string, string> | null; readonly defaultType: string }): string {
  const ext = extname(path);
  if (ext.length < 2) return settings.defaultType;
  return (settings.types ?? BUILT_IN_TYPES).get(ext.slice(1).toLowerCase()) ?? settings.defaultType;
}

export type StaticResult =
  /** `log`: the error-log line nginx writes for it, at `level`. */
  | { readonly kind: 'status'; readonly status: number; readonly location?: string; readonly log?: string; readonly level?: 'error' | 'crit' }
  | { readonly kind: 'file'; readonly path: string; readonly stats: Stats }
  /** An index file found (ngx_http_index_module): the request goes on as an internal redirect to `uri`. */
  | { readonly kind: 'index'; readonly uri: string };

async function fileStat(path: string): Promise<Stats | NodeJS.ErrnoException> {
  try { return await stat(path); } catch (e) { return e as NodeJS.ErrnoException; }
}

/**
 * ngx_http_static_handler() when ngx_open_cached_file() fails: the status and the log line (a
 * 404's only with log_not_found on).
 */
function openFailed(ctx: RequestContext, path: string, err: NodeJS.ErrnoException): StaticResult {
  const code = err.code;
  const status = code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG' ? 404 : code === 'EACCES' ? 403 : 500;
  if (status === 404 && !ctx.settings.logNotFound) return { kind: 'status', status };
  return logged(status, `open() "${path}" failed ${errnoText(err)}`, status === 500 ? 'crit' : 'error');
}

/** ngx_http_index_error() for anything but EACCES: 404, logged with log_not_found on. */
function indexNotFound(ctx: RequestContext, path: string, err: NodeJS.ErrnoException): StaticResult {
  return ctx.settings.logNotFound ? logged(404, `"${path}" is not found ${errnoText(err)}`) : { kind: 'status', status: 404 };
}

async function statError(path: string): Promise<NodeJS.ErrnoException | null> {
  try { await stat(path); return null; } catch (e) { return e as NodeJS.ErrnoException; }
}

/** The error-log line of a static or index answer, as nginx writes it. */
function logged(status: number, log: string, level: 'error' | 'crit' = 'error'): StaticResult {
  return { kind: 'status', status, log, level };
}

/**
 * A URI ending in `/`, as ngx_http_index_module and then the core content phase take it: the
 * first index that exists (or the first absolute one, unchecked) becomes an internal redirect,
 * so that locations are matched again for it; a missing directory is 404; none found, 403.
 * Methods other than GET, HEAD and POST are not looked up: 405. Each refusal with nginx's log
 * line (ngx_http_index_error, ngx_http_index_test_dir, ngx_http_core_content_phase).
 */
async function indexOf(ctx: RequestContext, base: string): Promise<StaticResult> {
  const m = ctx.method;
  // the index module declines them; the static module refuses them before looking at the URI
  if (m !== 'GET' && m !== 'HEAD' && m !== 'POST') return { kind: 'status', status: 405 };
  let dirTested = false;
  for (const index of ctx.settings.index) {
    if (index.startsWith('/')) return { kind: 'index', uri: index };
    const path = base + index;
    const err = await statError(path);
    if (err === null) return { kind: 'index', uri: ctx.uri + index };
    if (err.code === 'EACCES') return logged(403, `"${path}" is forbidden ${errnoText(err)}`);
    if (err.code === 'ENOTDIR' || err.code === 'ENAMETOOLONG') return indexNotFound(ctx, path, err);
    if (!dirTested) {
      // the directory is tested without its slash
      const dir = base.endsWith('/') && base.length > 1 ? base.slice(0, -1) : base;
      const dirErr = await statError(dir);
      // (nginx names the index's path here: its directory was tested in the same buffer)
      if (dirErr !== null && dirErr.code === 'ENOENT') return indexNotFound(ctx, path, dirErr);
      if (dirErr !== null && dirErr.code !== 'EACCES') return logged(500, `stat() "${dir}" failed ${errnoText(dirErr)}`, 'crit');
      dirTested = true;
    }
    if (err.code !== 'ENOENT') return logged(500, `stat() "${path}" failed ${errnoText(err)}`, 'crit');
  }
  return logged(403, `directory index of "${base}" is forbidden`);
}

export async function resolveStatic(ctx: RequestContext): Promise<StaticResult> {
  const method = ctx.method;
  const s = ctx.settings;
  const loc = ctx.location?.match;
  // ngx_http_map_uri_to_path(): the root (or the alias, for the rest of the URI) and the URI, as
  // they are: the path in log lines is nginx's
  const base = s.alias !== null && loc !== undefined && loc.kind === 'prefix'
    ? s.alias + ctx.uri.slice(loc.path.length)
    : s.root + ctx.uri;
  if (ctx.uri.endsWith('/')) return indexOf(ctx, base);
  // ngx_http_static_handler(): other methods first, then the file, then POST
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return { kind: 'status', status: 405 };
  const st = await fileStat(base);
  if (!(st instanceof Stats)) return openFailed(ctx, base, st);
  if (st.isDirectory()) return { kind: 'status', status: 301, location: ctx.uri + '/' + (ctx.args === '' ? '' : `?${ctx.args}`) };
  if (method === 'POST') return { kind: 'status', status: 405 };
  return { kind: 'file', path: base, stats: st };
}


/**
 * Sends a file with `status` (200, or an error page's); resolves with the bytes written. As
 * nginx: Last-Modified only with a 200 (the header filter drops it for other statuses), and
 * Accept-Ranges only with a 200 (the range filter's condition).
 */
export function sendFile(ctx: RequestContext, path: string, stats: Stats, status: number, list: string[]): Promise<number> {
  const res = ctx.res;
  // ngx_http_set_content_type() keeps a type set before it (an upstream's, at X-Accel-Redirect)
  const type = ctx.contentType ?? typeFor(path, ctx.settings);
  const fixed = ['Content-Type', type, 'Content-Length', String(stats.size)];
  if (status === 200) fixed.push('Last-Modified', stats.mtime.toUTCString());
  // ETag from the static module, add_header from the headers filter, Accept-Ranges from the
  // range filter after it
  const headers = ['ETag', `"${Math.floor(stats.mtimeMs / 1000).toString(16)}-${stats.size.toString(16)}"`, ...list];
  if (status === 200) headers.push('Accept-Ranges', 'bytes');
  ctx.status = status;
  res.writeHead(status, REASONS[status] ?? '', fixed, headers);
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
