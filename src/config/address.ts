/**
 * Addresses as nginx's ngx_parse_url() reads them: `listen` arguments, upstream `server`
 * addresses and proxy_pass URLs. Host names were looked up before the walk (load.ts) and are
 * found in the composer's host table, so this module stays synchronous and does no I/O.
 */
import { fail } from './compose.js';
import { isIP } from 'node:net';
import type { Composer } from './compose.js';
import type { Listen, PeerAddress } from './model.js';

export interface HostPort {
  readonly host: string;       // without brackets
  readonly port: number | null; // null when none was written
  readonly unix: string | null;
}

/** Splits `host[:port]`, `[v6][:port]`, `port` (listen only) or `unix:/path`; returns an nginx error text. */
export function splitHostPort(url: string, listen: boolean): HostPort | string {
  if (url.startsWith('unix:')) {
    const path = url.slice(5);
    return path.length === 0 ? 'no path in the unix domain socket' : { host: '', port: null, unix: path };
  }
  let host: string, portText: string | null;
  if (url.startsWith('[')) {
    const close = url.indexOf(']');
    if (close < 0) return 'invalid host';
    host = url.slice(1, close);
    const rest = url.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return 'invalid host';
    portText = rest === '' ? null : rest.slice(1);
    if (isIP(host) !== 6) return 'invalid IPv6 address';
  } else {
    const colon = url.lastIndexOf(':');
    host = colon < 0 ? url : url.slice(0, colon);
    portText = colon < 0 ? null : url.slice(colon + 1);
    if (listen && colon < 0 && /^\d+$/.test(url)) { host = '*'; portText = url; }
  }
  let port: number | null = null;
  if (portText !== null) {
    if (!/^\d+$/.test(portText)) return 'invalid port';
    port = Number(portText);
    if (port < 1 || port > 65535) return 'invalid port';
  }
  if (host === '') return 'no host';
  return { host, port, unix: null };
}

/** `127.0.0.1:8081`, `[::1]:8081`: how $upstream_addr prints an address. */
export function addrName(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The addresses a host stands for: itself if an IP literal, else the looked-up table. */
export function resolveHost(c: Composer, host: string): readonly string[] | null {
  if (isIP(host) !== 0) return [host];
  const found = c.opts.hosts.get(host.toLowerCase());
  return found === undefined ? null : found;
}

export function peerAddresses(c: Composer, hp: HostPort, defaultPort: number): PeerAddress[] | null {
  if (hp.unix !== null) return [{ kind: 'unix', path: hp.unix, name: `unix:${hp.unix}` }];
  const ips = resolveHost(c, hp.host);
  if (ips === null) return null;
  const port = hp.port ?? defaultPort;
  return ips.map((ip) => ({ kind: 'tcp', host: ip, port, family: isIP(ip) === 6 ? 6 : 4, name: addrName(ip, port) }));
}

const LISTEN_FLAGS = new Set(['default_server', 'default', 'bind', 'ssl', 'http2', 'spdy', 'quic', 'reuseport',
  'deferred', 'proxy_protocol']);
const LISTEN_PARAMS = ['backlog=', 'rcvbuf=', 'sndbuf=', 'ipv6only=', 'so_keepalive=', 'setfib=', 'fastopen=',
  'accept_filter='];

/** The `listen` directive: address then parameters (ngx_http_core_listen()). */
export function parseListen(c: Composer, args: readonly string[]): Listen[] {
  const [url, ...params] = args as [string, ...string[]];
  const hp = splitHostPort(url, true);
  if (typeof hp === 'string') fail(c, `${hp} in "${url}" of the "listen" directive`);
  let defaultServer = false;
  for (const p of params) {
    if (p === 'default_server' || p === 'default') { defaultServer = true; continue; }
    if (LISTEN_FLAGS.has(p) || LISTEN_PARAMS.some((x) => p.startsWith(x))) {
      if (p !== 'bind' && p !== 'reuseport' && p !== 'deferred' && !p.startsWith('backlog=')) {
        c.warn(`listen parameter "${p}" is not implemented by lbtest and is ignored`);
      }
      continue;
    }
    fail(c, `invalid parameter "${p}"`);
  }
  const source = c.source();
  if (hp.unix !== null) return [{ host: '', port: 0, unix: hp.unix, defaultServer, source }];
  const port = hp.port ?? 80;
  if (hp.host === '*') return [{ host: '*', port, unix: null, defaultServer, source }];
  const ips = resolveHost(c, hp.host);
  if (ips === null) fail(c, `host not found in "${url}" of the "listen" directive`);
  return ips.map((ip) => ({ host: ip, port, unix: null, defaultServer, source }));
}
