/**
 * Readers for the suite's own kinds of value, on top of the backends format's field readers
 * (backends/spec/fields.ts): each records a located issue and returns undefined when the value is
 * wrong. Grammars:
 *
 *   comparison := [op] number [unit]        op := < | <= | > | >= | ==   (none: ==)
 *   share      := number in 0..1 | number%  `>= 0.99`, `<= 30%`
 *   count      := integer | share written with %
 *   latency    := [op] number (us | µs | ms | s)     `< 50ms`, `<= 800us`
 *   rate       := number "/s" | number "/m"          `200/s`
 *   within     := ["within"] duration                `within 3s`
 */
import { isScalar, type Node } from 'yaml';
import { atValue, type Field, Fields } from '../backends/spec/fields.js';
import { found, type At, type Issues } from '../backends/spec/source.js';
import type { Comparison, CountBound } from './model.js';

export function scalarOf(f: Field): unknown {
  return isScalar(f.value) ? f.value.value : f.value === null ? null : f.value.toJSON();
}

export function refuse(issues: Issues, f: Field, expected: string): undefined {
  issues.add('SUITE_SHAPE', atValue(f), `expected ${expected}, found ${found(scalarOf(f))}`);
  return undefined;
}

/** A map's fields with paths under `path` ('' at the top: `name`, not `.name`). */
export function fieldsOf(node: Node | null, at: At, issues: Issues): Fields {
  const fields = Fields.of(node, at, issues);
  if (at.path !== '') return fields;
  for (const key of fields.keys()) {
    const f = fields.get(key)!;
    fields.set({ ...f, path: key });
  }
  return fields;
}

const COMPARISON = /^\s*(<=|>=|==|<|>)?\s*([0-9]+(?:\.[0-9]+)?)\s*(%|us|µs|ms|s|\/s|\/m)?\s*$/;
type Unit = '' | '%' | 'us' | 'µs' | 'ms' | 's' | '/s' | '/m';

function parseComparison(v: unknown): { op: Comparison['op']; value: number; unit: Unit; text: string } | null {
  if (typeof v === 'number') return Number.isFinite(v) ? { op: '==', value: v, unit: '', text: String(v) } : null;
  if (typeof v !== 'string') return null;
  const m = COMPARISON.exec(v);
  if (m === null) return null;
  return { op: (m[1] ?? '==') as Comparison['op'], value: Number(m[2]), unit: (m[3] ?? '') as Unit, text: v.trim() };
}

/** A share of requests: 0..1 or a percentage. */
export function readShare(issues: Issues, f: Field): Comparison | undefined {
  const c = parseComparison(scalarOf(f));
  const value = c === null ? NaN : c.unit === '%' ? c.value / 100 : c.unit === '' ? c.value : NaN;
  if (c !== null && value >= 0 && value <= 1) return { op: c.op, value, text: c.text };
  return refuse(issues, f, 'a share such as ">= 0.99", "<= 30%" or 0');
}

/** A number of requests, or a share of them written with %. */
export function readCount(issues: Issues, f: Field): CountBound | undefined {
  const c = parseComparison(scalarOf(f));
  if (c !== null && c.unit === '' && Number.isInteger(c.value)) return { op: c.op, value: c.value, text: c.text, unit: 'count' };
  if (c !== null && c.unit === '%' && c.value <= 100) return { op: c.op, value: c.value / 100, text: c.text, unit: 'share' };
  return refuse(issues, f, 'a count such as 0 or "<= 5", or a share such as "<= 1%"');
}

const US_PER: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };

/** A latency bound in µs. */
export function readLatencyUs(issues: Issues, f: Field): Comparison | undefined {
  const c = parseComparison(scalarOf(f));
  const per = c === null ? undefined : US_PER[c.unit];
  if (c !== null && per !== undefined && c.op !== '==') return { op: c.op, value: c.value * per, text: c.text };
  return refuse(issues, f, 'a latency bound with its unit, such as "< 50ms" or "<= 800us"');
}

/** Requests per second: `200/s`, `6000/m`; for a throughput floor also `>= 200/s`. */
export function readRatePerSec(issues: Issues, f: Field, floor = false): number | undefined {
  const c = parseComparison(scalarOf(f));
  const okOp = c !== null && (c.op === '==' || (floor && c.op === '>='));
  const value = c === null || !okOp ? NaN : c.unit === '/s' ? c.value : c.unit === '/m' ? c.value / 60 : NaN;
  if (value > 0) return value;
  return refuse(issues, f, floor ? 'a floor such as "500/s" or ">= 500/s"' : 'a rate such as 200/s or 600/m');
}

const WITHIN = /^\s*(?:within\s+)?([0-9]+(?:\.[0-9]+)?)(ms|s|m)\s*$/;
const MS_PER: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** `within 3s` or `3s`, in ms. */
export function readWithinMs(issues: Issues, f: Field): number | undefined {
  const v = scalarOf(f);
  const m = typeof v === 'string' ? WITHIN.exec(v) : null;
  if (m !== null) return Math.round(Number(m[1]) * MS_PER[m[2]!]!);
  return refuse(issues, f, 'a time such as "within 3s" or 500ms');
}

export function readPositiveInt(issues: Issues, f: Field, max: number): number | undefined {
  const v = scalarOf(f);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max) return v;
  return refuse(issues, f, `an integer from 1 to ${max}`);
}

/** A list of strings, or one string as a list of one. */
export function readNames(issues: Issues, f: Field): { name: string; field: Field }[] | undefined {
  const v = scalarOf(f);
  if (typeof v === 'string' && v !== '') return [{ name: v, field: f }];
  if (!Array.isArray(v)) return refuse(issues, f, 'a name or a list of names');
  const items = (f.value as unknown as { items: (Node | null)[] }).items;
  const out: { name: string; field: Field }[] = [];
  items.forEach((node, i) => {
    const item: Field = { ...f, key: String(i), keyNode: node ?? f.keyNode, value: node, path: `${f.path}[${i}]` };
    const s = scalarOf(item);
    if (typeof s === 'string' && s !== '') out.push({ name: s, field: item });
    else refuse(issues, item, 'a name');
  });
  return out;
}
