/**
 * Directives of nginx's core, events and http core modules that lbtest acts on: the blocks
 * (events, http, server, location), worker_processes, pid, error_log, listen, server_name, root,
 * index, return, client limits and timeouts. Messages are nginx's (src/core/nginx.c,
 * src/http/ngx_http_core_module.c, ngx_http_rewrite_module.c).
 */
import { fail } from './compose.js';
import { isAbsolute, resolve } from 'node:path';
import type { DirectiveSpec } from './spec.js';
import { CTX } from './spec.js';
import { flagSlot, msecSlot, numSlot, offSlot, pushList, sizeSlot, setSlot, spec } from './slots.js';
import { newLevel, type LocationBuild, type ServerBuild } from './build-types.js';
import type { Composer } from './compose.js';
import type { LocationMatch, LogTarget } from './model.js';
import { parseInteger, parseSize, parseTime } from './units.js';
import { compileValue, hasVariables } from './variables.js';
import { parseListen } from './address.js';
import { endHttp } from './http-end.js';

export const LOG_LEVELS = ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'];

/** A path as nginx resolves it against the prefix (`-p`). */
export function prefixed(c: Composer, path: string): string {
  return isAbsolute(path) ? path : resolve(c.opts.prefix, path);
}

export function logTarget(c: Composer, value: string): LogTarget {
  if (value === 'stderr') return { kind: 'stderr' };
  return { kind: 'file', path: prefixed(c, value) };
}

const errorLog: DirectiveSpec['handle'] = (_d, [file, ...levels], c) => {
  for (const l of levels) if (!LOG_LEVELS.includes(l)) fail(c, `invalid log level "${l}"`);
  if (levels.length > 1) fail(c, `invalid log level "${levels[1]}"`);
  const target = logTarget(c, file!);
  if (target.kind === 'file') c.logFiles.push(target.path);
  if (c.level === null && c.http === null) c.main.errorLogs.push({ target, level: levels[0] ?? 'error' });
};

function locationMatch(c: Composer, args: readonly string[]): LocationMatch {
  if (args.length === 2) {
    const [mod, uri] = args as [string, string];
    switch (mod) {
      case '=': return { kind: 'exact', path: uri };
      case '~': return { kind: 'regex', pattern: uri, caseless: false };
      case '~*': return { kind: 'regex', pattern: uri, caseless: true };
      case '^~': return { kind: 'prefix', path: uri, noRegex: true };
      default: return fail(c, `invalid location modifier "${mod}"`);
    }
  }
  const name = args[0]!;
  if (name.startsWith('=')) return { kind: 'exact', path: name.slice(1) };
  if (name.startsWith('^~')) return { kind: 'prefix', path: name.slice(2), noRegex: true };
  if (name.startsWith('~*')) return { kind: 'regex', pattern: name.slice(2), caseless: true };
  if (name.startsWith('~')) return { kind: 'regex', pattern: name.slice(1), caseless: false };
  if (name.startsWith('@')) return { kind: 'named', name };
  return { kind: 'prefix', path: name, noRegex: false };
}

function matchName(m: LocationMatch): string {
  return m.kind === 'regex' ? m.pattern : m.kind === 'named' ? m.name : m.path;
}

const location: DirectiveSpec['handle'] = (d, args, c) => {
  const match = locationMatch(c, args);
  const parent = c.location;
  if (match.kind === 'regex') {
    try { new RegExp(match.pattern, match.caseless ? 'i' : ''); } catch (e) {
      fail(c, `pcre2_compile() failed: ${(e as Error).message} in "${match.pattern}"`);
    }
  }
  if (parent !== null) {
    const pname = matchName(parent.match);
    if (parent.match.kind === 'exact') fail(c, `location "${matchName(match)}" cannot be inside the exact location "${pname}"`);
    if (parent.match.kind === 'named') fail(c, `location "${matchName(match)}" cannot be inside the named location "${pname}"`);
    if (match.kind === 'named') fail(c, `named location "${match.name}" can be on the server level only`);
    if (match.kind !== 'regex' && parent.match.kind !== 'regex' && !matchName(match).startsWith(pname)) {
      fail(c, `location "${matchName(match)}" is outside location "${pname}"`);
    }
  }
  const loc: LocationBuild = { match, level: newLevel(), locations: [], proxyPass: null, proxyUpstream: null, internal: false, source: c.source() };
  (parent ?? c.server!).locations.push(loc);
  const saved = { location: c.location, level: c.level };
  c.location = loc; c.level = loc.level;
  c.walk(d.block!, 'location');
  c.location = saved.location; c.level = saved.level;
};

