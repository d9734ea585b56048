/**
 * The ip_hash key of a client address (ngx_http_upstream_init_ip_hash_peer): the first three
 * octets of an IPv4 address, all 16 bytes of an IPv6 address (IPv4-mapped ones included, as
 * nginx hashes any AF_INET6 socket address), and a 3-byte zero pseudo-address for anything else
 * (UNIX-socket clients, no address).
 *
 * Invariant: parses text without allocating; writes only into the caller's buffer.
 * Must not: apply realip; the caller passes the address nginx would see after it.
 */

/** Key length nginx uses for IPv4 and for the pseudo-address. */
const IPV4_KEY_BYTES = 3;
const IPV6_KEY_BYTES = 16;

/** Writes the key bytes of `address` into `out` (16 bytes long) and returns how many there are. */
export function ipHashKey(address: string | null, out: Uint8Array): number {
  if (address !== null && address.length > 0) {
    if (address.indexOf(':') >= 0) {
      if (parseIpv6(address, out)) return IPV6_KEY_BYTES;
    } else if (parseIpv4(address, 0, address.length, out, 0)) {
      return IPV4_KEY_BYTES;
    }
  }
  out[0] = 0;
  out[1] = 0;
  out[2] = 0;
  return IPV4_KEY_BYTES;
}

/** Dotted quad in s[from, to) into out[at .. at+4); false when it is not one. */
function parseIpv4(s: string, from: number, to: number, out: Uint8Array, at: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 3) return false;
      out[at + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return part === 4;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** RFC 4291 text (with `::`, an IPv4 tail, optional brackets and %zone) into 16 bytes. */
function parseIpv6(s: string, out: Uint8Array): boolean {
  let i = 0;
  let end = s.length;
  if (s.charCodeAt(0) === 91) {
    if (s.charCodeAt(end - 1) !== 93) return false;
    i = 1;
    end--;
  }
  const zone = s.indexOf('%', i);
  if (zone >= 0 && zone < end) end = zone;
  let n = 0;
  let gap = -1;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    if (n >= 16) return false;
    const start = i;
    let value = 0;
    while (i < end && i - start < 5 && hexValue(s.charCodeAt(i)) >= 0) {
      value = value * 16 + hexValue(s.charCodeAt(i));
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46) {
      if (n > 12 || !parseIpv4(s, start, end, out, n)) return false;
      n += 4;
      break;
    }
    if (i === start || i - start > 4) return false;
    out[n++] = value >>> 8;
    out[n++] = value & 0xff;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap < 0) return n === 16;
  if (n === 16) return false;
  const shift = 16 - n;
  for (let k = n - 1; k >= gap; k--) out[k + shift] = out[k]!;
  for (let k = gap; k < gap + shift; k++) out[k] = 0;
  return true;
}
