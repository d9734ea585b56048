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

/** The address realip gives this request, or the current one when nothing applies. */
export function realAddress(ctx: RequestContext, realIp: RealIp): string {
  const peer = ctx.realipRemoteAddr;
  if (!trusted(realIp, peer)) return ctx.remoteAddr;
  const name = realIp.header.toLowerCase();
  const raw = ctx.req.rawHeaders;
  const lines: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === name) lines.push(raw[i + 1]!);
  if (lines.length === 0) return ctx.remoteAddr;
  if (name === 'x-real-ip') {
    const addr = stripPort(lines[lines.length - 1]!);
    return isIP(addr) !== 0 ? addr : ctx.remoteAddr;
  }
  const list = lines.flatMap((l) => l.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) return ctx.remoteAddr;
  let chosen = list[list.length - 1]!;
  if (realIp.recursive) {
    for (let i = list.length - 1; i >= 0; i--) {
      chosen = list[i]!;
      if (isIP(chosen) === 0 || !trusted(realIp, chosen)) break;
    }
  }
  const addr = stripPort(chosen);
  return isIP(addr) !== 0 ? addr : ctx.remoteAddr;
}
