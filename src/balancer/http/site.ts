/**
 * A configuration compiled for serving: per listening address the server selector, per server
 * the location matcher, per location everything a request needs already evaluated or compiled
 * (balancer, retry policy, header evaluators, loggers). Built once per load or reload, per
 * worker; requests only read it.
 */
import type { HttpConfig, Location, LocationSettings, NginxConfig, VirtualServer, Listen } from '../../config/model.js';
import { compileRetryPolicy, createWorkerBalancers, type Balancer, type RetryPolicy } from '../upstream/index.js';
import type { Clock, RandomSource } from '../../core/clock.js';
import type { KeepalivePool, UpstreamClient } from '../proxy/exchange-types.js';
import { LocationMatcher, ServerSelector } from './routing.js';
import { compileEvaluator, type Evaluator } from './vars.js';
import { accessLogger, errorLogger, type AccessLogger, type ErrorLogger, LogFiles } from './logs.js';
import { HeaderNames } from './header-names.js';
import { HIDDEN_BY_DEFAULT, NOT_PASSED } from './forward.js';
import { OWN_DATE, OWN_SERVER } from './server/outgoing.js';
import { defaultRedirect, locationName } from '../../config/directives-proxy.js';

export interface CompiledProxy {
  readonly balancer: Balancer;
  readonly policy: RetryPolicy;
  readonly client: UpstreamClient;
  readonly pool: KeepalivePool | null;
  readonly hashKey: Evaluator | null;
  readonly proxyHost: string;
  readonly uri: string | null;
  readonly httpVersion: '1.0' | '1.1';
  /** proxy_method; null: the client's method. */
  readonly method: Evaluator | null;
  readonly setHeaders: readonly { readonly name: string; readonly value: Evaluator }[];
  /**
   * nginx's own request lines that proxy_set_header does not replace, after the ones it sets:
   * `Host: $proxy_host`, and `Connection: close` for HTTP/1.0.
   */
  readonly defaultLines: string;
  /** Client headers not passed: nginx's NOT_PASSED and the names proxy_set_header sets, any case. */
  readonly notPassed: HeaderNames;
  /** Upstream headers not passed: nginx's defaults and proxy_hide_header, less proxy_pass_header. */
  readonly hidden: HeaderNames;
  /**
   * OWN_SERVER, OWN_DATE (writeHead()): Server or Date passed. The upstream's, if it sent one,
   * stands in the list for lbtest's own; if it sent none, there is none (nginx's proxy module
   * passes an empty one, which the header filter leaves out).
   */
  readonly ownFields: number;
  readonly passRequestHeaders: boolean;
  readonly passRequestBody: boolean;
  readonly connectTimeoutMs: number;
  readonly sendTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly maxHeadBytes: number;
  /** proxy_redirect rules, in order (`default` made from this location's proxy_pass when no level sets any). */
  readonly redirects: readonly { readonly pattern: Evaluator; readonly replacement: Evaluator }[];
}

export interface CompiledSettings {
  readonly settings: LocationSettings;
  readonly addHeaders: readonly { readonly name: string; readonly value: Evaluator; readonly always: boolean }[];
  readonly accessLog: AccessLogger;
  readonly returnText: Evaluator | null;
  readonly errorPages: readonly { readonly status: number; readonly overwrite: number; readonly uri: Evaluator; readonly args: string | null }[];
}

export interface CompiledLocation extends CompiledSettings {
  readonly proxy: CompiledProxy | null;
}

export interface CompiledServer extends CompiledSettings {
  readonly server: VirtualServer;
  readonly matcher: LocationMatcher;
}

export interface Site {
  readonly config: NginxConfig;
  readonly http: HttpConfig;
  /** Keyed `ip:port` or `*:port`. */
  readonly selectors: ReadonlyMap<string, ServerSelector>;
  readonly servers: ReadonlyMap<VirtualServer, CompiledServer>;
  readonly locations: ReadonlyMap<Location, CompiledLocation>;
  readonly balancers: ReadonlyMap<string, Balancer>;
  readonly pools: readonly KeepalivePool[];
  readonly errorLog: ErrorLogger;
  readonly files: LogFiles;
  /** Distinct addresses to listen on. */
  readonly listens: readonly Listen[];
}

export interface SiteEnv {
  readonly client: UpstreamClient;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly onLogError?: (path: string, err: Error) => void;
}

/** ngx_http_upstream_hide_headers_hash(): the defaults and the hidden names, each passed name taken out. */
function hiddenHeaders(hide: readonly string[], pass: readonly string[]): HeaderNames {
  const passed = new Set(pass.map((n) => n.toLowerCase()));
  return new HeaderNames([...HIDDEN_BY_DEFAULT, ...hide].filter((n) => !passed.has(n.toLowerCase())));
}

export function listenKey(host: string, port: number): string {
  return `${host}:${port}`;
}

