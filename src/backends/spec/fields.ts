/**
 * Reading typed values out of YAML nodes, each problem recorded as a located issue. A map becomes
 * a Fields set (key -> value node and its source), so that a profile's keys and the keys that
 * override them can be read alike, each located in its own file.
 *
 *   duration := 0 | number ("ms" | "s" | "m")          e.g. 50ms, 1.5s, 2m   (a bare number is refused:
 *                                                       nginx reads seconds, people mean ms)
 *   size     := integer | integer ("k" | "K" | "m" | "M")   k = 1024, as nginx counts
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { found, type At, type Issues, type Source } from './source.js';

export interface Field {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | null;
  readonly src: Source;
  readonly path: string;
  /** Appended to messages, e.g. ` (from profile slow)`. */
  readonly note: string;
}

export class Fields {
  readonly #map = new Map<string, Field>();
  readonly at: At;

  /** `at` locates the map itself (for missing keys). */
  constructor(at: At) { this.at = at; }

  /** Reads a YAML map's pairs; a non-map value is an issue (and yields no fields). */
  static of(node: Node | null, at: At, issues: Issues, note = ''): Fields {
    const fields = new Fields(at);
    fields.addMap(node, at, issues, note);
    return fields;
  }

  addMap(node: Node | null, at: At, issues: Issues, note = ''): void {
    const map = deref(node, at.src);
    if (map === null || (isScalar(map) && map.value === null)) return;
    if (!isMap(map)) { issues.add('SUITE_SHAPE', at, `expected a map${note}, found ${found(map.toJSON())}`); return; }
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      this.#map.set(key, { key, keyNode: pair.key, value: deref(pair.value, at.src), src: at.src, path: `${at.path}.${key}`, note });
    }
  }

  get(key: string): Field | undefined { return this.#map.get(key); }
  set(field: Field): void { this.#map.set(field.key, field); }
  has(key: string): boolean { return this.#map.has(key); }
  delete(key: string): void { this.#map.delete(key); }
  keys(): string[] { return [...this.#map.keys()]; }

  /** Every key not in `allowed` is an issue. */
  rejectUnknown(allowed: readonly string[], issues: Issues, what: string): void {
    for (const f of this.#map.values()) {
      if (!allowed.includes(f.key)) {
        issues.add('SUITE_SHAPE', atKey(f), `unknown key "${f.key}" for ${what}${f.note}; expected one of: ${allowed.join(', ')}`);
      }
    }
  }
}

export function atKey(f: Field): At { return { src: f.src, node: f.keyNode, path: f.path }; }
export function atValue(f: Field): At { return { src: f.src, node: f.value ?? f.keyNode, path: f.path }; }

/** Resolves an alias (*name) to the node it names. */
export function deref(node: Node | null | undefined, src: Source): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return (node.resolve(src.doc) as Node | undefined) ?? null;
  return node;
}

function scalarValue(f: Field): unknown {
  return isScalar(f.value) ? f.value.value : f.value === null ? null : f.value.toJSON();
}

function refuse(issues: Issues, f: Field, expected: string): undefined {
  issues.add('SUITE_SHAPE', atValue(f), `expected ${expected}${f.note}, found ${found(scalarValue(f))}`);
  return undefined;
}

export function readInt(issues: Issues, f: Field, min: number, max: number): number | undefined {
  const v = scalarValue(f);
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  return refuse(issues, f, `an integer from ${min} to ${max}`);
}

export function readFraction(issues: Issues, f: Field): number | undefined {
  const v = scalarValue(f);
  if (typeof v === 'number' && v >= 0 && v <= 1) return v;
  return refuse(issues, f, 'a probability from 0 to 1');
}

export function readString(issues: Issues, f: Field): string | undefined {
  const v = scalarValue(f);
  if (typeof v === 'string' && v !== '') return v;
  return refuse(issues, f, 'a non-empty string');
}

export function readChoice<T extends string>(issues: Issues, f: Field, choices: readonly T[]): T | undefined {
  const v = scalarValue(f);
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  return refuse(issues, f, `one of ${choices.join(', ')}`);
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const MS_PER_UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
/** Longest duration a backend is asked to wait: a day. */
export const MAX_DURATION_MS = 24 * 3600_000;

export function readDurationMs(issues: Issues, f: Field): number | undefined {
  const v = scalarValue(f);
  if (v === 0) return 0;
  const m = typeof v === 'string' ? DURATION.exec(v) : null;
  const ms = m === null ? NaN : Math.round(Number(m[1]) * MS_PER_UNIT[m[2]!]!);
  if (ms >= 0 && ms <= MAX_DURATION_MS) return ms;
  return refuse(issues, f, 'a duration with its unit, such as 50ms, 1.5s or 2m (at most a day)');
}

const SIZE = /^(\d+)([kKmM]?)$/;

export function readSizeBytes(issues: Issues, f: Field, maxBytes: number): number | undefined {
  const v = scalarValue(f);
  const m = typeof v === 'number' ? [String(v), String(v), ''] : typeof v === 'string' ? SIZE.exec(v) : null;
  const bytes = m === null ? NaN : Number(m[1]) * (m[2] === '' ? 1 : /[kK]/.test(m[2]!) ? 1024 : 1024 * 1024);
  if (Number.isInteger(bytes) && bytes >= 0 && bytes <= maxBytes) return bytes;
  return refuse(issues, f, `a size in bytes such as 512, 16k or 1m (at most ${maxBytes} bytes)`);
}

/** The items of a sequence, each with its own path (`schedule[1]`). */
export function readSeq(issues: Issues, f: Field): Field[] | undefined {
  if (!isSeq(f.value)) return refuse(issues, f, 'a list');
  return (f.value.items as (Node | null)[]).map((item, i) => ({
    key: String(i), keyNode: item ?? f.value!, value: deref(item, f.src), src: f.src, path: `${f.path}[${i}]`, note: f.note,
  }));
}

/** A nested map as fields of its own. */
export function subFields(issues: Issues, f: Field): Fields {
  return Fields.of(f.value, atValue(f), issues, f.note);
}

export function isScalarField(f: Field): boolean {
  return f.value === null || isScalar(f.value);
}
