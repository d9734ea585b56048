/**
 * Broken suites, one kind each: every one gives a located issue (file:line:col, key path, code)
 * that says what was expected and what was found — and a suite with many problems gives them all.
 */
import t from 'tap';
import { parseSuiteText, SuiteError } from './load.js';

const FILE = '/suites/broken.yaml';
const noDns = async (): Promise<null> => null;

const GOOD = `name: good
backends:
  a: {}
  b: {}
balancer: |
  upstream app { server {{a}}; server {{b}}; }
  server { listen {{listen}}; location / { proxy_pass http://app; } }
phases:
  - name: one
    traffic: { requests: 10 }
    expect: { distribution: by-weight }
`;

interface Found { where: string; code: string; path: string; message: string }

async function problems(text: string): Promise<Found[]> {
  try {
    await parseSuiteText(text, FILE, { lookupHost: noDns });
  } catch (err) {
    if (!(err instanceof SuiteError)) throw err;
    return err.issues.map((i) => ({ where: `${i.location.line}:${i.location.col}`, code: i.code, path: i.path, message: i.message }));
  }
  return [];
}

/** Line:col of the first `needle` in text (col of its first character). */
function at(text: string, needle: string, offset = 0): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, i + offset);
  return `${before.split('\n').length}:${i + offset - before.lastIndexOf('\n')}`;
}

t.test('the good suite loads', async (t) => {
  t.same(await problems(GOOD), []);
});