const server: DirectiveSpec['handle'] = (d, _args, c) => {
  const srv: ServerBuild = { level: newLevel(), listens: [], serverNames: [], locations: [], source: c.source() };
  c.http!.servers.push(srv);
  const savedLevel = c.level;
  c.server = srv; c.level = srv.level;
  c.walk(d.block!, 'server');
  c.server = null; c.level = savedLevel;
  if (d.closed && srv.listens.length === 0) {
    srv.listens.push({ host: '*', port: 80, unix: null, defaultServer: false, source: srv.source });
  }
};

const http: DirectiveSpec['handle'] = (d, _args, c) => {
  if (c.main.http !== null) fail(c, '"http" directive is duplicate');
  const h = { level: newLevel(), servers: [], upstreams: [], logFormats: new Map(), declaredVariables: new Set<string>(), usedVariables: [] };
  c.main.http = h; c.http = h; c.level = h.level;
  c.walk(d.block!, 'http');
  if (d.closed) endHttp(c, d);
  c.level = null;
};

const events: DirectiveSpec['handle'] = (d, _args, c) => {
  if (c.main.events !== null) fail(c, '"events" directive is duplicate');
  c.main.events = { workerConnections: undefined };
  c.walk(d.block!, 'events');
};

const listen: DirectiveSpec['handle'] = (_d, args, c) => {
  const srv = c.server!;
  for (const l of parseListen(c, args)) {
    if (srv.listens.some((x) => x.host === l.host && x.port === l.port && x.unix === l.unix)) {
      fail(c, `a duplicate listen ${l.unix ?? `${l.host === '*' ? '0.0.0.0' : l.host}:${l.port}`}`);
    }
    const addr = l.unix !== null ? `unix:${l.unix}` : `${l.host === '*' ? '0.0.0.0' : l.host}:${l.port}`;
    if (l.defaultServer && c.http!.servers.some((s) => s !== srv && s.listens.some((x) =>
      x.defaultServer && x.host === l.host && x.port === l.port && x.unix === l.unix))) {
      fail(c, `a duplicate default server for ${addr}`);
    }
    srv.listens.push(l);
  }
};

const returnDirective: DirectiveSpec['handle'] = (_d, [code, text], c) => {
  const n = parseInteger(code!);
  if (n === null) {
    if (text === undefined && /^(https?:\/\/|\$scheme)/.test(code!)) {
      return setSlot(c, 'return', { kind: 'redirect', status: 302, url: compileValue(code!) }, false);
    }
    fail(c, `invalid return code "${code}"`);
  }
  if (n > 999) fail(c, `invalid return code "${code}"`);
  const value = text === undefined ? null : compileValue(text);
  if (value !== null) for (const p of value.parts) if (p.kind === 'var') c.http!.usedVariables.push(p.name);
  const redirect = n === 301 || n === 302 || n === 303 || n === 307 || n === 308;
  setSlot(c, 'return', redirect && value !== null
    ? { kind: 'redirect', status: n, url: value }
    : { kind: 'status', status: n, text: value }, false);
};

/** ngx_atoi(): digits only, at least one; null otherwise. */
const atoi = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : null);

