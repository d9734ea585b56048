/**
 * schema/report.schema.json and report-model.ts say the same. The fixtures are typed RunReports
 * (the compiler refuses a field the model lacks or a missing required one); here every fixture
 * conforms to the schema, every property the schema names appears in them (so the schema names
 * nothing the model lacks), exactly the model's optional fields are left out of `required`, and
 * the report loader accepts what the schema accepts.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { repoPath } from '../testing/fixtures.js';
import { schemaErrors } from '../suite/schema-check.js';
import { ALL, WEIGHTED } from './fixtures/index.js';
import { reportJson } from './write.js';
import { parseReport } from './load.js';

type Json = { [k: string]: unknown };
const schema = JSON.parse(readFileSync(repoPath('schema/report.schema.json'), 'utf8')) as Json;

/** The model's optional fields (`?` in report-model.ts), by schema path. */
const OPTIONAL = ['phase.histogram', 'phase.timeline.failures', 'backend.errors'];

function resolveRef(s: Json): Json {
  const ref = s['$ref'];
  if (typeof ref !== 'string') return s;
  return ref.slice(2).split('/').reduce<Json>((node, part) => node[part] as Json, schema);
}

/** Every object schema with `properties`, by a readable path (definitions by their name). */
function objectSchemas(): Map<string, Json> {
  const out = new Map<string, Json>();
  const walk = (s: Json, path: string): void => {
    if (s['properties'] === undefined) return;
    out.set(path, s);
    for (const [k, sub] of Object.entries(s['properties'] as Record<string, Json>)) walk(resolveRef(sub), path === '' ? k : `${path}.${k}`);
  };
  walk(schema, '');
  for (const [name, def] of Object.entries(schema['definitions'] as Record<string, Json>)) walk(def, name);
  return out;
}

t.test('every fixture conforms to the schema', async (t) => {
  for (const [name, report] of Object.entries(ALL)) t.same(schemaErrors(schema, JSON.parse(reportJson(report))), [], name);
});

t.test('every object of the schema is closed and every property it names is in a full report', async (t) => {
  const seen = new Map<string, Set<string>>();
  const note = (path: string, o: object): void => {
    let keys = seen.get(path);
    if (keys === undefined) seen.set(path, (keys = new Set()));
    for (const k of Object.keys(o)) keys.add(k);
  };
  note('', WEIGHTED);
  for (const key of ['tool', 'suite', 'target'] as const) note(key, WEIGHTED[key]);
  for (const p of WEIGHTED.phases) {
    note('phase', p);
    note('phase.latency', p.latency);
    note('phase.timeline', p.timeline);
    if (p.histogram !== undefined) note('phase.histogram', p.histogram);
    for (const b of p.backends) note('backend', b);
    for (const e of p.events) note('event', e);
    for (const v of p.verdicts) note('verdict', v);
  }
  const objects = objectSchemas();
  for (const [path, s] of objects) {
    t.equal(s['additionalProperties'], false, `${path || '(top)'} is closed`);
    const props = Object.keys(s['properties'] as Json).sort();
    if (seen.has(path)) t.same([...seen.get(path)!].sort(), props, `${path || '(top)'}: the schema's properties are the report's`);
  }
  t.same([...seen.keys()].filter((p) => !objects.has(p)), [], 'every object of the report has a schema');
});

t.test('required: every property but the optional ones', async (t) => {
  for (const [path, s] of objectSchemas()) {
    const props = Object.keys(s['properties'] as Json);
    const optional = props.filter((k) => OPTIONAL.includes(path === '' ? k : `${path}.${k}`));
    t.same([...(s['required'] as string[])].sort(), props.filter((k) => !optional.includes(k)).sort(), path || '(top)');
  }
});

t.test('what the schema refuses, and what the loader says of it', async (t) => {
  const good = JSON.parse(reportJson(WEIGHTED)) as Json;
  const phases = good['phases'] as Json[];
  const cases: [string, Json][] = [
    ['a missing field', { ...good, outcome: undefined }],
    ['an unknown outcome', { ...good, outcome: 'fine' }],
    ['a later version', { ...good, version: 2 }],
    ['a share above 1', { ...good, phases: [{ ...phases[0], backends: [{ ...(phases[0]!['backends'] as Json[])[0], share: 1.5 }] }] }],
  ];
  for (const [what, bad] of cases) t.not(schemaErrors(schema, JSON.parse(JSON.stringify(bad))).length, 0, `schema: ${what}`);
  t.same(parseReport(JSON.stringify({ ...good, outcome: undefined })).problems, ['outcome: missing']);
  t.same(parseReport(JSON.stringify({ ...good, version: 2 })).problems, ['report version 2 was written by a later lbtest; this one reads version 1']);
});
