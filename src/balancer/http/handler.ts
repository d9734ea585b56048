/**
 * One request, from the parsed request line to the logged response: server by address and Host,
 * realip, the server's `return`, location (nginx's order), the location's `return`, proxy_pass or
 * static files; add_header on the way out; the access log once the response is over. Every path
 * ends in a response or a closed connection: errors become nginx's pages, never exceptions.
 */
import type { Socket } from 'node:net';
import type { Incoming } from './server/incoming.js';
import type { Outgoing } from './server/outgoing.js';
import { isIP } from 'node:net';
import { releaseTrace, type RequestContext } from './context.js';
import type { CompiledSettings, Site } from './site.js';
import { listenKey } from './site.js';
import { normalizeUri } from './routing.js';
import { errorPage, HEADER_TOO_LARGE, REASONS } from './pages.js';
import { forward, type ForwardDeps } from './forward.js';
import { resolveStatic, sendFile } from './static.js';
import { realAddress } from './realip.js';
import { absoluteLocation, hostOf } from './request-host.js';

/** Statuses add_header applies to without `always` (ngx_http_headers_filter). */
const ADD_HEADER_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

export interface ConnectionInfo {
  readonly id: number;
  requests: number;
  /** The socket's addresses, read at its first request: they do not change, and reading them costs. */
  addresses?: SocketAddresses;
}

interface SocketAddresses {
  readonly serverAddr: string;
  readonly serverPort: number;
  readonly remoteAddr: string;
  readonly remotePort: number;
  /** listenKey() of the address and of `*` with the port: the server selector's keys. */
  readonly exactKey: string;
  readonly anyKey: string;
}

function addressesOf(socket: Socket): SocketAddresses {
  const serverAddr = unmapped(socket.localAddress);
  const serverPort = socket.localPort ?? 0;
  return {
    serverAddr, serverPort, remoteAddr: unmapped(socket.remoteAddress), remotePort: socket.remotePort ?? 0,
    exactKey: listenKey(serverAddr, serverPort), anyKey: listenKey('*', serverPort),
  };
}

function unmapped(addr: string | undefined): string {
  if (addr === undefined) return '';
  return addr.startsWith('::ffff:') && isIP(addr.slice(7)) === 4 ? addr.slice(7) : addr;
}

