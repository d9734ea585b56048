/**
 * CRC-32 (IEEE 802.3, zlib's), as nginx's ngx_crc32_init / ngx_crc32_update / ngx_crc32_final:
 * a running state that can be continued (the ketama ring feeds host, NUL, port, then each
 * previous point) and finalised separately.
 *
 * crc = 0xffffffff; for each byte b: crc = T[(crc ^ b) & 0xff] ^ (crc >>> 8); result = ~crc.
 * Two string forms: config text (server names) is fed as its UTF-8 bytes; request-derived text
 * (hash keys) is a byte string, one char per byte, as Node delivers header values (latin1).
 *
 * Invariant: states are plain int32 numbers; nothing here allocates after the table is built.
 */

const CRC32_POLYNOMIAL = 0xedb88320;

const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? CRC32_POLYNOMIAL ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

export const CRC32_INIT = -1;

export function crc32Byte(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}

/** Continues `crc` with the UTF-8 encoding of `s`. */
export function crc32String(crc: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      crc = crc32Byte(crc, c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const low = s.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        crc = crc32Byte(crc, 0xf0 | (c >>> 18));
        crc = crc32Byte(crc, 0x80 | ((c >>> 12) & 0x3f));
        crc = crc32Byte(crc, 0x80 | ((c >>> 6) & 0x3f));
        crc = crc32Byte(crc, 0x80 | (c & 0x3f));
        continue;
      }
    }
    if (c < 0x800) {
      crc = crc32Byte(crc, 0xc0 | (c >>> 6));
    } else {
      crc = crc32Byte(crc, 0xe0 | (c >>> 12));
      crc = crc32Byte(crc, 0x80 | ((c >>> 6) & 0x3f));
    }
    crc = crc32Byte(crc, 0x80 | (c & 0x3f));
  }
  return crc;
}

/**
 * Continues `crc` with a byte string: each char below 0x100 is one byte. A char above that cannot
 * come from the wire; it is fed as UTF-8 rather than truncated.
 */
export function crc32Binary(crc: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    crc = c < 0x100 ? crc32Byte(crc, c) : crc32String(crc, s[i]!);
  }
  return crc;
}

/** Continues `crc` with the decimal digits of a non-negative integer (nginx's "%ui"). */
export function crc32Decimal(crc: number, n: number): number {
  let p = 1;
  while (p * 10 <= n) p *= 10;
  for (; p >= 1; p /= 10) crc = crc32Byte(crc, 48 + (Math.floor(n / p) % 10));
  return crc;
}

/** Continues `crc` with the 4 little-endian bytes of a uint32. */
export function crc32Uint32Le(crc: number, v: number): number {
  crc = crc32Byte(crc, v & 0xff);
  crc = crc32Byte(crc, (v >>> 8) & 0xff);
  crc = crc32Byte(crc, (v >>> 16) & 0xff);
  return crc32Byte(crc, (v >>> 24) & 0xff);
}

/** The finished checksum as an unsigned 32-bit number. */
export function crc32Final(crc: number): number {
  return ~crc >>> 0;
}

export function crc32(s: string): number {
  return crc32Final(crc32String(CRC32_INIT, s));
}
