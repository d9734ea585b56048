/**
 * nginx variables, evaluated against a RequestContext. A ComplexValue is compiled once, at
 * load, into an array of small functions, so a request pays one call per part and no lookup by
 * name. Unknown names were rejected when the configuration was read.
 */
import { hostname } from 'node:os';
import type { ComplexValue } from '../../config/model.js';
import type { RequestContext, UpstreamEarlier } from './context.js';
import { eventNow } from '../../core/event-time.js';

export type Evaluator = (ctx: RequestContext) => string;
type Getter = (ctx: RequestContext) => string;

export const SERVER_SOFTWARE = 'lbtest';
export const SERVER_VERSION = '0.1.0';

const HOSTNAME = hostname();
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `24/Nov/2026:02:41:07 +0000`, nginx's $time_local. */
export function timeLocal(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

function header(ctx: RequestContext, name: string): string {
  const v = ctx.req.headers[name];
  if (v === undefined) return '';
  return Array.isArray(v) ? v.join(name === 'cookie' ? '; ' : ', ') : v;
}

/** `$arg_name`: the first `name=` in the query string, raw. */
export function argValue(args: string, name: string): string {
  if (args === '') return '';
  for (const pair of args.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key.toLowerCase() === name) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return '';
}

export function cookieValue(cookies: string, name: string): string {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return '';
}

const seconds = (ms: number): string => (ms < 0 ? '-' : (ms / 1000).toFixed(3));

/**
 * One entry per attempt; an attempt with no figure yet prints `-` (nginx: in add_header the last
 * $upstream_response_time is `-`, the response not being over).
 */
function trace(pick: (ctx: RequestContext) => readonly number[] | undefined, fmt: (v: number) => string): Getter {
  return (ctx) => {
    const list = pick(ctx);
    const attempts = ctx.upstream?.request.attempts ?? 0;
    if (list === undefined || attempts === 0) return '';
    let s = '';
    for (let i = 0; i < attempts; i++) s += (i === 0 ? '' : ', ') + (i < list.length ? fmt(list[i]!) : '-');
    return s;
  };
}

/** The current group's $upstream_* values. */
const UPSTREAM = {
  addr: (ctx: RequestContext): string => ctx.upstream?.request.upstreamAddr() ?? '',
  status: (ctx: RequestContext): string => ctx.upstream?.request.upstreamStatus() ?? '',
  connect: trace((ctx) => ctx.upstream?.connectMs, seconds),
  header: trace((ctx) => ctx.upstream?.headerMs, seconds),
  response: trace((ctx) => ctx.upstream?.responseMs, seconds),
};

const FIXED: Record<string, Getter> = {
  host: (ctx) => ctx.host,
  remote_addr: (ctx) => ctx.remoteAddr,
  remote_port: (ctx) => String(ctx.remotePort),
  realip_remote_addr: (ctx) => ctx.realipRemoteAddr,
  binary_remote_addr: (ctx) => ctx.remoteAddr,
  proxy_add_x_forwarded_for: (ctx) => {
    const xff = header(ctx, 'x-forwarded-for');
    return xff === '' ? ctx.remoteAddr : `${xff}, ${ctx.remoteAddr}`;
  },
  request_uri: (ctx) => ctx.requestUri,
  uri: (ctx) => ctx.uri,
  document_uri: (ctx) => ctx.uri,
  args: (ctx) => ctx.args,
  query_string: (ctx) => ctx.args,
  is_args: (ctx) => (ctx.args === '' ? '' : '?'),
  scheme: () => 'http',
  https: () => '',
  server_port: (ctx) => String(ctx.serverPort),
  server_addr: (ctx) => ctx.serverAddr,
  server_name: (ctx) => ctx.server.serverNames[0] ?? '',
  server_protocol: (ctx) => `HTTP/${ctx.req.httpVersion}`,
  request_method: (ctx) => ctx.method,
  request: (ctx) => `${ctx.req.method} ${ctx.requestUri} HTTP/${ctx.req.httpVersion}`,
  status: (ctx) => String(ctx.status).padStart(3, '0'),
  body_bytes_sent: (ctx) => String(ctx.bodyBytesSent),
  bytes_sent: (ctx) => String(ctx.bodyBytesSent),
  request_length: (ctx) => header(ctx, 'content-length') || '0',
  content_length: (ctx) => header(ctx, 'content-length'),
  content_type: (ctx) => header(ctx, 'content-type'),
  remote_user: () => '',
  time_local: (ctx) => timeLocal(ctx.startMs),
  time_iso8601: (ctx) => new Date(ctx.startMs).toISOString().replace(/\.\d+Z$/, '+00:00'),
  msec: () => (Date.now() / 1000).toFixed(3),
  request_time: (ctx) => ((eventNow() - ctx.startPerfMs) / 1000).toFixed(3),
  connection: (ctx) => String(ctx.connection),
  connection_requests: (ctx) => String(ctx.connectionRequests),
  hostname: () => HOSTNAME,
  pid: () => String(process.pid),
  nginx_version: () => SERVER_VERSION,
  document_root: (ctx) => ctx.settings.root,
  proxy_host: (ctx) => ctx.proxyHost,
  proxy_port: (ctx) => ctx.proxyPort,
  upstream_addr: earlier('addr', UPSTREAM.addr),
  upstream_status: earlier('status', UPSTREAM.status),
  upstream_connect_time: earlier('connect', UPSTREAM.connect),
  upstream_header_time: earlier('header', UPSTREAM.header),
  upstream_response_time: earlier('response', UPSTREAM.response),
};

/** An $upstream_* variable with the groups before the current one in front, " : " between. */
function earlier(key: keyof UpstreamEarlier, current: Getter): Getter {
  return (ctx) => (ctx.upstreamEarlier === null ? current(ctx) : `${ctx.upstreamEarlier[key]} : ${current(ctx)}`);
}

/**
 * Called when proxy_pass starts again for a request that has been through one (an error page):
 * what the group so far printed joins the earlier groups.
 */
export function keepEarlierUpstream(ctx: RequestContext): void {
  const now: UpstreamEarlier = {
    addr: UPSTREAM.addr(ctx), status: UPSTREAM.status(ctx), connect: UPSTREAM.connect(ctx),
    header: UPSTREAM.header(ctx), response: UPSTREAM.response(ctx),
  };
  const e = ctx.upstreamEarlier;
  ctx.upstreamEarlier = e === null ? now : {
    addr: `${e.addr} : ${now.addr}`, status: `${e.status} : ${now.status}`, connect: `${e.connect} : ${now.connect}`,
    header: `${e.header} : ${now.header}`, response: `${e.response} : ${now.response}`,
  };
}

function upstreamHeader(ctx: RequestContext, name: string): string {
  const raw = ctx.upstreamHeaders;
  if (raw === null) return '';
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) return raw[i + 1]!;
  return '';
}

