/**
 * A set of header names matched without regard to ASCII case and without allocating: the request
 * path asks, for every header it passes, whether nginx hides or replaces it. Lower-casing each
 * name first (a new string, then a hash) was the largest single line of the proxy's own code in
 * the profile. Names are grouped by length, and compared byte by byte with case folded.
 */
export class HeaderNames {
  /** Names by length: an array indexed by it (a Map's hashing showed in the profile). */
  readonly #byLength: (string[] | undefined)[] = [];
  /** Lower-cased prefixes (`x-accel-`): a name starting with one is in the set. */
  readonly #prefixes: readonly string[];

  constructor(names: Iterable<string>, prefixes: readonly string[] = []) {
    for (const n of names) {
      const lower = n.toLowerCase();
      const list = this.#byLength[lower.length];
      if (list === undefined) this.#byLength[lower.length] = [lower];
      else if (!list.includes(lower)) list.push(lower);
    }
    this.#prefixes = prefixes.map((p) => p.toLowerCase());
  }

  has(name: string): boolean {
    const list = name.length < this.#byLength.length ? this.#byLength[name.length] : undefined;
    if (list !== undefined) for (let i = 0; i < list.length; i++) if (foldedStartsWith(name, list[i]!)) return true;
    for (let i = 0; i < this.#prefixes.length; i++) if (foldedStartsWith(name, this.#prefixes[i]!)) return true;
    return false;
  }
}

/** Whether `name` begins with `lower` (lower-case ASCII), ASCII case folded. */
function foldedStartsWith(name: string, lower: string): boolean {
  if (name.length < lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
