/**
 * proxy_pass: one client request through an upstream group, as nginx's upstream module drives it
 * (ngx_http_upstream_init_request → connect → send → process_header → next / finalize).
 * The balancer decides (pick, failed, responded, finish); the upstream client talks to the peer;
 * this module builds the request nginx would send and passes the answer on.
 *
 * Request sent (classic nginx): `METHOD URI HTTP/1.0`, then proxy_set_header lines, then nginx's
 * defaults (Host: $proxy_host, Connection: close, Content-Length) unless set, then the client's
 * other headers, minus Host, Connection, Keep-Alive, TE, Expect, Upgrade and the body framing.
 * A body of up to REPLAY_LIMIT_BYTES is read first so that a retry can send it again; a longer or
 * chunked body is streamed and, once sent, never retried (nginx's unbuffered body rule).
 * Must not: throw on an upstream failure (it is an outcome), or buffer a response.
 */
import type { RequestBody } from './server/incoming.js';
import type { RequestContext } from './context.js';
import { ClientGone, releaseTrace, takeTrace, type UpstreamTrace } from './context.js';
import type { UpstreamRequest } from '../upstream/index.js';
import type { PipeResult } from '../proxy/index.js';
import type { CompiledProxy } from './site.js';
import type { ErrorLogger } from './logs.js';
import type { HeadOutcome, HeadOwner, PipeOwner } from '../proxy/exchange-types.js';
import { HeaderNames } from './header-names.js';
import { digits, isName } from './server/request-checks.js';
import { REASONS } from './pages.js';
import { absoluteLocation } from './request-host.js';
import { keepEarlierUpstream } from './vars.js';
import { escapeUri } from './uri-codec.js';
import { HeadPieces } from './head-pieces.js';
import { eventNow } from '../../core/event-time.js';

/** Request bodies up to this size are kept for a retry. */
export const REPLAY_LIMIT_BYTES = 64 * 1024;

/** Client headers nginx never passes (ngx_http_proxy_headers with empty values, and the framing it regenerates). */
export const NOT_PASSED = ['host', 'connection', 'keep-alive', 'te', 'expect', 'upgrade', 'content-length', 'transfer-encoding'];
/** Upstream response headers the proxy module hides unless proxy_pass_header names them (ngx_http_proxy_hide_headers). */
export const HIDDEN_BY_DEFAULT = ['Date', 'Server', 'X-Pad', 'X-Accel-Expires', 'X-Accel-Redirect', 'X-Accel-Limit-Rate', 'X-Accel-Buffering', 'X-Accel-Charset'];
/** Upstream response headers never copied, whatever proxy_pass_header says (ngx_http_upstream_ignore_header_line). */
const NOT_COPIED = new HeaderNames(['connection', 'keep-alive', 'transfer-encoding']);

export interface ForwardDeps {
  readonly errorLog: ErrorLogger;
  /** Sends nginx's own answer for `status` (502/504, 400...): an error page, or its standard page. */
  sendStatus(ctx: RequestContext, status: number): Promise<void> | void;
  /** add_header lines for this status, evaluated. */
  addHeaders(ctx: RequestContext, status: number): string[];
  /** The same, appended to `out`. */
  appendHeaders(ctx: RequestContext, status: number, out: string[]): void;
  /** Whether an error_page in effect names `status` (what proxy_intercept_errors intercepts). */
  hasErrorPage(ctx: RequestContext, status: number): boolean;
  /**
   * X-Accel-Redirect: the request goes on at `target` (a URI, or `@name`) as an internal
   * redirect; `upstream` is the peer's URL for the error log's context.
   */
  accelRedirect(ctx: RequestContext, target: string, upstream: string): Promise<void> | void;
  /** Something threw on the way (a bug): the handler logs it and answers 500 or cuts the response. */
  failed(ctx: RequestContext, err: unknown): void;
}

/** client_body_timeout: a client silent for that long between body reads is cut off (nginx's 408: closed). */
function watchBodyTimeout(ctx: RequestContext, body: RequestBody): void {
  if (ctx.req.complete) return;
  body.setTimeout(ctx.settings.clientBodyTimeoutMs, () => { ctx.status = 408; ctx.req.socket.destroy(); });
  body.once('end', () => body.setTimeout(0));
}

