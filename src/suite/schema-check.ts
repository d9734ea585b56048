/**
 * A checker for the subset of JSON Schema draft-07 that schema/suite.schema.json uses, for the
 * test that keeps the schema and the loader in step (no validator library is a dependency of
 * lbtest). Returns the instance paths that fail; [] when the value conforms.
 */
type Schema = boolean | { readonly [k: string]: unknown };

export function schemaErrors(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '', errors);
  return errors;
}

function check(root: Schema, schema: Schema, v: unknown, path: string, out: string[]): void {
  if (schema === true) return;
  if (schema === false) { out.push(`${path}: not allowed`); return; }
  const s = schema;
  const fail = (why: string): void => { out.push(`${path || '(root)'}: ${why}`); };
  if (typeof s['$ref'] === 'string') check(root, resolveRef(root, s['$ref']), v, path, out);
  if (s['type'] !== undefined && !([] as unknown[]).concat(s['type']).some((t) => isType(v, t as string))) fail(`expected ${String(s['type'])}`);
  if (s['const'] !== undefined && v !== s['const']) fail(`expected ${JSON.stringify(s['const'])}`);
  if (Array.isArray(s['enum']) && !s['enum'].includes(v)) fail(`expected one of ${s['enum'].join(', ')}`);
  if (typeof v === 'string') {
    if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(v)) fail(`does not match ${s['pattern']}`);
    if (typeof s['minLength'] === 'number' && v.length < s['minLength']) fail('too short');
  }
  if (typeof v === 'number') {
    if (typeof s['minimum'] === 'number' && v < s['minimum']) fail(`below ${s['minimum']}`);
    if (typeof s['maximum'] === 'number' && v > s['maximum']) fail(`above ${s['maximum']}`);
  }
  if (Array.isArray(v)) {
    if (typeof s['minItems'] === 'number' && v.length < s['minItems']) fail('too few items');
    if (s['items'] !== undefined) v.forEach((x, i) => check(root, s['items'] as Schema, x, `${path}[${i}]`, out));
  }
  if (isType(v, 'object')) checkObject(root, s, v as Record<string, unknown>, path, out, fail);
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key]) && !(s[key] as Schema[]).some((sub) => schemaErrors2(root, sub, v).length === 0)) fail(`matches none of ${key}`);
  }
  if (Array.isArray(s['allOf'])) for (const sub of s['allOf'] as Schema[]) check(root, sub, v, path, out);
  if (s['not'] !== undefined && schemaErrors2(root, s['not'] as Schema, v).length === 0) fail('matches `not`');
}

function checkObject(root: Schema, s: { readonly [k: string]: unknown }, o: Record<string, unknown>, path: string, out: string[], fail: (why: string) => void): void {
  const props = (s['properties'] ?? {}) as Record<string, Schema>;
  if (Array.isArray(s['required'])) for (const k of s['required'] as string[]) if (!(k in o)) fail(`missing ${k}`);
  if (typeof s['minProperties'] === 'number' && Object.keys(o).length < s['minProperties']) fail('too few properties');
  for (const [k, x] of Object.entries(o)) {
    const at = path === '' ? k : `${path}.${k}`;
    if (s['propertyNames'] !== undefined) check(root, s['propertyNames'] as Schema, k, at, out);
    if (k in props) check(root, props[k]!, x, at, out);
    else if (s['additionalProperties'] !== undefined) check(root, s['additionalProperties'] as Schema, x, at, out);
  }
}

function schemaErrors2(root: Schema, schema: Schema, v: unknown): string[] {
  const out: string[] = [];
  check(root, schema, v, '', out);
  return out;
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $ref: ${ref}`);
  return ref.slice(2).split('/').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], root) as Schema;
}

function isType(v: unknown, t: string): boolean {
  switch (t) {
    case 'null': return v === null;
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number';
    default: return typeof v === t;
  }
}
