/**
 * proxy_next_upstream as nginx evaluates it: failure types as bits (NGX_HTTP_UPSTREAM_FT_*),
 * the configured mask compiled once per location, and the status each failure type answers with
 * (the switch in ngx_http_upstream_next).
 *
 * Invariant: a RetryPolicy is immutable and built at config load, never per request.
 * Must not: keep per-request state.
 */
import type { NextUpstream, ProxySettings } from '../../config/model.js';

/** NGX_HTTP_UPSTREAM_FT_* (ngx_http_upstream.h); only the bits lbtest uses. */
export const FT = {
  error: 0x2,
  timeout: 0x4,
  invalidHeader: 0x8,
  http500: 0x10,
  http502: 0x20,
  http503: 0x40,
  http504: 0x80,
  http403: 0x100,
  http404: 0x200,
  http429: 0x400,
  nonIdempotent: 0x4000,
  noLive: 0x4000_0000,
} as const;

/** A failure the proxy reports before a response header was accepted. */
export type FailureKind = 'error' | 'timeout' | 'invalid_header';

export interface RetryPolicy {
  /** The proxy_next_upstream mask in FT bits (`off`: 0). */
  readonly mask: number;
  /** proxy_next_upstream_tries; 0 = bounded only by the peers. */
  readonly tries: number;
  /** proxy_next_upstream_timeout in ms from the first attempt's start; 0 = unlimited. */
  readonly timeoutMs: number;
}

export function nextUpstreamMask(n: NextUpstream): number {
  return (n.error ? FT.error : 0) | (n.timeout ? FT.timeout : 0) | (n.invalidHeader ? FT.invalidHeader : 0)
    | (n.http500 ? FT.http500 : 0) | (n.http502 ? FT.http502 : 0) | (n.http503 ? FT.http503 : 0)
    | (n.http504 ? FT.http504 : 0) | (n.http403 ? FT.http403 : 0) | (n.http404 ? FT.http404 : 0)
    | (n.http429 ? FT.http429 : 0) | (n.nonIdempotent ? FT.nonIdempotent : 0);
}

export function compileRetryPolicy(
  proxy: Pick<ProxySettings, 'nextUpstream' | 'nextUpstreamTries' | 'nextUpstreamTimeoutMs'>,
): RetryPolicy {
  return Object.freeze({
    mask: nextUpstreamMask(proxy.nextUpstream),
    tries: proxy.nextUpstreamTries,
    timeoutMs: proxy.nextUpstreamTimeoutMs,
  });
}

/** nginx's default: `proxy_next_upstream error timeout`, no tries or time limit. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ mask: FT.error | FT.timeout, tries: 0, timeoutMs: 0 });

export function failureBit(kind: FailureKind): number {
  if (kind === 'error') return FT.error;
  return kind === 'timeout' ? FT.timeout : FT.invalidHeader;
}

/** ngx_http_upstream_next_errors: the response statuses proxy_next_upstream can name; 0 for others. */
export function statusBit(status: number): number {
  switch (status) {
    case 500: return FT.http500;
    case 502: return FT.http502;
    case 503: return FT.http503;
    case 504: return FT.http504;
    case 403: return FT.http403;
    case 404: return FT.http404;
    case 429: return FT.http429;
    default: return 0;
  }
}

/** The status nginx records for a failed attempt and answers with if it stops there. */
export function failureStatus(ft: number): number {
  switch (ft) {
    case FT.timeout:
    case FT.http504: return 504;
    case FT.http500: return 500;
    case FT.http503: return 503;
    case FT.http403: return 403;
    case FT.http404: return 404;
    case FT.http429: return 429;
    default: return 502;
  }
}

/** Methods nginx will not resend once the request went out (NGX_HTTP_POST|LOCK|PATCH). */
export function isNonIdempotent(method: string): boolean {
  return method === 'POST' || method === 'LOCK' || method === 'PATCH';
}