async function readBody(body: RequestBody, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) return null;
    chunks.push(b);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function upstreamUri(ctx: RequestContext, p: CompiledProxy): string {
  if (p.uri === null) {
    // ngx_http_proxy_create_request(): the client's target, or after an internal redirect the
    // URI it led to, escaped, with its arguments
    if (ctx.validUnparsedUri) return ctx.requestUri;
    const path = escapeUri(ctx.uri);
    return ctx.args === '' ? path : `${path}?${ctx.args}`;
  }
  const loc = ctx.location?.match;
  const rest = loc !== undefined && (loc.kind === 'prefix' || loc.kind === 'exact') ? ctx.uri.slice(loc.path.length) : '';
  const path = encodeURI(p.uri + rest).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
  return ctx.args === '' ? path : `${path}?${ctx.args}`;
}

/** The upstream request heads' pieces (a head is made synchronously: one for all). */
const REQUEST_PIECES = new HeadPieces();

function requestHead(ctx: RequestContext, p: CompiledProxy, method: string, uri: string, bodyLength: number | 'chunked' | null): string {
  const out = REQUEST_PIECES;
  out.add(method);
  out.add(' ');
  out.add(uri);
  out.add(p.httpVersion === '1.1' ? ' HTTP/1.1\r\n' : ' HTTP/1.0\r\n');
  for (const h of p.setHeaders) {
    const v = h.value(ctx);
    if (v !== '') out.line(h.name, v);
  }
  out.add(p.defaultLines);
  if (bodyLength === 'chunked') out.add('Transfer-Encoding: chunked\r\n');
  else if (bodyLength !== null) out.line('Content-Length', String(bodyLength));
  if (p.passRequestHeaders) {
    const raw = ctx.req.rawHeaders;
    const skip = p.notPassed;
    for (let i = 0; i < raw.length; i += 2) {
      if (!skip.has(raw[i]!)) out.line(raw[i]!, raw[i + 1]!);
    }
  }
  out.add('\r\n');
  return out.take();
}

/**
 * proxy_redirect over a Location or Refresh value from `prefix` on: the first rule whose pattern
 * starts it (case-sensitive) replaces that much; null when none does (nginx's NGX_DECLINED).
 */
function rewriteRedirect(ctx: RequestContext, p: CompiledProxy, value: string, prefix: number): string | null {
  for (const r of p.redirects) {
    const pattern = r.pattern(ctx);
    if (value.length - prefix < pattern.length || !value.startsWith(pattern, prefix)) continue;
    return value.slice(0, prefix) + r.replacement(ctx) + value.slice(prefix + pattern.length);
  }
  return null;
}

/**
 * The response head passed to the client, as nginx's upstream module copies it: Content-Type and
 * Content-Length (the last of each) go to the fixed fields; Location and Refresh through proxy_redirect (a rewritten
 * relative Location becomes an absolute fixed field); the hidden ones dropped; the rest in order,
 * then add_header.
 */
function responseHeaders(ctx: RequestContext, p: CompiledProxy, raw: readonly string[], status: number, deps: ForwardDeps): [string[], string[]] {
  let type: string | null = null, length: string | null = null, location: string | null = null;
  const list: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // the length is the response's whether hidden or not (r->headers_out.content_length_n)
    if (name.length === 14 && isName(name, 'content-length')) { length = raw[i + 1]!; continue; }
    if (p.hidden.has(name) || NOT_COPIED.has(name)) continue;
    let value = raw[i + 1]!;
    switch (name.length) {
      // the last of each wins, as the upstream module reads them; the length goes out as a number
      case 12: if (isName(name, 'content-type')) { type = value; continue; } break;
      case 8:
        if (p.redirects.length > 0 && isName(name, 'location') && value !== '') {
          const to = rewriteRedirect(ctx, p, value, 0);
          if (to !== null && to.startsWith('/')) { location = absoluteLocation(ctx, to); continue; }
          if (to !== null) value = to;
        }
        break;
      case 7:
        if (p.redirects.length > 0 && isName(name, 'refresh')) {
          const at = value.toLowerCase().indexOf('url=');
          const to = at < 0 ? null : rewriteRedirect(ctx, p, value, at + 4);
          if (to !== null) value = to;
        }
        break;
    }
    list.push(name, value);
  }
  deps.appendHeaders(ctx, status, list);
  const fixed: string[] = [];
  // an earlier upstream's type (copied at its X-Accel-Redirect) stands when this one sends none
  type ??= ctx.contentType;
  if (type !== null) fixed.push('Content-Type', type);
  const n = length === null ? -1 : digits(length);
  // digits only: the upstream's text is the number's, unless it has leading zeros
  if (n >= 0) fixed.push('Content-Length', length!.length > 1 && length!.charCodeAt(0) === 0x30 ? String(n) : length!);
  if (location !== null) fixed.push('Location', location);
  return [fixed, list];
}