/** ngx_http_core_error_page(), its checks in its order. */
const errorPage: DirectiveSpec['handle'] = (_d, args, c) => {
  let i = args.length - 2;
  let overwrite = -1, n = 1;
  const eq = args[i]!;
  if (eq.startsWith('=')) {
    if (i === 0) fail(c, `invalid value "${eq}"`);
    if (eq.length > 1) {
      const v = atoi(eq.slice(1));
      if (v === null) fail(c, `invalid value "${eq}"`);
      overwrite = v!;
    } else {
      overwrite = 0;
    }
    n = 2;
  }
  const raw = args[args.length - 1]!;
  let uri = compileValue(raw);
  for (const p of uri.parts) if (p.kind === 'var') c.http!.usedVariables.push(p.name);
  let query: string | null = null;
  if (!hasVariables(raw) && raw.startsWith('/') && raw.includes('?')) {
    const q = raw.indexOf('?');
    query = raw.slice(q + 1);
    uri = compileValue(raw.slice(0, q));
  }
  for (i = 0; i < args.length - n; i++) {
    const status = atoi(args[i]!);
    if (status === null || status === 499) fail(c, `invalid value "${args[i]}"`);
    if (status! < 300 || status! > 599) fail(c, `value "${args[i]}" must be between 300 and 599`);
    // 494 (and the TLS-only 497-496-495) without `=` go out as 400
    const own = overwrite === -1 && (status === 494 || status === 495 || status === 496 || status === 497) ? 400 : overwrite;
    pushList(c, 'error_page', { status: status!, overwrite: own, uri, args: query });
  }
};

const internal: DirectiveSpec['handle'] = (_d, _args, c) => {
  c.location!.internal = true;
};

const root = (alias: boolean): DirectiveSpec['handle'] => (d, [path], c) => {
  const level = c.level!;
  if (level.slots.has('root') || level.slots.has('alias')) {
    const earlier = level.slots.has('alias') ? 'alias' : 'root';
    if (earlier === d.name) fail(c, `"${d.name}" directive is duplicate`);
    fail(c, `"${d.name}" directive is duplicate, "${earlier}" directive was specified earlier`);
  }
  if (alias && c.location?.match.kind === 'named') fail(c, 'the "alias" directive cannot be used inside the named location');
  // ngx_http_core_root(): a root (not an alias) loses one trailing slash, so that root + URI has
  // one; it was absolute if it started with `/` (`root /;` is the empty root)
  if (!alias && path!.endsWith('/')) {
    level.slots.set(d.name, path!.startsWith('/') ? path!.slice(0, -1) : prefixed(c, path!.slice(0, -1)));
    return;
  }
  level.slots.set(d.name, prefixed(c, path!));
};

/**
 * ngx_http_core_types() and ngx_http_core_type(): `TYPE EXT...;` lines (includes already in
 * place), extensions lowercased, a repeated one warned and taken by the later line; a second
 * block at the same level adds to the first. A level with a block replaces the inherited map.
 */
const types: DirectiveSpec['handle'] = (d, _args, c) => {
  const level = c.level;
  const map = (level?.slots.get('types') as Map<string, string> | undefined) ?? new Map<string, string>();
  for (const n of d.block ?? []) {
    if (n.kind !== 'directive') { c.walk([n], 'main'); continue; }
    const at = { file: n.file, line: n.line };
    if (n.block !== null) fail(c, 'unexpected "{"', { file: n.file, line: n.line });
    for (const w of n.args) {
      const ext = w.value.toLowerCase();
      const old = map.get(ext);
      if (old !== undefined) c.warn(`duplicate extension "${ext}", content type: "${n.name}", previous content type: "${old}"`, at);
      map.set(ext, n.name);
    }
  }
  level?.slots.set('types', map);
};

const defaultType: DirectiveSpec['handle'] = (d, [v], c) => {
  const level = c.level;
  if (level === null) return;
  if (level.slots.has(d.name)) fail(c, `"${d.name}" directive is duplicate`);
  level.slots.set(d.name, v!);
};

const index: DirectiveSpec['handle'] = (d, args, c) => {
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!;
    if (v === '') fail(c, `index "${v}" in "index" directive is invalid`);
    if (v.startsWith('/') && i !== args.length - 1) fail(c, 'only the last index in "index" directive should be absolute');
  }
  const level = c.level!;
  const prev = (level.slots.get('index') as string[] | undefined) ?? [];
  level.slots.set('index', [...prev, ...args]);
};

