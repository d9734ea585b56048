/**
 * nginx's time and size units (ngx_parse_time(), ngx_parse_size(); https://nginx.org/en/docs/syntax.html).
 *
 *   time := (number unit " "*)+ | number        unit := y M w d h m s ms   (most significant first)
 *   size := number [k K m M]                    offset also takes g G
 *
 * A bare number is seconds. Times come back in milliseconds; `secondsOnly` rejects `ms`, as
 * nginx's is_sec parse does for fail_timeout and other second-resolution values.
 */

const TIME_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 24 * 3600_000], ['M', 30 * 24 * 3600_000], ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000], ['h', 3600_000], ['m', 60_000], ['s', 1000], ['ms', 1],
];

/** Milliseconds, or null when the text is not a valid nginx time. */
export function parseTime(text: string, secondsOnly = false): number | null {
  const re = /(\d+)(ms|[yMwdhms])? */y;
  let pos = 0, total = 0, lastRank = -1, bare = false;
  if (text.length === 0) return null;
  while (pos < text.length) {
    if (bare) return null;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return null;
    pos = re.lastIndex;
    const unit = m[2] ?? 's';
    if (m[2] === undefined) bare = true;
    const rank = TIME_UNITS.findIndex(([u]) => u === unit);
    if (rank <= lastRank || (secondsOnly && unit === 'ms')) return null;
    lastRank = rank;
    total += Number(m[1]) * TIME_UNITS[rank]![1];
  }
  return total > 0x7fffffff * 1000 ? null : total;
}

/** Bytes, or null when the text is not a valid nginx size. */
export function parseSize(text: string, allowGiga = false): number | null {
  const m = /^(\d+)([kKmMgG]?)$/.exec(text);
  if (m === null) return null;
  const scale: Record<string, number> = { '': 1, k: 1024, K: 1024, m: 1 << 20, M: 1 << 20, g: 1 << 30, G: 1 << 30 };
  if (!allowGiga && /[gG]/.test(m[2]!)) return null;
  const n = Number(m[1]) * scale[m[2]!]!;
  return Number.isSafeInteger(n) ? n : null;
}

/** nginx's ngx_atoi(): digits only, no sign; null otherwise. */
export function parseInteger(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= 0x7fffffff ? n : null;
}