const CARRIED = new HeaderNames(['set-cookie', 'content-disposition', 'cache-control', 'expires', 'accept-ranges'], []);

/**
 * ngx_http_upstream_process_headers() at an X-Accel-Redirect (the first one, as the upstream
 * module keeps it): the headers nginx carries over to the redirected request (those marked
 * `redirect` in ngx_http_upstream_headers_in) — Content-Type (the last one) as the response's
 * type, Set-Cookie, Content-Disposition, Cache-Control, Expires and Accept-Ranges at the head of
 * its header list, in the upstream's order. Null when there is none.
 */
function accelRedirect(ctx: RequestContext, raw: readonly string[]): string | null {
  let target: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 16 && isName(raw[i]!, 'x-accel-redirect')) { target = raw[i + 1]!; break; }
  }
  if (target === null) return null;
  let carried: string[] | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 12 && isName(name, 'content-type')) ctx.contentType = raw[i + 1]!;
    else if (CARRIED.has(name)) (carried ??= []).push(name, raw[i + 1]!);
  }
  if (carried !== null) ctx.res.leading = ctx.res.leading === null ? carried : ctx.res.leading.concat(carried);
  return target;
}
/**
 * What an attempt's outcome asks for next: another peer, the body being passed (the run goes on
 * when it is), or the end (a promise when nginx's answer is itself asynchronous: an error page).
 */
const RETRY = 1;
const PASSING = 2;
type Next = typeof RETRY | typeof PASSING | Promise<void> | void;

/**
 * One proxy_pass: the request as sent, the balancer's bookkeeping and the attempts' times,
 * driven by callbacks (an attempt's head, then its body) rather than awaits: no promise a
 * request, where an async loop made four and three microtask turns. What throws on the way goes
 * to deps.failed(), as a rejection went to the handler's catch.
 */
class ProxyRun implements HeadOwner, PipeOwner {
  readonly trace: UpstreamTrace;
  readonly ureq: UpstreamRequest;
  readonly gone = new ClientGone();
  started = 0;
  #ended = false;

  constructor(
    readonly ctx: RequestContext, readonly p: CompiledProxy, readonly deps: ForwardDeps,
    readonly uri: string, readonly wire: Buffer | string, readonly body: Buffer | null, readonly unbuffered: boolean,
    /** The method sent is HEAD (any case): the answer has no body (ngx_http_proxy_module's ctx->head). */
    readonly headSent: boolean,
  ) {
    this.trace = takeTrace(p.balancer);
    this.ureq = this.trace.request;
    // an error page that proxies again: the first group's values are kept for $upstream_*,
    // and its trace is no longer the response's
    if (ctx.upstream !== null) {
      keepEarlierUpstream(ctx);
      releaseTrace(ctx.upstream);
    }
    ctx.upstream = this.trace;
    this.ureq.start(p.policy, {
      method: ctx.method,
      clientAddress: ctx.remoteAddr,
      hashKey: p.hashKey === null ? '' : p.hashKey(ctx),
      bodyUnbuffered: unbuffered,
    });
    ctx.clientGone = this.gone;
  }

