/**
 * The host a request names (nginx's r->headers_in.server): the absolute URI's host, else the
 * first Host header's, lower-cased, without port or trailing dot; '' when it names none. And the
 * absolute Location nginx's header filter makes of a relative one.
 */
import type { Incoming } from './server/incoming.js';
import type { RequestContext } from './context.js';

/** The first Host header's value (node:http's rule), read from the raw headers. */
function hostHeader(raw: readonly string[]): string {
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i]!;
    if (n.length === 4 && (n.charCodeAt(0) | 0x20) === 0x68 && (n.charCodeAt(1) | 0x20) === 0x6f && (n.charCodeAt(2) | 0x20) === 0x73 && (n.charCodeAt(3) | 0x20) === 0x74) return raw[i + 1]!;
  }
  return '';
}

export function hostOf(req: Incoming): string {
  const h = req.lineHost !== '' ? req.lineHost : hostHeader(req.rawHeaders);
  if (h === '') return '';
  const lower = h.toLowerCase();
  const end = lower.startsWith('[') ? lower.indexOf(']') + 1 : lower.indexOf(':');
  const host = end > 0 ? lower.slice(0, end) : lower;
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * A relative Location made absolute as nginx's header filter does (absolute_redirect,
 * port_in_redirect on, server_name_in_redirect off): the request's host, or the address it came
 * in on when it named none, and the port unless 80.
 */
export function absoluteLocation(ctx: RequestContext, location: string): string {
  // ngx_connection_local_sockaddr() without a port: an IPv6 address is not bracketed
  const host = hostOf(ctx.req) || ctx.serverAddr;
  return `http://${host}${ctx.serverPort === 80 ? '' : `:${ctx.serverPort}`}${location}`;
}

