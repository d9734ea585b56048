/**
 * Where the header lines of a head being parsed lie, kept as offsets (name start, name end,
 * value start, value end) in one Int32Array that both parsers reuse from head to head, so that
 * no string is made before the head is complete. Shared by the client's request parser and the
 * upstream's response parser.
 */

/** Records line `n` (0-based); returns the array, a doubled copy when it was full. */
export function recordLine(o: Int32Array<ArrayBuffer>, n: number, ns: number, ne: number, vs: number, ve: number): Int32Array<ArrayBuffer> {
  const at = n * 4;
  if (at + 4 > o.length) {
    const grown = new Int32Array(o.length * 2);
    grown.set(o);
    o = grown;
  }
  o[at] = ns; o[at + 1] = ne; o[at + 2] = vs; o[at + 3] = ve;
  return o;
}
