/**
 * JUnit XML: snapshots on every fixture (times and ports scrubbed); every document valid against
 * the common Jenkins/Ant shape (fixtures/junit.xsd, checked by libxml2 through xmllint-wasm),
 * which itself rejects what a CI server would refuse; counts that add up; failures that say
 * expected vs observed; names stable; text a reader cannot misparse.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { repoPath } from '../testing/fixtures.js';
import type { RunReport } from '../runner/report-model.js';
import { compareRuns } from './baseline.js';
import { ALL, DIED, FAILOVER, PHASE_SKIPPED, SKIPPED_RUN, WEIGHTED, scrub } from './fixtures/index.js';
import { renderJunit, xmlEscape } from './junit.js';

t.cleanSnapshot = scrub;
const XSD = readFileSync(repoPath('src/report/fixtures/junit.xsd'), 'utf8');

async function xsdErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

const attrOf = (xml: string, el: string, name: string): number[] =>
  [...xml.matchAll(new RegExp(`<${el} [^>]*?\\b${name}="(\\d+)"`, 'g'))].map((m) => Number(m[1]));

for (const [name, report] of Object.entries(ALL)) {
  t.test(`${name}: a valid document, counts that add up, as before`, async (t) => {
    const xml = renderJunit([report]);
    t.same(await xsdErrors(xml), [], 'valid against junit.xsd');
    const cases = (xml.match(/<testcase /g) ?? []).length;
    t.same(attrOf(xml, 'testsuites', 'tests'), [cases]);
    t.same(attrOf(xml, 'testsuites', 'failures'), [(xml.match(/<failure /g) ?? []).length]);
    t.same(attrOf(xml, 'testsuites', 'errors'), [(xml.match(/<error /g) ?? []).length]);
    t.same(attrOf(xml, 'testsuites', 'skipped'), [(xml.match(/<skipped /g) ?? []).length]);
    t.matchSnapshot(xml);
  });
}

t.test('one testsuite per run, one testcase per verdict, a failure saying expected vs observed', async (t) => {
  const xml = renderJunit([WEIGHTED, FAILOVER]);
  t.same(await xsdErrors(xml), []);
  t.equal((xml.match(/<testsuite /g) ?? []).length, 2);
  const verdicts = (r: RunReport): number => r.phases.reduce((a, p) => a + p.verdicts.length, 0);
  t.equal((xml.match(/<testcase /g) ?? []).length, verdicts(WEIGHTED) + verdicts(FAILOVER));
  t.match(xml, /<testsuite name="weighted\.yaml \[bundled\]" tests="20" failures="0" errors="0" skipped="0"/);
  t.match(xml, /<testcase classname="failover\.bundled" name="phase 2 &quot;both die&quot;: p99 latency" time="0">\n {6}<failure message="expected &lt; 1ms; observed 2\.58ms" type="verdict">/);
  t.match(xml, /at \/srv\/lbtest\/suites\/failover\.yaml:29:18 \(phases\[1\]\.expect\.latency\.p99\)/);
  t.match(xml, /<system-out>latencyUs=2582 limitUs=1000 responses=3717\n<\/system-out>/, 'the numbers of the verdict');
});

t.test('a run that could not finish is an error; a skipped run or phase is skipped', async (t) => {
  t.match(renderJunit([DIED]), /<testcase classname="failover\.bundled" name="run" time="0">\n {6}<error message="the bundled target died \(SIGKILL\) during phase &quot;both die&quot;" type="harness">/);
  t.match(renderJunit([SKIPPED_RUN]), /<testcase classname="weighted\.url" name="run" time="0">\n {6}<skipped message="the backends would need fixed ports"\/>/);
  t.match(renderJunit([PHASE_SKIPPED]), /name="phase 2 &quot;both die&quot;" time="0">\n {6}<skipped message="nginx: the backup/);
});

t.test('a baseline comparison is a testsuite of its own, a regression a failure', async (t) => {
  const faster: RunReport = { ...FAILOVER, phases: FAILOVER.phases.map((p) => ({ ...p, ratePerSec: p.ratePerSec * 2 })) };
  const xml = renderJunit([FAILOVER], [compareRuns(FAILOVER, faster, 0.1, 'base.json')]);
  t.same(await xsdErrors(xml), []);
  t.match(xml, /<testsuite name="failover\.bundled baseline" tests="6" failures="2" errors="0" skipped="0" time="0\.000">/);
  t.match(xml, /<testcase classname="failover\.bundled\.baseline" name="phase 1 &quot;a dies and comes back&quot;: req\/s" time="0">\n {6}<failure message="phase 1 &quot;a dies and comes back&quot; req\/s: 3129\/s -&gt; 1564\/s \(−50\.0% worse; threshold 10%\)" type="regression">/);
});

t.test('text that XML cannot hold is replaced; markup is escaped; newlines survive in attributes', async (t) => {
  t.equal(xmlEscape('a < b && "c" > d'), 'a &lt; b &amp;&amp; &quot;c&quot; &gt; d');
  t.equal(xmlEscape('bell\x07 nul\x00 tab\t'), 'bell\ufffd nul\ufffd tab\t');
  const v = FAILOVER.phases[1]!.verdicts[1]!;
  const odd: RunReport = { ...FAILOVER, phases: [{ ...FAILOVER.phases[1]!, verdicts: [{ ...v, name: 'a <b> & "c"\x01', expected: 'two\nlines' }] }] };
  const xml = renderJunit([odd]);
  t.same(await xsdErrors(xml), []);
  t.match(xml, /name="phase 2 &quot;both die&quot;: a &lt;b&gt; &amp; &quot;c&quot;\ufffd"/);
  t.match(xml, /message="expected two&#10;lines; observed/);
});

t.test('the schema is a real check: it refuses documents a CI server would refuse', async (t) => {
  const good = renderJunit([FAILOVER]);
  const broken: Record<string, string> = {
    'a testcase without a name': good.replace(/ name="phase 1 &quot;a dies and comes back&quot;: never backup"/, ''),
    'two outcomes in one testcase': good.replace('</failure>', '</failure>\n      <error message="x"/>'),
    'a count that is not a number': good.replace('tests="6"', 'tests="six"'),
    'an unknown element': good.replace('<properties>', '<props/><properties>'),
    'a time zone in the timestamp': good.replace(/timestamp="([^"]+)"/, 'timestamp="$1Z"'),
  };
  for (const [what, xml] of Object.entries(broken)) {
    t.not((await xsdErrors(xml)).length, 0, what);
  }
});
