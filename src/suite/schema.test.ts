/**
 * schema/suite.schema.json and the loader say the same: the same keys in every map (from keys.ts
 * and the backends format's own tables), the example suites pass both, and a shape error fails both.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KEYS_BY_KIND } from '../backends/spec/behaviour-spec.js';
import { repoPath } from '../testing/fixtures.js';
import * as keys from './keys.js';
import { loadSuite, parseSuiteText, SuiteError } from './load.js';
import { TARGET_NAMES } from './model.js';
import { schemaErrors } from './schema-check.js';

type Json = { [k: string]: unknown };
const schema = JSON.parse(readFileSync(repoPath('schema/suite.schema.json'), 'utf8')) as Json;
const defs = schema['definitions'] as Record<string, Json>;
const noDns = async (): Promise<null> => null;

function props(s: Json): string[] {
  return Object.keys(s['properties'] as Json).sort();
}
function objectIn(s: Json, key: 'anyOf'): Json {
  return (s[key] as Json[]).find((x) => x['type'] === 'object')!;
}
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

t.test('every map of the schema has exactly the keys the loader accepts', async (t) => {
  t.same(props(schema), sorted(keys.SUITE_KEYS), 'suite');
  t.same(props(objectIn(defs['config']!, 'anyOf')), sorted(keys.BALANCER_KEYS), 'balancer');
  t.same(props(defs['targets']!), sorted(TARGET_NAMES), 'targets');
  t.same(props(defs['targetNote']!), sorted(keys.TARGET_NOTE_KEYS), 'target note');
  t.same(props(defs['phase']!), sorted(keys.PHASE_KEYS), 'phase');
  t.same(props(defs['traffic']!), sorted(keys.TRAFFIC_KEYS), 'traffic');
  t.same(props((defs['traffic']!['properties'] as Record<string, Json>)['keys']!), sorted(keys.TRAFFIC_KEYS_KEYS), 'traffic keys');
  t.same(props(defs['expect']!), sorted(keys.EXPECT_KEYS), 'expect');
  const expect = defs['expect']!['properties'] as Record<string, Json>;
  t.same(props(objectIn(expect['distribution']!, 'anyOf')), sorted(keys.DISTRIBUTION_KEYS), 'distribution');
  t.same(props(objectIn(expect['sticky']!, 'anyOf')), sorted(keys.STICKY_KEYS), 'sticky');
  const ejection = objectIn(expect['ejection']!, 'anyOf')['additionalProperties'] as Json;
  t.same(props(objectIn(ejection, 'anyOf')), sorted(keys.EJECTION_KEYS), 'ejection');
  const actions = (defs['action']!['anyOf'] as Json[]).map((a) => props(a));
  t.same(actions, keys.ACTION_KINDS.map((k) => sorted(keys.ACTION_KEYS[k])), 'actions');
  const backendKeys = new Set(['kind', 'port', 'profile', ...Object.values(KEYS_BY_KIND).flat()]);
  t.same(props(defs['backendMap']!), sorted([...backendKeys]), 'backends: the backends format');
});

t.test('the example suite loads and conforms to the schema', async (t) => {
  const file = repoPath('schema/examples/weighted.yaml');
  const suite = await loadSuite(file, { lookupHost: noDns });
  t.equal(suite.phases.length, 6);
  t.same(schemaErrors(schema, parse(readFileSync(file, 'utf8'))), []);
});

const GOOD = `name: s
backends: { a: {}, b: { kind: status, status: 503 } }
balancer: |
  upstream u { server {{a}}; server {{b}} backup; }
  server { listen {{listen}}; location / { proxy_pass http://u; } }
phases:
  - traffic: { requests: 10, clients: 3, keys: { header: X-K, count: 2 } }
    expect: { distribution: { a: 1 }, sticky: client, status: { 2xx: "100%" }, errors: "<= 1", latency: { p99.9: "<= 800us" } }
`;

t.test('suites the loader accepts conform; shape errors fail both', async (t) => {
  t.same(schemaErrors(schema, parse(GOOD)), []);
  await parseSuiteText(GOOD, '/s.yaml', { lookupHost: noDns });
  const broken = [
    GOOD.replace('phases:', 'phasez: []\nphases:'),
    GOOD.replace('requests: 10', 'requests: ten'),
    GOOD.replace('requests: 10', 'requests: 10, rate: fast'),
    GOOD.replace('sticky: client', 'sticky: cookie'),
    GOOD.replace('p99.9', 'p999x'),
    GOOD.replace('distribution: { a: 1 }', 'distribution: { shares: by-weight, chek: exact }'),
  ];
  for (const text of broken) {
    t.not(schemaErrors(schema, parse(text)).length, 0, `schema refuses: ${text.split('\n').find((l, i) => l !== GOOD.split('\n')[i])}`);
    await t.rejects(parseSuiteText(text, '/s.yaml', { lookupHost: noDns }), SuiteError);
  }
});

t.test('every shipped suite loads, conforms to the schema and says where nginx promises what it checks', async (t) => {
  const dir = repoPath('suites');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  t.ok(files.length >= 18, `${files.length} suites`);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    await loadSuite(join(dir, f), { lookupHost: noDns });
    t.same(schemaErrors(schema, parse(text)), [], `${f} conforms`);
    const header = text.split('\n').filter((l) => l.startsWith('#')).join('\n');
    t.match(header, /nginx promises|nginx-tests/, `${f}: the header says what nginx promises`);
    t.match(header, /nginx\.org|NGINX-UPSTREAM\.md/, `${f}: and where it is written`);
  }
});
