/**
 * Which source, path and key request number `seq` uses, and the client source addresses.
 *
 *   sourceAddress(i, p) = 127.(1 + ⌊s / 256⌋).(s mod 256).(1 + i mod p)    where s = ⌊i / p⌋
 *
 * With p = 1 (the default) the third octet changes from one client to the next because nginx's
 * ip_hash keys on the first three octets of an IPv4 address (ngx_http_upstream_ip_hash_module:
 * `hash = (hash * 113 + addr[i]) % 6271` for i < 3): clients that differ only in the fourth octet
 * are one key. With p > 1, p clients in a row share a /24 on purpose, to show exactly that.
 * 127.0.x.x is left to the balancer and backends (127.0.0.1). Every 127/8 address is bindable on
 * Linux without set-up.
 */
import { MAX_PER_SUBNET, MAX_SOURCES, type RequestMix } from './spec.js';

export function sourceAddress(i: number, perSubnet = 1): string {
  if (!Number.isInteger(perSubnet) || perSubnet < 1 || perSubnet > MAX_PER_SUBNET) throw new RangeError(`clients per /24 ${perSubnet} out of 1..${MAX_PER_SUBNET}`);
  const s = Math.floor(i / perSubnet);
  if (!Number.isInteger(i) || i < 0 || s >= MAX_SOURCES) throw new RangeError(`source index ${i} out of 0..${MAX_SOURCES * perSubnet - 1}`);
  return `127.${1 + Math.floor(s / 256)}.${s % 256}.${1 + (i % perSubnet)}`;
}

/** The /24 an address of sourceAddress lies in: `127.1.5.0/24`. */
export function subnetOf(address: string): string {
  return `${address.slice(0, address.lastIndexOf('.'))}.0/24`;
}

/** The source index, path and key index of request `seq` (-1: the mix has none). */
export interface RequestSlot {
  readonly source: number;
  readonly path: string;
  readonly key: number;
}

export function slotOf(mix: RequestMix, seq: number): RequestSlot {
  return {
    source: mix.sources.kind === 'none' ? -1 : seq % mix.sources.count,
    path: mix.paths[seq % mix.paths.length]!,
    key: mix.keys.kind === 'none' ? -1 : seq % mix.keys.count,
  };
}

export function keyValue(i: number): string {
  return `key-${i}`;
}

/** The client identity of request `seq` as a balancer keys on it: a source address, or null. */
export function clientOf(mix: RequestMix, seq: number): string | null {
  return mix.sources.kind === 'none' ? null : sourceAddress(seq % mix.sources.count, mix.sources.perSubnet);
}

/** The header key of request `seq`, or null. */
export function keyOf(mix: RequestMix, seq: number): string | null {
  return mix.keys.kind === 'none' ? null : keyValue(seq % mix.keys.count);
}

/** The body bytes every request of the mix sends (made once). */
export function bodyBytesOf(mix: RequestMix): Buffer | null {
  switch (mix.body.kind) {
    case 'none': return null;
    case 'text': return Buffer.from(mix.body.text);
    case 'size': return Buffer.alloc(mix.body.bodyBytes, 0x61);
  }
}
