/**
 * Reading a saved report for `lbtest report` and `--baseline`: JSON, then the shape the
 * reporters rely on (the version, every required field with its type), all problems at once,
 * each with its key path. Unknown keys are let through: a later lbtest may add fields within
 * version 1 (see report-model.ts), and an earlier one still renders the rest. Reads files; the
 * checks themselves are pure.
 */
import { readFileSync } from 'node:fs';
import { REPORT_VERSION, type RunReport } from '../runner/report-model.js';

export type Loaded = { readonly report: RunReport; readonly problems?: undefined } | { readonly report?: undefined; readonly problems: readonly string[] };

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string|null' | 'number|null';

const TOP: Readonly<Record<string, Kind>> = {
  tool: 'object', suite: 'object', target: 'object', config: 'string|null', startedAt: 'string', durationMs: 'number',
  outcome: 'string', error: 'string|null', phases: 'array', warnings: 'array',
};
const PHASE: Readonly<Record<string, Kind>> = {
  index: 'number', name: 'string', skipped: 'string|null', requests: 'number', responses: 'number', errors: 'object',
  statuses: 'object', durationMs: 'number', ratePerSec: 'number', latency: 'object', backends: 'array', timeline: 'object',
  events: 'array', verdicts: 'array', notes: 'array',
};
const BACKEND: Readonly<Record<string, Kind>> = {
  name: 'string', received: 'number', answered: 'number', share: 'number', expectedShare: 'number|null',
  peakConcurrency: 'number', p50Us: 'number|null', p99Us: 'number|null',
};
const VERDICT: Readonly<Record<string, Kind>> = {
  name: 'string', passed: 'boolean', expected: 'string', observed: 'string', explanation: 'string', numbers: 'object',
  warnings: 'array', at: 'string', path: 'string',
};
const OUTCOMES = new Set(['passed', 'failed', 'skipped', 'interrupted', 'error']);

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function fields(o: unknown, shape: Readonly<Record<string, Kind>>, at: string, out: string[]): o is Record<string, unknown> {
  if (kindOf(o) !== 'object') { out.push(`${at || '(top)'}: expected an object, found ${kindOf(o)}`); return false; }
  const rec = o as Record<string, unknown>;
  for (const [key, kind] of Object.entries(shape)) {
    const path = at === '' ? key : `${at}.${key}`;
    if (!(key in rec)) { out.push(`${path}: missing`); continue; }
    const found = kindOf(rec[key]);
    if (!kind.split('|').includes(found)) out.push(`${path}: expected ${kind.replace('|', ' or ')}, found ${found}`);
  }
  return true;
}

/** Problems with a parsed report's shape; [] when the reporters can render it. */
export function reportProblems(v: unknown): string[] {
  const out: string[] = [];
  if (kindOf(v) !== 'object') return [`expected a report (a JSON object), found ${kindOf(v)}`];
  const r = v as Record<string, unknown>;
  if (r['version'] !== REPORT_VERSION) {
    const found = JSON.stringify(r['version']);
    return [typeof r['version'] === 'number' && r['version'] > REPORT_VERSION
      ? `report version ${found} was written by a later lbtest; this one reads version ${REPORT_VERSION}`
      : `version: expected ${REPORT_VERSION}, found ${found ?? 'nothing'} (is this an lbtest run report?)`];
  }
  if (!fields(r, TOP, '', out)) return out;
  if (typeof r['outcome'] === 'string' && !OUTCOMES.has(r['outcome'])) out.push(`outcome: expected one of ${[...OUTCOMES].join(', ')}, found ${JSON.stringify(r['outcome'])}`);
  fields(r['suite'], { name: 'string', file: 'string', description: 'string' }, 'suite', out);
  fields(r['target'], { kind: 'string', url: 'string|null' }, 'target', out);
  fields(r['tool'], { name: 'string', version: 'string' }, 'tool', out);
  (Array.isArray(r['phases']) ? r['phases'] : []).forEach((p: unknown, i: number) => {
    const at = `phases[${i}]`;
    if (!fields(p, PHASE, at, out)) return;
    fields(p['latency'], { p50Us: 'number|null', p90Us: 'number|null', p99Us: 'number|null', maxUs: 'number|null' }, `${at}.latency`, out);
    fields(p['timeline'], { intervalMs: 'number', series: 'object' }, `${at}.timeline`, out);
    (Array.isArray(p['backends']) ? p['backends'] : []).forEach((b: unknown, j: number) => fields(b, BACKEND, `${at}.backends[${j}]`, out));
    (Array.isArray(p['verdicts']) ? p['verdicts'] : []).forEach((x: unknown, j: number) => fields(x, VERDICT, `${at}.verdicts[${j}]`, out));
    (Array.isArray(p['events']) ? p['events'] : []).forEach((x: unknown, j: number) => fields(x, { action: 'string', backend: 'string|null', atMs: 'number' }, `${at}.events[${j}]`, out));
  });
  return out;
}

export function parseReport(text: string): Loaded {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { problems: [`not JSON: ${(e as Error).message}`] };
  }
  const problems = reportProblems(v);
  return problems.length > 0 ? { problems } : { report: v as RunReport };
}

/** A report file; problems name the file. */
export function loadReport(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { problems: [`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`] };
  }
  const loaded = parseReport(text);
  return loaded.problems === undefined ? loaded : { problems: loaded.problems.map((p) => `${file}: ${p}`) };
}
