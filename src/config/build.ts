/**
 * Turns what the composer collected into the frozen model: each location's settings merged from
 * location → enclosing locations → server → http → defaults (nginx's merge_loc_conf), upstream
 * groups keyed by their lower-cased name, implicit groups given their one server. Every default
 * lives in DEFAULTS, with its unit.
 */
import { resolve } from 'node:path';
import type { HttpBuild, LevelBuild, LocationBuild, MainBuild, ServerBuild, UpstreamBuild } from './build-types.js';
import type {
  AccessLog, AddHeader, CidrRange, ComplexValue, HeaderSetting, HttpConfig, Location, LocationSettings, NextUpstream,
  ErrorPage, NginxConfig, ProxyRedirect, ProxySettings, ReturnAction, Upstream, UpstreamServer, VirtualServer,
} from './model.js';
import { addrName } from './address.js';
import { isIP } from 'node:net';

/** nginx's defaults for the values lbtest uses (ngx_http_core_module.c, ngx_http_proxy_module.c). */
export const DEFAULTS = {
  proxy_connect_timeout: 60_000,      // ms
  proxy_send_timeout: 60_000,         // ms
  proxy_read_timeout: 60_000,         // ms
  proxy_next_upstream_tries: 0,       // 0 = as many as there are peers
  proxy_next_upstream_timeout: 0,     // ms; 0 = unlimited
  proxy_http_version: '1.0',
  proxy_buffering: true,
  proxy_request_buffering: true,
  proxy_buffer_size: 4096,            // bytes (one page)
  proxy_buffers: { count: 8, sizeBytes: 4096 },
  proxy_intercept_errors: false,
  proxy_pass_request_headers: true,
  proxy_pass_request_body: true,
  client_header_timeout: 60_000,      // ms
  client_body_timeout: 60_000,        // ms
  client_max_body_size: 1 << 20,      // bytes
  client_header_buffer_size: 1024,    // bytes
  large_client_header_buffers: { count: 4, sizeBytes: 8192 },
  keepalive_timeout: 75_000,          // ms
  keepalive_requests: 1000,
  send_timeout: 60_000,               // ms
  real_ip_header: 'X-Real-IP',
  real_ip_recursive: false,
  index: ['index.html'],
  upstream_keepalive_requests: 1000,
  upstream_keepalive_time: 3_600_000, // ms
  upstream_keepalive_timeout: 60_000, // ms
  worker_connections: 512,
} as const;

/** Looks a value up the chain of levels, innermost first. */
class Chain {
  constructor(readonly levels: readonly LevelBuild[]) {}
  slot<T>(name: string, fallback: T): T {
    for (const l of this.levels) if (l.slots.has(name)) return l.slots.get(name) as T;
    return fallback;
  }
  list<T>(name: string): readonly T[] {
    for (const l of this.levels) { const v = l.lists.get(name); if (v !== undefined) return v as T[]; }
    return [];
  }
}

function nextUpstream(mask: ReadonlySet<string> | undefined): NextUpstream {
  const m = mask ?? new Set(['error', 'timeout']);
  const off = m.has('off');
  const has = (v: string): boolean => !off && m.has(v);
  return {
    error: has('error'), timeout: has('timeout'), invalidHeader: has('invalid_header'), http500: has('http_500'),
    http502: has('http_502'), http503: has('http_503'), http504: has('http_504'), http403: has('http_403'),
    http404: has('http_404'), http429: has('http_429'), nonIdempotent: has('non_idempotent'),
  };
}

/** proxy_redirect: the nearest level's rules ([] for `off`), or null when no level has any. */
function proxyRedirects(chain: Chain): readonly ProxyRedirect[] | null {
  for (const l of chain.levels) {
    const v = l.lists.get('proxy_redirect') as ({ kind: 'off' } | ProxyRedirect)[] | undefined;
    if (v !== undefined) return v[0]?.kind === 'off' ? [] : v as ProxyRedirect[];
  }
  return null;
}