const CASES: { name: string; text: string; where: (text: string) => string; code: string; path: string; message: RegExp }[] = [
  {
    name: 'unknown top-level key',
    text: GOOD.replace('phases:', 'phase: []\nphases:'),
    where: (x) => at(x, 'phase: []'), code: 'SUITE_SHAPE', path: 'phase', message: /unknown key "phase" for a suite; expected one of: name, description, backends/,
  },
  {
    name: 'unknown key in traffic',
    text: GOOD.replace('{ requests: 10 }', '{ reqests: 10, requests: 10 }'),
    where: (x) => at(x, 'reqests'), code: 'SUITE_SHAPE', path: 'phases[0].traffic.reqests', message: /unknown key "reqests" for traffic/,
  },
  {
    name: 'wrong type',
    text: GOOD.replace('{ requests: 10 }', '{ requests: many }'),
    where: (x) => at(x, 'many'), code: 'SUITE_SHAPE', path: 'phases[0].traffic.requests', message: /expected an integer from 1 to \d+, found "many"/,
  },
  {
    name: 'unknown backend in an expectation',
    text: GOOD.replace('{ distribution: by-weight }', '{ distribution: { a: 1, d: 1 } }'),
    where: (x) => at(x, 'd: 1', 3), code: 'SUITE_RULE', path: 'phases[0].expect.distribution.d', message: /unknown backend "d" in distribution; the suite's backends are a, b/,
  },
  {
    name: 'unknown backend in a list',
    text: GOOD.replace('{ distribution: by-weight }', '{ never: [a, x] }'),
    where: (x) => at(x, 'x]'), code: 'SUITE_RULE', path: 'phases[0].expect.never[1]', message: /unknown backend "x"/,
  },
  {
    name: 'bad duration (a bare number)',
    text: GOOD.replace('{ requests: 10 }', '{ duration: 3 }'),
    where: (x) => at(x, '3 }'), code: 'SUITE_SHAPE', path: 'phases[0].traffic.duration', message: /expected a duration with its unit, such as 50ms, 1.5s or 2m .*, found 3/,
  },
  {
    name: 'broken nginx configuration inside, at its own line',
    text: GOOD.replace('server { listen {{listen}};', 'server { liseten {{listen}};'),
    where: (x) => at(x, 'server { liseten'), code: 'SUITE_RULE', path: 'balancer', message: /^the nginx configuration does not load: unknown directive "liseten"$/,
  },
  {
    name: 'unknown placeholder',
    text: GOOD.replace('server {{b}};', 'server {{c}};'),
    where: (x) => at(x, '{{c}}'), code: 'SUITE_RULE', path: 'balancer', message: /unknown placeholder \{\{c\}\}; expected \{\{listen\}\} or a backend: \{\{a\}\}, \{\{b\}\}/,
  },
  {
    name: 'a backend entry, by the backends format',
    text: GOOD.replace('  b: {}', '  b: { kind: slow, delay: 50 }'),
    where: (x) => at(x, '50 }'), code: 'SUITE_SHAPE', path: 'backends.b.delay', message: /expected a duration with its unit/,
  },
  {
    name: 'switch to a broken behaviour',
    text: GOOD.replace('    traffic:', '    actions: [ { switch: a, to: { kind: status } } ]\n    traffic:'),
    where: (x) => at(x, '{ kind: status }'), code: 'SUITE_SHAPE', path: 'phases[0].actions[0].to', message: /a status backend needs `status:`/,
  },
  {
    name: 'YAML syntax',
    text: GOOD.replace('  b: {}', '  b: {'),
    where: () => '', code: 'SUITE_SYNTAX', path: '', message: /^YAML: /,
  },
  {
    name: 'traffic without a bound',
    text: GOOD.replace('{ requests: 10 }', '{ connections: 4 }'),
    where: (x) => at(x, '{ connections'), code: 'SUITE_SHAPE', path: 'phases[0].traffic', message: /traffic needs a bound: `requests:`, `duration:`, or both/,
  },
  {
    name: 'by-weight with two upstreams and none named',
    text: GOOD.replace('  upstream app {', '  upstream other { server {{a}}; }\n  upstream app {'),
    where: (x) => at(x, 'by-weight'), code: 'SUITE_RULE', path: 'phases[0].expect.distribution', message: /no single upstream to read; name one with `upstream:` in balancer/,
  },
  {
    name: 'an upstream named that is not there',
    text: GOOD.replace('balancer: |', 'balancer:\n  upstream: ap\n  text: |').replace(/^ {2}(upstream app|server \{ listen)/gm, '    $1'),
    where: (x) => at(x, 'ap\n'), code: 'SUITE_RULE', path: 'balancer.upstream', message: /expected an upstream of the configuration \(app\), found "ap"/,
  },
  {
    name: 'ejection of a killed backend',
    text: GOOD.replace('    traffic:', '    actions: [ { kill: a } ]\n    traffic:').replace('{ distribution: by-weight }', '{ ejection: a }'),
    where: (x) => at(x, 'ejection: a', 10), code: 'SUITE_RULE', path: 'phases[0].expect.ejection', message: /a dead backend records nothing/,
  },
  {
    name: 'revive a backend that is alive',
    text: GOOD.replace('    traffic:', '    actions: [ { revive: b } ]\n    traffic:'),
    where: (x) => at(x, '{ revive'), code: 'SUITE_RULE', path: 'phases[0].actions[0]', message: /revive b: b is not dead at this point/,
  },
  {
    name: 'reload a configuration that is not declared',
    text: GOOD.replace('    traffic:', '    actions: [ { reload: two } ]\n    traffic:'),
    where: (x) => at(x, '{ reload'), code: 'SUITE_RULE', path: 'phases[0].actions[0]', message: /reload two: expected a configuration under `configs:` \(there is none\)/,
  },
  {
    name: 'a sequence under concurrency',
    text: GOOD.replace('{ requests: 10 }', '{ requests: 10, connections: 4 }').replace('{ distribution: by-weight }', '{ sequence: a b }'),
    where: (x) => at(x, 'a b }'), code: 'SUITE_RULE', path: 'phases[0].expect.sequence', message: /a sequence holds for sequential traffic only; this phase's traffic is concurrent/,
  },
  {
    name: 'sticky by client with one client',
    text: GOOD.replace('{ distribution: by-weight }', '{ sticky: client }'),
    where: (x) => at(x, 'client }'), code: 'SUITE_RULE', path: 'phases[0].expect.sticky', message: /the traffic has one client \(give it `clients: N`\)/,
  },
  {
    name: 'autocannon cannot bind client addresses',
    text: GOOD.replace('{ requests: 10 }', '{ requests: 10, connections: 4, generator: autocannon, clients: 20 }'),
    where: (x) => at(x, 'clients:'), code: 'SUITE_RULE', path: 'phases[0].traffic.clients', message: /autocannon cannot bind client source addresses/,
  },
  {
    name: 'an action past the time bound',
    text: GOOD.replace('    traffic: { requests: 10 }', '    actions: [ { kill: b, at: 5s } ]\n    traffic: { requests: 10, duration: 2s }').replace('distribution: by-weight', 'errors: 0'),
    where: (x) => at(x, '{ kill'), code: 'SUITE_RULE', path: 'phases[0].actions[0]', message: /`at: 5000ms` is past the phase's time bound \(2000ms\)/,
  },
  {
    name: 'moved since a phase that does not come earlier',
    text: GOOD.replace('{ requests: 10 }', '{ requests: 10, paths: 5 }').replace('{ distribution: by-weight }', '{ sticky: { by: path, since: later, moved: "<= 0.5" } }'),
    where: (x) => at(x, 'later'), code: 'SUITE_RULE', path: 'phases[0].expect.sticky.since', message: /expected the name of an earlier phase \(there is none\), found "later"/,
  },
  {
    name: 'a folded balancer block',
    text: GOOD.replace('balancer: |', 'balancer: >'),
    where: (x) => at(x, '>'), code: 'SUITE_SHAPE', path: 'balancer', message: /expected a literal block \(`\|`\), found a folded one/,
  },
  {
    name: 'exact by-weight counts under a hash',
    text: GOOD.replace('upstream app {', 'upstream app { hash $request_uri;'),
    where: (x) => at(x, 'by-weight'), code: 'SUITE_RULE', path: 'phases[0].expect.distribution', message: /exact counts by weight hold for round robin only; upstream app balances by hash: use check: tolerance/,
  },
  {
    name: 'ejection where max_fails=0',
    text: GOOD.replace('server {{a}};', 'server {{a}} max_fails=0;').replace('    traffic:', '    actions: [ { switch: a, to: reset } ]\n    traffic:').replace('{ distribution: by-weight }', '{ ejection: a }'),
    where: (x) => at(x, 'ejection: a', 10), code: 'SUITE_RULE', path: 'phases[0].expect.ejection', message: /max_fails=0, which turns failure accounting off/,
  },
  {
    name: 'a share out of range',
    text: GOOD.replace('{ distribution: by-weight }', '{ share: { a: ">= 1.5" } }'),
    where: (x) => at(x, '">= 1.5"'), code: 'SUITE_SHAPE', path: 'phases[0].expect.share.a', message: /expected a share such as ">= 0.99", "<= 30%" or 0, found ">= 1.5"/,
  },
  {
    name: 'a latency without its unit',
    text: GOOD.replace('{ distribution: by-weight }', '{ latency: { p99: "< 50" } }'),
    where: (x) => at(x, '"< 50"'), code: 'SUITE_SHAPE', path: 'phases[0].expect.latency.p99', message: /expected a latency bound with its unit/,
  },
];

for (const c of CASES) {
  t.test(c.name, async (t) => {
    const found = await problems(c.text);
    t.equal(found.length, 1, found.map((f) => `${f.where} ${f.path}: ${f.message}`).join('\n'));
    const f = found[0]!;
    t.equal(f.code, c.code);
    t.equal(f.path, c.path);
    if (c.code !== 'SUITE_SYNTAX') t.equal(f.where, c.where(c.text), 'line:col');
    t.match(f.message, c.message);
  });
}

t.test('every problem at once, in the order of the file, each in one line of the message', async (t) => {
  const text = GOOD
    .replace('name: good', 'name: good\ncolour: blue')
    .replace('server {{b}};', 'server {{b}} weight=0;')
    .replace('{ requests: 10 }', '{ requests: -1 }')
    .replace('{ distribution: by-weight }', '{ never: [z], latency: { p100x: "< 1ms" } }');
  const err = await parseSuiteText(text, FILE, { lookupHost: noDns }).catch((e: unknown) => e);
  t.ok(err instanceof SuiteError);
  const issues = (err as SuiteError).issues;
  t.same(issues.map((i) => i.path), ['colour', 'balancer', 'phases[0].traffic.requests', 'phases[0].expect.never[0]', 'phases[0].expect.latency.p100x']);
  t.match(issues[1]!.message, /invalid parameter "weight=0"/);
  const lines = (err as SuiteError).message.split('\n');
  t.equal(lines.length, 5);
  t.match(lines[0]!, /^\/suites\/broken\.yaml:2:1: colour: unknown key "colour"/);
});

t.test('not a map at all', async (t) => {
  const found = await problems('- just a list\n');
  t.same(found.map((f) => [f.where, f.code]), [['1:1', 'SUITE_SHAPE']]);
});

t.test('name and phases are required', async (t) => {
  const found = await problems('backends: { a: {} }\n');
  t.same(found.map((f) => f.path), ['name', 'phases']);
});