export class RequestHandler {
  readonly #deps: ForwardDeps;
  constructor(readonly site: Site) {
    this.#deps = {
      errorLog: site.errorLog,
      sendStatus: (ctx, status) => this.sendStatus(ctx, status),
      addHeaders: (ctx, status) => this.addHeaders(ctx, status),
      appendHeaders: (ctx, status, out) => this.appendHeaders(ctx, status, out),
    };
  }

  handle(req: Incoming, res: Outgoing, conn: ConnectionInfo): void {
    const ctx = this.context(req, res, conn);
    // one listener per request: the access log, then the upstream attempt if the client went away
    res.on('close', () => {
      this.compiledFor(ctx).accessLog.log(ctx);
      const gone = ctx.clientGone;
      if (gone !== null && !res.writableFinished) gone.abort();
      if (ctx.upstream !== null) releaseTrace(ctx.upstream);
    });
    const failed = (err: unknown): void => {
      this.site.errorLog.write('alert', `request failed: ${String(err)}`, ctx);
      if (!res.headersSent) this.sendStatus(ctx, 500); else res.destroy();
    };
    try {
      this.route(ctx)?.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  context(req: Incoming, res: Outgoing, conn: ConnectionInfo): RequestContext {
    const a = conn.addresses ??= addressesOf(req.socket);
    const { serverAddr, serverPort } = a;
    const selector = this.site.selectors.get(a.exactKey) ?? this.site.selectors.get(a.anyKey);
    const host = hostOf(req);
    const server = selector!.select(host);
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const remote = a.remoteAddr;
    conn.requests++;
    return {
      req, res, startPerfMs: performance.now(), startMs: Date.now(), server, location: null, settings: server.settings,
      captures: null, uri: q < 0 ? target : target.slice(0, q), args: q < 0 ? '' : target.slice(q + 1), requestUri: target,
      remoteAddr: remote, remotePort: a.remotePort, realipRemoteAddr: remote, serverAddr, serverPort,
      host: host || (server.serverNames[0] ?? ''), status: 0, bodyBytesSent: 0, proxyHost: '', proxyPort: '',
      upstream: null, upstreamHeaders: null, connection: conn.id, connectionRequests: conn.requests, clientGone: null,
    };
  }

  compiledFor(ctx: RequestContext): CompiledSettings {
    return (ctx.location === null ? undefined : this.site.locations.get(ctx.location)) ?? this.site.servers.get(ctx.server)!;
  }

  /**
   * Not an async function: the proxied path hands back forward()'s own promise, without wrapping
   * it in another (resolving a promise with a promise costs two more microtask turns a request).
   */
  route(ctx: RequestContext): Promise<void> | void {
    const uri = ctx.uri.startsWith('/') ? normalizeUri(ctx.uri) : null;
    const large = ctx.server.largeClientHeaderBuffers.sizeBytes;
    if (ctx.requestUri.length > large) return this.sendStatus(ctx, 414);
    const raw = ctx.req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length + raw[i + 1]!.length + 2 > large) return this.sendStatus(ctx, HEADER_TOO_LARGE);
    if (uri === null) return this.sendStatus(ctx, 400);
    ctx.uri = uri;
    const srv = this.site.servers.get(ctx.server)!;
    if (srv.settings.realIp !== null) ctx.remoteAddr = realAddress(ctx, srv.settings.realIp);
    if (srv.settings.return !== null) return this.sendReturn(ctx, srv);
    const found = srv.matcher.match(ctx.uri);
    if (found.redirectTo !== null) return this.redirect(ctx, 301, found.redirectTo + (ctx.args === '' ? '' : `?${ctx.args}`));
    ctx.captures = found.captures;
    if (found.location !== null) {
      ctx.location = found.location;
      ctx.settings = found.location.settings;
    }
    const compiled = this.compiledFor(ctx);
    ctx.res.keepaliveFrom(ctx.settings.keepaliveTimeoutMs, ctx.settings.keepaliveRequests, ctx.connectionRequests);
    if (ctx.settings.realIp !== null) ctx.remoteAddr = realAddress(ctx, ctx.settings.realIp);
    if (ctx.settings.return !== null) return this.sendReturn(ctx, compiled);
    const proxy = ctx.location === null ? null : this.site.locations.get(ctx.location)!.proxy;
    if (proxy !== null) {
      ctx.proxyHost = proxy.proxyHost;
      const limit = ctx.settings.clientMaxBodySizeBytes;
      if (limit > 0 && ctx.req.contentLength > limit) return this.sendStatus(ctx, 413);
      return forward(ctx, proxy, this.#deps);
    }
    return this.serveStatic(ctx);
  }

  async serveStatic(ctx: RequestContext): Promise<void> {
    const result = await resolveStatic(ctx);
    if (result.kind === 'file') {
      ctx.status = 200;
      ctx.bodyBytesSent = await sendFile(ctx, result.path, result.stats, this.headerPairs(ctx, 200));
      return;
    }
    if (result.status === 301) return this.redirect(ctx, 301, result.location!);
    return this.sendStatus(ctx, result.status);
  }

  addHeaders(ctx: RequestContext, status: number): string[] {
    const out: string[] = [];
    this.appendHeaders(ctx, status, out);
    return out;
  }

  /** The add_header lines for this status, evaluated, appended to `out`. */
  appendHeaders(ctx: RequestContext, status: number, out: string[]): void {
    for (const h of this.compiledFor(ctx).addHeaders) {
      if (!h.always && !ADD_HEADER_STATUSES.has(status)) continue;
      const v = h.value(ctx);
      if (v !== '') out.push(h.name, v);
    }
  }

  headerPairs(ctx: RequestContext, status: number): [string, string][] {
    const flat = this.addHeaders(ctx, status);
    const pairs: [string, string][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    return pairs;
  }

  /** nginx's own response for `status`, with its HTML page where nginx has one. */
  sendStatus(ctx: RequestContext, status: number): void {
    const res = ctx.res;
    if (res.headersSent) { res.destroy(); return; }
    const wire = status === HEADER_TOO_LARGE ? 400 : status;
    ctx.status = wire;
    const page = status >= 300 && status !== 304 ? errorPage(status) : null;
    if (status >= 400 && status !== 404 && status !== 403 && status !== 405) res.shouldKeepAlive = false;
    res.writeHead(wire, REASONS[wire] ?? '', ['Content-Type', 'text/html', 'Content-Length', String(page?.length ?? 0)], this.addHeaders(ctx, wire));
    ctx.bodyBytesSent = ctx.req.method === 'HEAD' || page === null ? 0 : page.length;
    res.end(ctx.req.method === 'HEAD' ? undefined : page ?? undefined);
  }

  redirect(ctx: RequestContext, status: number, location: string): void {
    const page = errorPage(status);
    ctx.status = status;
    const fixed = ['Content-Type', 'text/html', 'Content-Length', String(page.length)];
    const list = this.addHeaders(ctx, status);
    // a relative target is made absolute in nginx's place for it; an absolute one is a list header
    if (location.startsWith('/')) fixed.push('Location', absoluteLocation(ctx, location));
    else list.unshift('Location', location);
    ctx.res.writeHead(status, REASONS[status] ?? '', fixed, list);
    ctx.bodyBytesSent = page.length;
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : page);
  }

  sendReturn(ctx: RequestContext, compiled: CompiledSettings): void {
    const ret = ctx.settings.return ?? ctx.server.settings.return!;
    if (ret.kind === 'redirect') return this.redirect(ctx, ret.status, compiled.returnText!(ctx));
    if (compiled.returnText === null) return this.sendStatus(ctx, ret.status);
    const text = Buffer.from(compiled.returnText(ctx), 'latin1');
    ctx.status = ret.status;
    ctx.res.writeHead(ret.status, REASONS[ret.status] ?? '', ['Content-Type', 'text/plain', 'Content-Length', String(text.length)], this.addHeaders(ctx, ret.status));
    ctx.bodyBytesSent = text.length;
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : text);
  }
}
