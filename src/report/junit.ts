/**
 * JUnit XML in the common Jenkins/Ant shape, so that CI shows each verdict as a test:
 * <testsuites> holds one <testsuite> per run (a suite against a target) and, when a baseline was
 * compared, one for the comparison; each verdict is a <testcase> whose <failure> says expected vs
 * observed. A phase that was skipped is a skipped testcase; a run that could not finish, or was
 * interrupted, gets an <error> testcase. classname (`weighted.bundled`) and name
 * (`phase 1 "steady": distribution`) stay the same from run to run, so CI can track history.
 * Pure: (RunReport[], Comparison[]) -> string. The test validates it against
 * src/report/fixtures/junit.xsd.
 */
import type { RunReport, VerdictRow } from '../runner/report-model.js';
import type { Comparison } from './baseline.js';
import { comparisonLine } from './baseline.js';
import { cut, runId, suiteFileName, verdictNumbers } from './format.js';

/** XML 1.0 allows tab, newline, carriage return and no other C0 control characters. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;

export function xmlEscape(s: string): string {
  return s.replace(INVALID_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** In an attribute a newline would be normalized to a space by any reader: write it as a reference. */
const attr = (s: string): string => xmlEscape(s).replace(/\n/g, '&#10;');

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly kind: 'pass' | 'failure' | 'error' | 'skipped';
  readonly message?: string;
  readonly type?: string;
  readonly body?: string;
  readonly out?: string;
}

function caseXml(c: Case): string {
  const head = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="0"`;
  const inner: string[] = [];
  if (c.kind === 'skipped') inner.push(`      <skipped message="${attr(c.message ?? '')}"/>`);
  if (c.kind === 'failure' || c.kind === 'error') {
    inner.push(`      <${c.kind} message="${attr(c.message ?? '')}" type="${attr(c.type ?? c.kind)}">${xmlEscape(c.body ?? '')}</${c.kind}>`);
  }
  if (c.out !== undefined && c.out !== '') inner.push(`      <system-out>${xmlEscape(c.out)}</system-out>`);
  return inner.length === 0 ? `${head}/>` : `${head}>\n${inner.join('\n')}\n    </testcase>`;
}

function verdictCase(classname: string, phase: string, v: VerdictRow): Case {
  const numbers = verdictNumbers(v);
  const base = { classname, name: `${phase}: ${v.name}`, out: numbers === '' ? '' : `${numbers}\n` };
  if (v.passed) return { ...base, kind: 'pass' };
  return {
    ...base, kind: 'failure', type: 'verdict',
    message: `expected ${cut(v.expected, 300)}; observed ${cut(v.observed, 300)}`,
    body: `expected: ${v.expected}\nobserved: ${v.observed}\n${v.explanation}\nat ${v.at} (${v.path})\n${v.warnings.map((w) => `note: ${w}\n`).join('')}`,
  };
}

function runCases(r: RunReport): Case[] {
  const classname = runId(r);
  const cases: Case[] = [];
  if (r.outcome === 'skipped') cases.push({ classname, name: 'run', kind: 'skipped', message: r.error ?? 'skipped' });
  for (const p of r.phases) {
    const phase = `phase ${p.index + 1} "${p.name}"`;
    if (p.skipped !== null) { cases.push({ classname, name: phase, kind: 'skipped', message: p.skipped }); continue; }
    for (const v of p.verdicts) cases.push(verdictCase(classname, phase, v));
  }
  if (r.outcome === 'error') cases.push({ classname, name: 'run', kind: 'error', type: 'harness', message: cut((r.error ?? 'error').split('\n')[0]!, 300), body: r.error ?? '' });
  if (r.outcome === 'interrupted') cases.push({ classname, name: 'run', kind: 'error', type: 'interrupted', message: 'interrupted before every phase finished', body: r.error ?? '' });
  return cases;
}

function suiteXml(name: string, attrs: { time: number; timestamp: string | null }, props: readonly (readonly [string, string])[], cases: readonly Case[]): string {
  const count = (k: Case['kind']): number => cases.filter((c) => c.kind === k).length;
  const stamp = attrs.timestamp === null ? '' : ` timestamp="${attrs.timestamp}"`;
  const lines = [`  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${attrs.time.toFixed(3)}"${stamp}>`];
  if (props.length > 0) {
    lines.push('    <properties>');
    for (const [k, v] of props) lines.push(`      <property name="${attr(k)}" value="${attr(v)}"/>`);
    lines.push('    </properties>');
  }
  for (const c of cases) lines.push(caseXml(c));
  lines.push('  </testsuite>');
  return lines.join('\n');
}

/** xs:dateTime without a zone, as Ant writes it: `2026-11-24T03:06:14`. */
const timestamp = (iso: string): string => iso.replace(/\.\d+Z$|Z$/, '');

function comparisonCases(c: Comparison): Case[] {
  return c.rows.map((row) => ({
    classname: `${c.id}.baseline`, name: `${row.phase}: ${row.metric}`,
    kind: row.regressed ? 'failure' : 'pass', type: 'regression',
    message: comparisonLine(row, c.threshold), body: `${comparisonLine(row, c.threshold)}\nbaseline: ${c.baselineFile}\n`,
  }));
}

export function renderJunit(reports: readonly RunReport[], comparisons: readonly Comparison[] = []): string {
  const suites = reports.map((r) => suiteXml(`${suiteFileName(r)} [${r.target.kind}]`, { time: r.durationMs / 1000, timestamp: timestamp(r.startedAt) }, [
    ['suite', r.suite.name], ['file', r.suite.file], ['target', r.target.kind], ['url', r.target.url ?? ''],
    ['outcome', r.outcome], ['lbtest', r.tool.version],
  ], runCases(r)));
  for (const c of comparisons) {
    suites.push(suiteXml(`${c.id} baseline`, { time: 0, timestamp: null }, [['baseline', c.baselineFile], ['threshold', `${Math.round(c.threshold * 100)}%`]], comparisonCases(c)));
  }
  const all = [...reports.flatMap(runCases), ...comparisons.flatMap(comparisonCases)];
  const count = (k: Case['kind']): number => all.filter((c) => c.kind === k).length;
  const time = reports.reduce((a, r) => a + r.durationMs, 0) / 1000;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="lbtest" tests="${all.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="${time.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