  /** HeadOwner: an attempt's outcome. */
  headSettled(outcome: HeadOutcome): void {
    try {
      const next = this.settle(outcome);
      if (next === RETRY) this.#attempt();
      else if (next !== PASSING) this.#after(next);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** PipeOwner: the body was passed, or its passing failed. */
  piped(result: PipeResult): void {
    try {
      this.passed(result);
      this.#over();
    } catch (err) {
      this.#fail(err);
    }
  }

  /** The attempts, one after another, until proxy_pass is over, whichever way. */
  run(): void {
    this.#attempt();
  }

  #attempt(): void {
    try {
      if (!this.exchange()) this.#after(this.noLivePeer());
    } catch (err) {
      this.#fail(err);
    }
  }

  /** Waits for nginx's own answer when it is asynchronous, then ends. */
  #after(next: Promise<void> | void): void {
    if (next === undefined) this.#over();
    else next.then(() => this.#over(), (err: unknown) => this.#fail(err));
  }

  #over(): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      this.end();
    } catch (err) {
      this.deps.failed(this.ctx, err);
    }
  }

  #fail(err: unknown): void {
    if (this.#ended) return;
    this.#over();
    this.deps.failed(this.ctx, err);
  }

  /** Begins the next attempt's exchange; false (nothing begun) when no peer is left. */
  exchange(): boolean {
    const peer = this.ureq.pick();
    if (peer === null) return false;
    this.ctx.upstreamPeer = peer.name;
    this.ctx.upstreamUri = this.uri;
    const { ctx, p, unbuffered } = this;
    const req = ctx.req;
    this.started = eventNow();
    p.client.begin({
      peer: peer.address, head: this.wire, body: unbuffered ? req.body : null,
      bodyFraming: unbuffered ? (req.chunked ? 'chunked' : 'length') : this.body === null ? 'none' : 'length',
      isHead: this.headSent, headOnly: ctx.method === 'HEAD', connectTimeoutMs: p.connectTimeoutMs, sendTimeoutMs: p.sendTimeoutMs,
      readTimeoutMs: p.readTimeoutMs, maxHeadBytes: p.maxHeadBytes, pool: p.pool, signal: this.gone,
    }, this);
    return true;
  }

  /** This attempt's time in one of the trace's lists (kept from request to request: see takeTrace). */
  note(list: number[], ms: number): void {
    list[this.ureq.attempts - 1] = ms;
  }

  noLivePeer(): Promise<void> | void {
    this.deps.errorLog.write('error', 'no live upstreams while connecting to upstream', this.ctx, `http://${this.p.balancer.name}${this.uri}`);
    return this.deps.sendStatus(this.ctx, this.ureq.status);
  }

  /** An attempt is over: retry, send nginx's answer, or pass the response on. */
  settle(outcome: HeadOutcome): Next {
    const { ctx, deps, trace, ureq } = this;
    const peer = ureq.peer!;
    this.note(trace.connectMs, outcome.connectedAt < 0 ? -1 : outcome.connectedAt - this.started);
    // nginx's header_time is set once a response head is read: a failed attempt has none
    this.note(trace.headerMs, outcome.ok ? eventNow() - this.started : -1);
    if (this.gone.aborted) {
      if (outcome.ok) outcome.body.discard();
      ureq.abort();
      return;
    }
    if (!outcome.ok) {
      this.note(trace.responseMs, eventNow() - this.started);
      const f = outcome.failure;
      if (f.aborted === true) {
        ureq.abort();
        if (f.level === 'info' || deps.errorLog.enabled(f.level)) deps.errorLog.write(f.level, f.log, ctx, `http://${peer.name}${this.uri}`);
        return;
      }
      deps.errorLog.write(f.level, f.log, ctx, `http://${peer.name}${this.uri}`);
      const step = ureq.failed({ kind: f.kind, requestSent: f.requestSent, cached: f.cached });
      if (ureq.disabledPeer !== null) {
        const phase = f.log.includes(' while ') ? f.log.slice(f.log.indexOf(' while ')) : ' while connecting to upstream';
        deps.errorLog.write('warn', `upstream server temporarily disabled${phase}`, ctx, `http://${peer.name}${this.uri}`);
      }
      if (step === 'retry') return RETRY;
      return deps.sendStatus(ctx, ureq.status);
    }
    const status = outcome.head.status;
    const step = ureq.responded(status);
    if (step === 'retry' && ureq.disabledPeer !== null) {
      deps.errorLog.write('warn', 'upstream server temporarily disabled while reading response header from upstream', ctx, `http://${peer.name}${this.uri}`);
    }
    if (step === 'retry') {
      // ngx_http_upstream_next(): a 403 or 404 frees the peer with NGX_PEER_NEXT (a bodiless
      // answer's connection is cached), the other statuses with NGX_PEER_FAILED (closed)
      outcome.body.discard(status === 403 || status === 404);
      this.note(trace.responseMs, eventNow() - this.started);
      return RETRY;
    }
    if (status >= 300 && ctx.settings.proxy.interceptErrors && deps.hasErrorPage(ctx, status)) {
      // proxy_intercept_errors: the answer is dropped and the status handled as nginx's own
      outcome.body.discard(true);
      ctx.upstreamHeaders = outcome.head.rawHeaders;
      // ngx_http_upstream_intercept_errors(): a 401 keeps the upstream's (first) challenge
      if (status === 401) {
        const raw = outcome.head.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) {
          if (raw[i]!.length === 16 && isName(raw[i]!, 'www-authenticate')) { ctx.res.leading = [raw[i]!, raw[i + 1]!]; break; }
        }
      }
      this.note(trace.responseMs, eventNow() - this.started);
      ureq.finish();
      return deps.sendStatus(ctx, status);
    }
    const target = ctx.settings.proxy.ignoreAccelRedirect ? null : accelRedirect(ctx, outcome.head.rawHeaders);
    if (target !== null) {
      outcome.body.discard(true);
      ctx.upstreamHeaders = outcome.head.rawHeaders;
      this.note(trace.responseMs, eventNow() - this.started);
      ureq.finish();
      return deps.accelRedirect(ctx, target, `http://${peer.name}${this.uri}`);
    }
    return this.pass(outcome);
  }

  /** The response head to the client, then its body piece by piece. */
  pass(outcome: Extract<HeadOutcome, { ok: true }>): typeof PASSING {
    const { ctx, p, deps } = this;
    const { head, body } = outcome;
    const res = ctx.res;
    ctx.upstreamHeaders = head.rawHeaders;
    // an error page's status goes out in place of the upstream's, with nginx's status line
    const status = ctx.errStatus || head.status;
    ctx.status = status;
    const [fixed, list] = responseHeaders(ctx, p, head.rawHeaders, status, deps);
    if (ctx.errStatus !== 0) res.writeHead(status, REASONS[status] ?? '', fixed, list, false, p.ownFields);
    else res.writeHead(status, head.reason, fixed, list, true, p.ownFields);
    body.pipeTo(res, this);
    return PASSING;
  }

  passed(result: PipeResult): void {
    const { ctx } = this;
    ctx.bodyBytesSent = result.bytes;
    this.note(this.trace.responseMs, eventNow() - this.started);
    // the body's lines name the upstream, as nginx's do while r->upstream is there
    if (result.log !== undefined) this.deps.errorLog.write(result.level ?? 'error', result.log, ctx, `http://${this.ureq.peer!.name}${this.uri}`);
    this.ureq.finish();
    if (result.complete) ctx.res.end();
    else ctx.res.destroy();
  }

  /** proxy_pass is over, whichever way. */
  end(): void {
    if (this.ctx.clientGone === this.gone) this.ctx.clientGone = null;
    if (this.ureq.phase !== 'done' && this.ureq.phase !== 'idle') this.ureq.abort();
    releaseTrace(this.trace);
  }
}