function compileSettings(s: LocationSettings, http: HttpConfig, files: LogFiles): CompiledSettings {
  const ret = s.return;
  return {
    settings: s,
    addHeaders: s.addHeaders.map((h) => ({ name: h.name, value: compileEvaluator(h.value), always: h.always })),
    accessLog: accessLogger(s.accessLogs, http.logFormats, files),
    returnText: ret === null ? null : ret.kind === 'redirect' ? compileEvaluator(ret.url) : ret.text === null ? null : compileEvaluator(ret.text),
    errorPages: s.errorPages.map((e) => ({ status: e.status, overwrite: e.overwrite, uri: compileEvaluator(e.uri), args: e.args })),
  };
}

export function compileSite(config: NginxConfig, env: SiteEnv): Site {
  const http = config.http ?? { upstreams: new Map(), servers: [], logFormats: new Map() };
  const files = new LogFiles(env.onLogError ?? (() => undefined));
  const balancers = createWorkerBalancers(http.upstreams, { ...(env.clock ? { clock: env.clock } : {}), ...(env.random ? { random: env.random } : {}) });
  const pools = new Map<string, KeepalivePool>();
  for (const [key, u] of http.upstreams) {
    if (u.keepalive !== null) {
      pools.set(key, env.client.createPool({ connections: u.keepalive.connections, requests: u.keepaliveRequests, timeMs: u.keepaliveTimeMs, timeoutMs: u.keepaliveTimeoutMs }));
    }
  }
  const locations = new Map<Location, CompiledLocation>();
  const compileLocation = (loc: Location): void => {
    const base = compileSettings(loc.settings, http, files);
    const pp = loc.proxyPass;
    let proxy: CompiledProxy | null = null;
    if (pp !== null && pp.upstream !== null) {
      const balancer = balancers.get(pp.upstream)!;
      const p = loc.settings.proxy;
      const setHeaders = p.setHeaders.map((h) => ({ name: h.name, value: compileEvaluator(h.value) }));
      const hidden = hiddenHeaders(p.hideHeaders, p.passHeaders);
      proxy = {
        balancer, policy: compileRetryPolicy(p), client: env.client, pool: pools.get(pp.upstream) ?? null,
        hashKey: balancer.hashKey === null ? null : compileEvaluator(balancer.hashKey),
        proxyHost: pp.proxyHost, uri: pp.uri, httpVersion: p.httpVersion, setHeaders,
        method: p.method === null ? null : compileEvaluator(p.method),
        defaultLines: defaultLines(setHeaders.map((h) => h.name.toLowerCase()), pp.proxyHost, p.httpVersion),
        notPassed: new HeaderNames([...NOT_PASSED, ...setHeaders.map((h) => h.name)]),
        hidden, ownFields: (hidden.has('server') ? 0 : OWN_SERVER) | (hidden.has('date') ? 0 : OWN_DATE),
        passRequestHeaders: p.passRequestHeaders, passRequestBody: p.passRequestBody,
        connectTimeoutMs: p.connectTimeoutMs, sendTimeoutMs: p.sendTimeoutMs, readTimeoutMs: p.readTimeoutMs,
        maxHeadBytes: Math.max(p.bufferSizeBytes, 4096),
        redirects: (p.redirects ?? [defaultRedirect(pp.url, pp.uri, locationName(loc.match))]).flatMap((r) =>
          r.kind === 'text' ? [{ pattern: compileEvaluator(r.pattern), replacement: compileEvaluator(r.replacement) }] : []),
      };
    }
    locations.set(loc, { ...base, proxy });
    loc.locations.forEach(compileLocation);
  };
  const servers = new Map<VirtualServer, CompiledServer>();
  const byAddress = new Map<string, VirtualServer[]>();
  const listens: Listen[] = [];
  for (const srv of http.servers) {
    servers.set(srv, { ...compileSettings(srv.settings, http, files), server: srv, matcher: new LocationMatcher(srv.locations) });
    srv.locations.forEach(compileLocation);
    for (const l of srv.listens) {
      if (l.unix !== null) continue;
      const key = listenKey(l.host, l.port);
      const list = byAddress.get(key);
      if (list === undefined) { byAddress.set(key, [srv]); listens.push(l); } else if (!list.includes(srv)) list.push(srv);
    }
  }
  const selectors = new Map<string, ServerSelector>();
  for (const [key, list] of byAddress) {
    const [host, port] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
    selectors.set(key, new ServerSelector(list, (s) => s.listens.find((l) => l.host === host && l.port === port)));
  }
  return {
    config, http, selectors, servers, locations, balancers, pools: [...pools.values()],
    errorLog: errorLogger(config.errorLogs, files), files, listens,
  };
}

/** CompiledProxy.defaultLines: nginx's default request headers that `set` (lower-case names) leaves. */
function defaultLines(set: readonly string[], proxyHost: string, httpVersion: '1.0' | '1.1'): string {
  let lines = set.includes('host') ? '' : `Host: ${proxyHost}\r\n`;
  if (httpVersion === '1.0' && !set.includes('connection')) lines += 'Connection: close\r\n';
  return lines;
}
