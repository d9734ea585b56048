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
import { releaseTrace, URI_CHANGES, type RequestContext } from './context.js';
import type { CompiledSettings, Site } from './site.js';
import { listenKey } from './site.js';
import { normalizeUri } from './routing.js';
import { errorPage, HEADER_TOO_LARGE, REASONS } from './pages.js';
import { forward, type ForwardDeps } from './forward.js';
import { resolveStatic, sendFile, typeFor } from './static.js';
import { applyRealip } from './realip.js';
import { absoluteLocation, hostOf } from './request-host.js';
import { wallNow } from '../../core/wall-clock.js';
import { eventNow } from '../../core/event-time.js';
import { parseUnsafeUri } from './uri-codec.js';

/** Statuses add_header applies to without `always` (ngx_http_headers_filter). */
const ADD_HEADER_STATUSES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

export interface ConnectionInfo {
  readonly id: number;
  requests: number;
  /** The socket's addresses, read at its first request: they do not change, and reading them costs. */
  addresses?: SocketAddresses;
  /**
   * The local address when the listening socket is bound to one IPv4 address: known without a
   * getsockname() (nginx asks only for a wildcard listen too).
   */
  readonly local?: { readonly addr: string; readonly port: number };
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

function addressesOf(socket: Socket, local: ConnectionInfo['local']): SocketAddresses {
  const serverAddr = local?.addr ?? unmapped(socket.localAddress);
  const serverPort = local?.port ?? socket.localPort ?? 0;
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
      hasErrorPage: (ctx, status) => this.compiledFor(ctx).errorPages.some((p) => p.status === status),
      accelRedirect: (ctx, target, upstream) => this.#accelRedirect(ctx, target, upstream),
      failed: (ctx, err) => this.failed(ctx, err),
    };
  }

  handle(req: Incoming, res: Outgoing, conn: ConnectionInfo): void {
    const ctx = this.context(req, res, conn);
    // once the response is over: the access log, then the upstream attempt if the client went away
    res.onClosed = () => {
      this.compiledFor(ctx).accessLog.log(ctx);
      const gone = ctx.clientGone;
      if (gone !== null && !res.writableFinished) gone.abort();
      if (ctx.upstream !== null) releaseTrace(ctx.upstream);
    };
    try {
      this.route(ctx)?.catch((err: unknown) => this.failed(ctx, err));
    } catch (err) {
      this.failed(ctx, err);
    }
  }

  /** A bug, not a client's or an upstream's doing: logged, and the request answered 500 or cut off. */
  failed(ctx: RequestContext, err: unknown): void {
    this.site.errorLog.write('alert', `request failed: ${String(err)}`, ctx);
    if (!ctx.res.headersSent) void this.sendStatus(ctx, 500); else ctx.res.destroy();
  }

  context(req: Incoming, res: Outgoing, conn: ConnectionInfo): RequestContext {
    const a = conn.addresses ??= addressesOf(req.socket, conn.local);
    const { serverAddr, serverPort } = a;
    const selector = this.site.selectors.get(a.exactKey) ?? this.site.selectors.get(a.anyKey);
    const host = hostOf(req);
    const server = selector!.select(host);
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const remote = a.remoteAddr;
    conn.requests++;
    const startPerfMs = eventNow();
    return {
      req, res, startPerfMs, startMs: wallNow(startPerfMs), server, location: null, settings: server.settings,
      captures: null, uri: q < 0 ? target : target.slice(0, q), args: q < 0 ? '' : target.slice(q + 1), requestUri: target,
      remoteAddr: remote, remotePort: a.remotePort, realipRemoteAddr: remote, serverAddr, serverPort,
      host: host || (server.serverNames[0] ?? ''), status: 0, bodyBytesSent: 0, proxyHost: '', proxyPort: '',
      upstream: null, upstreamHeaders: null, connection: conn.id, connectionRequests: conn.requests, clientGone: null,
      method: req.method ?? 'GET', errStatus: 0, errorPageUsed: false, uriChanges: URI_CHANGES, internal: false, upstreamEarlier: null, contentType: null, validUnparsedUri: true, upstreamPeer: null, upstreamUri: '', realipSet: false,
    };
  }

  compiledFor(ctx: RequestContext): CompiledSettings {
    return (ctx.location === null ? undefined : this.site.locations.get(ctx.location)) ?? this.site.servers.get(ctx.server)!;
  }

  /**
   * Not an async function: the proxied path returns nothing (it goes on through callbacks and
   * reports a throw to failed()), the other paths their own promise when they have one, not
   * wrapped in another (resolving a promise with a promise costs two more microtask turns).
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
    applyRealip(ctx, srv.settings.realIp);
    return this.#fromServerRewrite(ctx);
  }

  /** The phases an internal redirect runs again: the server's `return`, the location, its content. */
  #fromServerRewrite(ctx: RequestContext): Promise<void> | void {
    const srv = this.site.servers.get(ctx.server)!;
    if (srv.settings.return !== null) return this.sendReturn(ctx, srv);
    const found = srv.matcher.match(ctx.uri);
    if (found.redirectTo !== null) return this.redirect(ctx, 301, found.redirectTo + (ctx.args === '' ? '' : `?${ctx.args}`));
    ctx.captures = found.captures;
    if (found.location !== null) {
      ctx.location = found.location;
      ctx.settings = found.location.settings;
      if (found.location.internal && !ctx.internal) return this.sendStatus(ctx, 404);
    }
    return this.#content(ctx);
  }

  /**
   * The location is chosen: keep-alive from it, its `return` (the rewrite phase), realip with its
   * settings (the preaccess phase, so never before a `return`), proxy_pass or static files.
   */
  #content(ctx: RequestContext): Promise<void> | void {
    const compiled = this.compiledFor(ctx);
    ctx.res.keepaliveFrom(ctx.settings.keepaliveTimeoutMs, ctx.settings.keepaliveRequests, ctx.connectionRequests);
    if (ctx.settings.return !== null) return this.sendReturn(ctx, compiled);
    applyRealip(ctx, ctx.settings.realIp);
    const proxy = ctx.location === null ? null : this.site.locations.get(ctx.location)!.proxy;
    if (proxy !== null) {
      ctx.proxyHost = proxy.proxyHost;
      const limit = ctx.settings.clientMaxBodySizeBytes;
      if (limit > 0 && ctx.req.contentLength > limit) return this.sendStatus(ctx, 413);
      return forward(ctx, proxy, this.#deps);
    }
    return this.serveStatic(ctx);
  }

  /**
   * ngx_http_special_response_handler() before the standard page: the status goes out as the
   * response's (r->err_status) unless an error_page for it, looked for once per request
   * (recursive_error_pages off), sends the request elsewhere. Null: no error page applies.
   */
  #errorPage(ctx: RequestContext, status: number): Promise<void> | void | null {
    ctx.errStatus = status;
    const compiled = this.compiledFor(ctx);
    if (ctx.errorPageUsed || compiled.errorPages.length === 0 || ctx.uriChanges === 0) return null;
    if (!ctx.settings.recursiveErrorPages) ctx.errorPageUsed = true;
    const page = compiled.errorPages.find((p) => p.status === status);
    if (page === undefined) return null;
    if (page.overwrite >= 0) ctx.errStatus = page.overwrite;
    const uri = page.uri(ctx);
    if (uri.startsWith('/')) {
      let path = uri, args = page.args ?? '';
      if (page.args === null) {
        const q = uri.indexOf('?');
        if (q >= 0) { path = uri.slice(0, q); args = uri.slice(q + 1); }
      }
      if (ctx.method !== 'HEAD') ctx.method = 'GET';
      return this.#internalRedirect(ctx, path, args);
    }
    if (uri.startsWith('@')) return this.#namedLocation(ctx, uri);
    const redirect = page.overwrite === 301 || page.overwrite === 302 || page.overwrite === 303 || page.overwrite === 307 || page.overwrite === 308;
    ctx.errStatus = redirect ? page.overwrite : 302;
    return this.#page(ctx, ctx.errStatus, uri);
  }

  /** ngx_http_internal_redirect(): the request starts again at the server's rewrite phase with `uri`. */
  #internalRedirect(ctx: RequestContext, uri: string, args: string): Promise<void> | void {
    if (--ctx.uriChanges === 0) {
      this.site.errorLog.write('error', `rewrite or internal redirection cycle while internally redirecting to "${uri}"`, ctx);
      return this.sendStatus(ctx, 500);
    }
    const srv = this.site.servers.get(ctx.server)!;
    ctx.uri = uri;
    ctx.args = args;
    ctx.internal = true;
    ctx.validUnparsedUri = false;
    ctx.location = null;
    ctx.settings = srv.server.settings;
    ctx.captures = null;
    return this.#fromServerRewrite(ctx);
  }

  /**
   * An upstream's X-Accel-Redirect (ngx_http_upstream_process_headers): `@name` goes to that
   * named location as it is; a URI must pass ngx_http_parse_unsafe_uri (else 404, with nginx's
   * log line), and is then an internal redirect with GET (HEAD stays HEAD).
   */
  #accelRedirect(ctx: RequestContext, target: string, upstream: string): Promise<void> | void {
    if (target.startsWith('@')) return this.#namedLocation(ctx, target);
    const safe = parseUnsafeUri(target);
    if ('unsafe' in safe) {
      this.site.errorLog.write('error', `unsafe URI "${safe.unsafe}" was detected while reading response header from upstream`, ctx, upstream);
      return this.sendStatus(ctx, 404);
    }
    if (ctx.method !== 'HEAD') ctx.method = 'GET';
    return this.#internalRedirect(ctx, safe.path, safe.args);
  }

  /** ngx_http_named_location(): the server's `@name` location answers, the URI unchanged. */
  #namedLocation(ctx: RequestContext, name: string): Promise<void> | void {
    if (--ctx.uriChanges === 0) {
      this.site.errorLog.write('error', `rewrite or internal redirection cycle while redirect to named location "${name}"`, ctx);
      return this.sendStatus(ctx, 500);
    }
    const loc = ctx.server.locations.find((l) => l.match.kind === 'named' && l.match.name === name);
    if (loc === undefined) {
      this.site.errorLog.write('error', `could not find named location "${name}"`, ctx);
      return this.sendStatus(ctx, 500);
    }
    ctx.internal = true;
    ctx.location = loc;
    ctx.settings = loc.settings;
    ctx.captures = null;
    return this.#content(ctx);
  }

  async serveStatic(ctx: RequestContext): Promise<void> {
    const result = await resolveStatic(ctx);
    if (result.kind === 'file') {
      const status = ctx.errStatus || 200;
      ctx.bodyBytesSent = await sendFile(ctx, result.path, result.stats, status, this.addHeaders(ctx, status));
      return;
    }
    if (result.kind === 'index') return this.#internalRedirect(ctx, result.uri, ctx.args);
    if (result.log !== undefined) this.site.errorLog.write(result.level ?? 'error', result.log, ctx, ctx.upstreamPeer === null ? undefined : `http://${ctx.upstreamPeer}${ctx.upstreamUri}`);
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

  /** nginx's own response for `status`, after error_page had its say: its HTML page where nginx has one. */
  sendStatus(ctx: RequestContext, status: number): Promise<void> | void {
    if (ctx.res.headersSent) { ctx.res.destroy(); return; }
    // ngx_http_special_response_handler(): these close the connection, whatever answers them
    if (status === 400 || status === 413 || status === 414 || status === 500 || status === 501) ctx.res.shouldKeepAlive = false;
    const redirected = this.#errorPage(ctx, status);
    if (redirected !== null) return redirected;
    return this.#page(ctx, status, null);
  }

  /** The standard page for `status` (a 3xx with `location`), as ngx_http_send_special_response() sends it. */
  #page(ctx: RequestContext, status: number, location: string | null): void {
    const res = ctx.res;
    const wire = status === HEADER_TOO_LARGE ? 400 : status;
    ctx.status = wire;
    const page = status >= 300 && status !== 304 ? errorPage(status) : null;
    const fixed = ['Content-Type', 'text/html', 'Content-Length', String(page?.length ?? 0)];
    const list = this.addHeaders(ctx, wire);
    // a relative target is made absolute in nginx's place for it; an absolute one is a list header
    if (location !== null && location.startsWith('/')) fixed.push('Location', absoluteLocation(ctx, location));
    else if (location !== null) list.unshift('Location', location);
    res.writeHead(wire, REASONS[wire] ?? '', fixed, list);
    ctx.bodyBytesSent = ctx.method === 'HEAD' || page === null ? 0 : page.length;
    res.end(ctx.method === 'HEAD' ? undefined : page ?? undefined);
  }

  redirect(ctx: RequestContext, status: number, location: string): Promise<void> | void {
    if (ctx.res.headersSent) { ctx.res.destroy(); return; }
    const redirected = this.#errorPage(ctx, status);
    if (redirected !== null) return redirected;
    return this.#page(ctx, status, location);
  }

  sendReturn(ctx: RequestContext, compiled: CompiledSettings): Promise<void> | void {
    const ret = ctx.settings.return ?? ctx.server.settings.return!;
    if (ret.kind === 'redirect') return this.redirect(ctx, ret.status, compiled.returnText!(ctx));
    if (compiled.returnText === null) return this.sendStatus(ctx, ret.status);
    const text = Buffer.from(compiled.returnText(ctx), 'latin1');
    // ngx_http_send_header(): an error page's status goes out whatever the page's own
    const status = ctx.errStatus || ret.status;
    ctx.status = status;
    ctx.res.writeHead(status, REASONS[status] ?? '', ['Content-Type', ctx.contentType ?? typeFor(ctx.uri, ctx.settings), 'Content-Length', String(text.length)], this.addHeaders(ctx, status));
    ctx.bodyBytesSent = text.length;
    ctx.res.end(ctx.method === 'HEAD' ? undefined : text);
  }
}