export function forward(ctx: RequestContext, p: CompiledProxy, deps: ForwardDeps): Promise<void> | void {
  const req = ctx.req;
  const stream = req.body;
  if (stream !== null) watchBodyTimeout(ctx, stream);
  if (stream !== null && p.passRequestBody) {
    const chunked = req.chunked;
    const declared = chunked ? Infinity : req.contentLength;
    if (declared <= REPLAY_LIMIT_BYTES || (chunked && p.httpVersion === '1.0')) {
      const limit = chunked && p.httpVersion === '1.0' ? ctx.settings.clientMaxBodySizeBytes || Infinity : REPLAY_LIMIT_BYTES;
      return readBody(stream, limit).then((body) => (body === null ? deps.sendStatus(ctx, 413) : start(ctx, p, deps, body, false)));
    }
    return start(ctx, p, deps, null, true);
  }
  return start(ctx, p, deps, null, false);
}

function start(ctx: RequestContext, p: CompiledProxy, deps: ForwardDeps, body: Buffer | null, unbuffered: boolean): void {
  const req = ctx.req;
  const uri = upstreamUri(ctx, p);
  const framing: number | 'chunked' | null = body !== null ? body.length : unbuffered ? (req.chunked ? 'chunked' : req.contentLength) : null;
  // proxy_method, else the client's (the retry rules go on looking at the client's)
  const method = p.method === null ? ctx.method : p.method(ctx);
  const head = requestHead(ctx, p, method, uri, framing);
  const wire = body === null || body.length === 0 ? head : Buffer.concat([Buffer.from(head, 'latin1'), body]);
  const headSent = method.length === 4 && isName(method, 'head');
  new ProxyRun(ctx, p, deps, uri, wire, body, unbuffered, headSent).run();
}