/** The getter for one variable name; names nginx knows that lbtest does not track evaluate to ''. */
export function variableGetter(name: string): Getter {
  const fixed = FIXED[name];
  if (fixed !== undefined) return fixed;
  if (/^\d+$/.test(name)) { const n = Number(name); return (ctx) => ctx.captures?.[n] ?? ''; }
  const dashed = (prefix: string): string => name.slice(prefix.length).replace(/_/g, '-');
  if (name.startsWith('http_')) { const h = dashed('http_'); return (ctx) => header(ctx, h); }
  if (name.startsWith('arg_')) { const a = name.slice(4); return (ctx) => argValue(ctx.args, a); }
  if (name.startsWith('cookie_')) { const c = name.slice(7); return (ctx) => cookieValue(header(ctx, 'cookie'), c); }
  if (name.startsWith('upstream_http_')) { const h = dashed('upstream_http_'); return (ctx) => upstreamHeader(ctx, h); }
  if (name.startsWith('sent_http_')) {
    const h = dashed('sent_http_');
    return (ctx) => { const v = ctx.res.getHeader(h); return v === undefined ? '' : String(v); };
  }
  return () => '';
}

export function compileEvaluator(value: ComplexValue): Evaluator {
  const parts = value.parts;
  if (parts.length === 0) return () => '';
  if (parts.length === 1) {
    const p = parts[0]!;
    if (p.kind === 'text') { const text = p.text; return () => text; }
    return variableGetter(p.name);
  }
  const getters: Getter[] = parts.map((p) => {
    if (p.kind === 'var') return variableGetter(p.name);
    const text = p.text;
    return () => text;
  });
  return (ctx) => {
    let s = '';
    for (let i = 0; i < getters.length; i++) s += getters[i]!(ctx);
    return s;
  };
}
