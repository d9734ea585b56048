/**
 * The realip module (ngx_http_realip_module.c, ngx_http_get_forwarded_addr_internal()): when the
 * connection's peer is trusted (set_real_ip_from), $remote_addr becomes the address the header
 * names. X-Real-IP: the whole value (a port may follow). X-Forwarded-For (or any list header):
 * the last address; with real_ip_recursive, walking from the right past trusted addresses, every
 * header line taken as one list, the last line first.
 */
import { isIP } from 'node:net';
import type { RealIp } from '../../config/model.js';
import { cidrContains } from '../../config/cidr.js';
import type { RequestContext } from './context.js';

function trusted(realIp: RealIp, addr: string): boolean {
  return realIp.from.some((r) => cidrContains(r, addr));
}

function stripPort(v: string): string {
  const t = v.trim();
  if (t.startsWith('[')) { const end = t.indexOf(']'); return end > 0 ? t.slice(1, end) : t; }
  if (isIP(t) !== 0) return t;
  const colon = t.lastIndexOf(':');
  return colon > 0 && t.indexOf(':') === colon ? t.slice(0, colon) : t;
}

/**
 * The address realip gives this request, or null when nothing applies (an untrusted peer, no
 * header, no address in it): nginx's realip handler then leaves no context behind, and a later
 * phase (a location's own set_real_ip_from) may still apply.
 */
export function realAddress(ctx: RequestContext, realIp: RealIp): string | null {
  const peer = ctx.realipRemoteAddr;
  if (!trusted(realIp, peer)) return null;
  const name = realIp.header.toLowerCase();
  const raw = ctx.req.rawHeaders;
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) lines.push(raw[i + 1]!);
  if (lines.length === 0) return null;
  if (name === 'x-real-ip') {
    const addr = stripPort(lines[lines.length - 1]!);
    return isIP(addr) !== 0 ? addr : null;
  }
  const list = lines.flatMap((l) => l.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) return null;
  let chosen = list[list.length - 1]!;
  if (realIp.recursive) {
    for (let i = list.length - 1; i >= 0; i--) {
      chosen = list[i]!;
      if (isIP(chosen) === 0 || !trusted(realIp, chosen)) break;
    }
  }
  const addr = stripPort(chosen);
  return isIP(addr) !== 0 ? addr : null;
}

/**
 * realip for this request, once: ngx_http_realip_handler runs in the post-read phase (with the
 * server's settings) and again in the preaccess phase (with the location's, after every internal
 * redirect), and does nothing once an address was set — its context outlives the redirect.
 */
export function applyRealip(ctx: RequestContext, realIp: RealIp | null): void {
  if (realIp === null || ctx.realipSet) return;
  const addr = realAddress(ctx, realIp);
  if (addr === null) return;
  ctx.remoteAddr = addr;
  ctx.realipSet = true;
}