function settings(chain: Chain, prefix: string): LocationSettings {
  const D = DEFAULTS;
  const proxy: ProxySettings = {
    connectTimeoutMs: chain.slot('proxy_connect_timeout', D.proxy_connect_timeout),
    sendTimeoutMs: chain.slot('proxy_send_timeout', D.proxy_send_timeout),
    readTimeoutMs: chain.slot('proxy_read_timeout', D.proxy_read_timeout),
    nextUpstream: nextUpstream(chain.slot<Set<string> | undefined>('proxy_next_upstream', undefined)),
    nextUpstreamTries: chain.slot('proxy_next_upstream_tries', D.proxy_next_upstream_tries),
    nextUpstreamTimeoutMs: chain.slot('proxy_next_upstream_timeout', D.proxy_next_upstream_timeout),
    setHeaders: chain.list<HeaderSetting>('proxy_set_header'),
    httpVersion: chain.slot<'1.0' | '1.1'>('proxy_http_version', D.proxy_http_version),
    buffering: chain.slot('proxy_buffering', D.proxy_buffering),
    requestBuffering: chain.slot('proxy_request_buffering', D.proxy_request_buffering),
    bufferSizeBytes: chain.slot('proxy_buffer_size', D.proxy_buffer_size),
    buffers: chain.slot('proxy_buffers', D.proxy_buffers),
    busyBuffersSizeBytes: chain.slot<number | null>('proxy_busy_buffers_size', null),
    maxTempFileSizeBytes: chain.slot<number | null>('proxy_max_temp_file_size', null),
    interceptErrors: chain.slot('proxy_intercept_errors', D.proxy_intercept_errors),
    method: chain.slot<ComplexValue | null>('proxy_method', null),
    hideHeaders: chain.list<string>('proxy_hide_header'),
    passHeaders: chain.list<string>('proxy_pass_header'),
    ignoreAccelRedirect: chain.slot<Set<string> | undefined>('proxy_ignore_headers', undefined)?.has('x-accel-redirect') ?? false,
    passRequestHeaders: chain.slot('proxy_pass_request_headers', D.proxy_pass_request_headers),
    redirects: proxyRedirects(chain),
    passRequestBody: chain.slot('proxy_pass_request_body', D.proxy_pass_request_body),
  };
  const from = chain.list<CidrRange>('set_real_ip_from');
  const logs = chain.list<AccessLog>('access_log');
  return {
    proxy,
    root: chain.slot('root', resolve(prefix, 'html')),
    alias: chain.slot<string | null>('alias', null),
    index: chain.slot<readonly string[]>('index', D.index),
    types: chain.slot<ReadonlyMap<string, string> | null>('types', null),
    defaultType: chain.slot('default_type', 'text/plain'),
    return: chain.slot<ReturnAction | null>('return', null),
    errorPages: chain.list<ErrorPage>('error_page'),
    recursiveErrorPages: chain.slot('recursive_error_pages', false),
    logNotFound: chain.slot('log_not_found', true),
    addHeaders: chain.list<AddHeader>('add_header'),
    accessLogs: logs.length > 0 ? logs : [{ target: { kind: 'file', path: resolve(prefix, 'logs/access.log'), implicit: true }, format: 'combined' }],
    realIp: from.length === 0 ? null : {
      from, header: chain.slot('real_ip_header', D.real_ip_header), recursive: chain.slot('real_ip_recursive', D.real_ip_recursive),
    },
    clientHeaderTimeoutMs: chain.slot('client_header_timeout', D.client_header_timeout),
    clientBodyTimeoutMs: chain.slot('client_body_timeout', D.client_body_timeout),
    clientMaxBodySizeBytes: chain.slot('client_max_body_size', D.client_max_body_size),
    keepaliveTimeoutMs: chain.slot('keepalive_timeout', D.keepalive_timeout),
    keepaliveRequests: chain.slot('keepalive_requests', D.keepalive_requests),
    sendTimeoutMs: chain.slot('send_timeout', D.send_timeout),
  };
}