const keepaliveTimeout: DirectiveSpec['handle'] = (d, [t, header], c) => {
  const ms = parseTime(t!);
  if (ms === null) fail(c, `invalid value "${t}"`);
  if (header !== undefined && parseTime(header, true) === null) fail(c, `invalid value "${header}"`);
  setSlot(c, d.name, ms);
};

const bufs: DirectiveSpec['handle'] = (d, [num, size], c) => {
  const n = parseInteger(num!);
  const s = parseSize(size!);
  if (n === null || n === 0 || s === null || s === 0) fail(c, `"${d.name}" directive invalid value`);
  setSlot(c, d.name, { count: n, sizeBytes: s });
};

export const CORE_DIRECTIVES: readonly DirectiveSpec[] = [
  spec('events', CTX.main, 'noargs', events, { block: true, inner: 'events' }),
  spec('http', CTX.main, 'noargs', http, { block: true, inner: 'http' }),
  spec('worker_processes', CTX.main, 'take1', (d, [v], c) => {
    if (c.main.workerProcesses !== undefined) fail(c, '"worker_processes" directive is duplicate');
    const n = v === 'auto' ? 'auto' : parseInteger(v!);
    if (n === null) fail(c, '"worker_processes" directive invalid value');
    c.main.workerProcesses = n;
  }),
  spec('pid', CTX.main, 'take1', (_d, [v], c) => {
    if (c.main.pid !== undefined) fail(c, '"pid" directive is duplicate');
    c.main.pid = prefixed(c, v!);
  }),
  spec('error_log', CTX.mainHsl, '1more', errorLog),
  spec('worker_connections', CTX.events, 'take1', (_d, [v], c) => {
    if (c.main.events!.workerConnections !== undefined) fail(c, '"worker_connections" directive is duplicate');
    const n = parseInteger(v!);
    if (n === null) fail(c, `invalid number "${v}"`);
    c.main.events!.workerConnections = n;
  }),
  spec('server', CTX.httpMain, 'noargs', server, { block: true, inner: 'server' }),
  spec('location', CTX.srvLoc, 'take12', location, { block: true, inner: 'location' }),
  spec('listen', CTX.srv, '1more', listen),
  spec('server_name', CTX.srv, '1more', (_d, args, c) => { c.server!.serverNames.push(...args.map((a) => a.toLowerCase())); }),
  spec('root', [...CTX.hsl, 'if'], 'take1', root(false)),
  spec('alias', CTX.loc, 'take1', root(true)),
  spec('index', CTX.hsl, '1more', index),
  spec('types', CTX.hsl, 'noargs', types, { block: true, inner: 'opaque' }),
  spec('default_type', CTX.hsl, 'take1', defaultType),
  spec('return', CTX.srvLocIf, 'take12', returnDirective),
  spec('error_page', CTX.hslIf, '2more', errorPage),
  spec('recursive_error_pages', CTX.hsl, 'flag', flagSlot),
  spec('log_not_found', CTX.hsl, 'flag', flagSlot),
  spec('internal', CTX.loc, 'noargs', internal),
  spec('client_header_timeout', CTX.hs, 'take1', msecSlot),
  spec('client_body_timeout', CTX.hsl, 'take1', msecSlot),
  spec('client_max_body_size', CTX.hsl, 'take1', offSlot),
  spec('client_header_buffer_size', CTX.hs, 'take1', sizeSlot),
  spec('large_client_header_buffers', CTX.hs, 'take2', bufs),
  spec('keepalive_timeout', CTX.hsl, 'take12', keepaliveTimeout),
  spec('keepalive_requests', CTX.hsl, 'take1', numSlot),
  spec('send_timeout', CTX.hsl, 'take1', msecSlot),
  spec('underscores_in_headers', CTX.hs, 'flag', flagSlot),
  spec('ignore_invalid_headers', CTX.hs, 'flag', flagSlot),
];

export { bufs };
