/**
 * One client request as the request path sees it: what nginx keeps in ngx_http_request_t and
 * its variables read. Filled in stages (connection, request line, location, upstream); variables
 * (vars.ts) only read it.
 */
import type { Incoming } from './server/incoming.js';
import type { Outgoing } from './server/outgoing.js';
import type { Location, LocationSettings, VirtualServer } from '../../config/model.js';
import type { Balancer, UpstreamRequest } from '../upstream/index.js';

export interface UpstreamTrace {
  /** $upstream_addr and $upstream_status come from the request's own bookkeeping. */
  readonly request: UpstreamRequest;
  /** ms per attempt (index: attempt - 1); -1 prints as `-`, as do entries past the attempts made. */
  readonly connectMs: number[];
  readonly headerMs: number[];
  readonly responseMs: number[];
  readonly balancer?: Balancer;
  /** Who still reads it: proxy_pass until it is over, and the response until it has closed (logs). */
  holds?: number;
}

/**
 * The client's connection closing before its response was complete, as the upstream exchange
 * watches it (the AbortLike of exchange-types.ts): one small object per proxied request, fired by
 * the request's one `close` listener (handler.ts).
 */
export class ClientGone {
  aborted = false;
  private listener: (() => void) | null = null;

  addEventListener(_type: 'abort', listener: () => void): void { this.listener = listener; }

  removeEventListener(_type: 'abort', listener: () => void): void {
    if (this.listener === listener) this.listener = null;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const l = this.listener;
    this.listener = null;
    if (l !== null) l();
  }
}

export interface RequestContext {
  readonly req: Incoming;
  readonly res: Outgoing;
  /** performance.now() at arrival ($request_time): a number, not a BigInt to allocate per request. */
  readonly startPerfMs: number;
  /** Milliseconds since the epoch at arrival ($time_local, $msec). */
  readonly startMs: number;
  server: VirtualServer;
  location: Location | null;
  settings: LocationSettings;
  /** $uri: decoded, dot segments resolved, slashes merged. */
  uri: string;
  /** $0..$9 from the regex location that matched. */
  captures: readonly string[] | null;
  /** $args, without the `?`. */
  args: string;
  /** $request_uri: the original request target. */
  readonly requestUri: string;
  /** $remote_addr after realip; $realip_remote_addr keeps the peer. */
  remoteAddr: string;
  remotePort: number;
  readonly realipRemoteAddr: string;
  /** realip set an address for this request: it is not applied again (see applyRealip). */
  realipSet: boolean;
  readonly serverAddr: string;
  readonly serverPort: number;
  /** $host: Host without port, lower-cased, or the server name. */
  host: string;
  /** The response status as sent (for logs). */
  status: number;
  bodyBytesSent: number;
  /** $proxy_host, $proxy_port for the location's proxy_pass. */
  proxyHost: string;
  proxyPort: string;
  upstream: UpstreamTrace | null;
  /** Raw headers of the last upstream response ($upstream_http_*). */
  upstreamHeaders: readonly string[] | null;
  /** The connection's serial number and request count on it ($connection, $connection_requests). */
  readonly connection: number;
  readonly connectionRequests: number;
  /** Set while proxy_pass runs: aborted if the client goes away before the response is complete. */
  clientGone: ClientGone | null;
  /** r->method: the request's, or GET after an error_page redirect to a path ($request_method). */
  method: string;
  /** r->err_status: the status the response goes out with whatever answers it (error_page); 0: none. */
  errStatus: number;
  /** r->error_page: an error page was looked for once (recursive_error_pages off: no second time). */
  errorPageUsed: boolean;
  /** r->uri_changes: internal redirects left before "rewrite or internal redirection cycle". */
  uriChanges: number;
  /** r->internal: the request was redirected internally (an `internal` location may answer it). */
  internal: boolean;
  /**
   * r->valid_unparsed_uri: the client's request target still names the request; false after an
   * internal redirect to a URI (not a named location), when proxy_pass sends $uri instead.
   */
  validUnparsedUri: boolean;
  /**
   * $upstream_* of the groups an error page left behind, when it proxies again: nginx keeps one
   * list of states and prints " : " between the groups. Null until a second proxy_pass.
   */
  upstreamEarlier: UpstreamEarlier | null;
  /**
   * r->headers_out.content_type set by an earlier stage (an upstream's, copied at its
   * X-Accel-Redirect): the static module and `return` keep it instead of their own; null: none.
   */
  contentType: string | null;
  /**
   * The last upstream peer tried and the URI sent to it: nginx keeps r->upstream after proxy_pass
   * ends, so the request's later log lines (a static file missing after an error_page or an
   * X-Accel-Redirect) still name it (`upstream: "http://PEER/URI"`). Null before any proxy_pass.
   */
  upstreamPeer: string | null;
  upstreamUri: string;
}

export interface UpstreamEarlier {
  addr: string;
  status: string;
  connect: string;
  header: string;
  response: string;
}

/** nginx's NGX_HTTP_MAX_URI_CHANGES + 1. */
export const URI_CHANGES = 11;

/**
 * Traces and their UpstreamRequest are reused (the request object is made for it: start() again
 * once an earlier request is over): making one of each per request, with the PickState and arrays
 * they hold, was ~1 KB of the ~11 KB of garbage a proxied request left. A trace goes back to its
 * balancer's idle list once both holders let go of it — proxy_pass's end and the response's
 * `close` (after the access log) — so nothing reads a trace another request is filling.
 */
const IDLE_TRACES_MAX = 1024;
const idleTraces = new WeakMap<Balancer, UpstreamTrace[]>();

export function takeTrace(balancer: Balancer): UpstreamTrace {
  const t = idleTraces.get(balancer)?.pop();
  if (t === undefined) return { request: balancer.request(), connectMs: [], headerMs: [], responseMs: [], balancer, holds: 2 };
  // -1 (printed `-`) in place of the last request's figures: truncating the lists would free
  // their backing stores, to be allocated again by the next attempt
  unset(t.connectMs);
  unset(t.headerMs);
  unset(t.responseMs);
  t.holds = 2;
  return t;
}

/** -1 in every slot (a loop: Array.prototype.fill is a call into the runtime, ~1% of the CPU). */
function unset(list: number[]): void {
  for (let i = 0; i < list.length; i++) list[i] = -1;
}

/** One holder lets go; the last one puts the trace back for another request. */
export function releaseTrace(t: UpstreamTrace): void {
  if (t.holds === undefined || t.balancer === undefined || --t.holds > 0) return;
  let list = idleTraces.get(t.balancer);
  if (list === undefined) idleTraces.set(t.balancer, list = []);
  if (list.length < IDLE_TRACES_MAX) list.push(t);
}