/** The key a group is found by: its lower-cased name, or host:port for an implicit group. */
export function upstreamKey(u: UpstreamBuild): string {
  return u.implicit ? `${u.host}:${u.port}`.toLowerCase() : u.name.toLowerCase();
}

function location(loc: LocationBuild, parents: readonly LevelBuild[], prefix: string): Location {
  const levels = [loc.level, ...parents];
  const pass = loc.proxyPass === null ? null
    : { ...loc.proxyPass, upstream: loc.proxyUpstream === null ? null : upstreamKey(loc.proxyUpstream) };
  return {
    match: loc.match,
    settings: settings(new Chain(levels), prefix),
    proxyPass: pass,
    internal: loc.internal,
    locations: loc.locations.map((l) => location(l, levels, prefix)),
    source: loc.source,
  };
}

function server(srv: ServerBuild, http: HttpBuild, prefix: string): VirtualServer {
  const levels = [srv.level, http.level];
  const chain = new Chain(levels);
  return {
    listens: srv.listens,
    serverNames: srv.serverNames.length === 0 ? [''] : srv.serverNames,
    settings: settings(chain, prefix),
    locations: srv.locations.map((l) => location(l, levels, prefix)),
    largeClientHeaderBuffers: chain.slot('large_client_header_buffers', DEFAULTS.large_client_header_buffers),
    clientHeaderBufferSizeBytes: chain.slot('client_header_buffer_size', DEFAULTS.client_header_buffer_size),
    source: srv.source,
  };
}

function upstream(u: UpstreamBuild, hosts: ReadonlyMap<string, readonly string[] | null>): Upstream {
  let servers: readonly UpstreamServer[] = u.servers;
  if (u.implicit) {
    const unix = u.host.startsWith('unix:');
    const ips = unix ? [] : isIP(u.host) !== 0 ? [u.host] : hosts.get(u.host.toLowerCase()) ?? [];
    servers = [{
      address: unix ? u.host : `${u.host}:${u.port}`,
      addresses: unix ? [{ kind: 'unix', path: u.host.slice(5), name: u.host }]
        : ips.map((ip) => ({ kind: 'tcp', host: ip, port: u.port, family: isIP(ip) === 6 ? 6 : 4, name: addrName(ip, u.port) })),
      weight: 1, maxFails: 1, failTimeoutMs: 10_000, maxConns: 0, backup: false, down: false, source: u.source,
    }];
  }
  return {
    name: u.implicit ? servers[0]!.address : u.name,
    implicit: u.implicit,
    method: u.method ?? { kind: 'round_robin' },
    servers,
    keepalive: u.keepalive > 0 ? { connections: u.keepalive, local: false } : null,
    keepaliveRequests: u.keepaliveRequests ?? DEFAULTS.upstream_keepalive_requests,
    keepaliveTimeMs: u.keepaliveTimeMs ?? DEFAULTS.upstream_keepalive_time,
    keepaliveTimeoutMs: u.keepaliveTimeoutMs ?? DEFAULTS.upstream_keepalive_timeout,
    zone: u.zone,
    source: u.source,
  };
}

export function buildModel(main: MainBuild, file: string, prefix: string, hosts: ReadonlyMap<string, readonly string[] | null>): NginxConfig {
  let http: HttpConfig | null = null;
  if (main.http !== null) {
    const h = main.http;
    http = {
      upstreams: new Map(h.upstreams.map((u) => [upstreamKey(u), upstream(u, hosts)])),
      servers: h.servers.map((s) => server(s, h, prefix)),
      logFormats: h.logFormats,
    };
  }
  return deepFreeze({
    file, prefix,
    workerProcesses: main.workerProcesses ?? 1,
    pid: main.pid ?? resolve(prefix, 'logs/nginx.pid'),
    errorLogs: main.errorLogs.length > 0 ? main.errorLogs : [{ target: { kind: 'stderr' }, level: 'error' }],
    events: { workerConnections: main.events?.workerConnections ?? DEFAULTS.worker_connections },
    http,
  });
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
  else for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
