/**
 * Address ranges for set_real_ip_from (nginx's ngx_ptocidr()): `1.2.3.4`, `10.0.0.0/8`, `::1`,
 * `2001:db8::/32`. Host bits set below the mask make nginx warn "low address bits ... are
 * meaningless" and clear them: parseCidr returns 'bits' for that unless asked to clear.
 */
import { isIP } from 'node:net';
import type { CidrRange } from './model.js';

export function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
}

export function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const n = ipv4ToInt(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + ((n >>> 16).toString(16)) + ':' + ((n & 0xffff).toString(16));
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export function parseCidr(text: string, clearBits = false): CidrRange | 'bits' | null {
  const [addr, bitsText, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return null;
  const family = isIP(addr);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  let bits = max;
  if (bitsText !== undefined) {
    if (!/^\d+$/.test(bitsText)) return null;
    bits = Number(bitsText);
    if (bits > max) return null;
  }
  if (family === 4) {
    const n = ipv4ToInt(addr);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 !== n && !clearBits) return 'bits';
    return { kind: 'ipv4', addr: (n & mask) >>> 0, bits };
  }
  const n = ipv6ToBigInt(addr);
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
  if ((n & mask) !== n && !clearBits) return 'bits';
  return { kind: 'ipv6', addr: n & mask, bits };
}

/** Whether an address (IPv4 or IPv6 text) lies in a range. */
export function cidrContains(range: CidrRange, ip: string): boolean {
  const family = isIP(ip);
  if (range.kind === 'unix') return false;
  if (range.kind === 'ipv4') {
    if (family !== 4) return false;
    const mask = range.bits === 0 ? 0 : (0xffffffff << (32 - range.bits)) >>> 0;
    return ((ipv4ToInt(ip) & mask) >>> 0) === range.addr;
  }
  if (family !== 6) return false;
  const mask = range.bits === 0 ? 0n : ((1n << BigInt(range.bits)) - 1n) << BigInt(128 - range.bits);
  return (ipv6ToBigInt(ip) & mask) === range.addr;
}
