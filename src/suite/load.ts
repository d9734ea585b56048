/**
 * The one entry to the suite format: a YAML file -> a frozen Suite, or a SuiteError that lists
 * every issue at once, each with file:line:col, the key path, what was expected and what was found.
 *
 *   parse (yaml parseDocument + LineCounter) -> shape (unknown keys rejected; backends:
 *   by the backends format's own reader) -> normalize (defaults.ts, durations in ms) -> load each
 *   nginx configuration (check-config.ts) -> cross-field rules (rules.ts, state.ts) -> freeze.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, type Node } from 'yaml';
import { LbtestError } from '../core/errors.js';
import type { BackendSpec } from '../backends/behaviour.js';
import { atValue, readSeq, readString, subFields, type Field } from '../backends/spec/fields.js';
import { PACKAGE_PROFILE_DIR, readBackendsOf } from '../backends/spec/load.js';
import { formatIssue, Issues, parseSource, type Issue, type Source } from '../backends/spec/source.js';
import type { LoadOptions as ConfigLoadOptions } from '../config/load.js';
import { readActions } from './actions.js';
import { readBalancer, type BalancerDraft } from './balancer.js';
import { checkBalancer, standInAddresses } from './check-config.js';
import { originOf, ReadContext } from './context.js';
import { SUITE_DEFAULTS } from './defaults.js';
import { readExpect } from './expect.js';
import { PHASE_KEYS, SUITE_KEYS, TARGET_NOTE_KEYS } from './keys.js';
import { TARGET_NAMES, type BalancerConfig, type Phase, type Suite, type TargetName, type TargetNote, type TargetNotes } from './model.js';
import * as rules from './rules.js';
import { walkPhases } from './state.js';
import { readTraffic } from './traffic.js';
import { fieldsOf, scalarOf } from './values.js';

export interface SuiteLoadOptions {
  /** Searched for `profile:` before the package's own backends/profiles. */
  readonly profileDirs?: readonly string[];
  /** Host-name lookup for the configurations (config/load.ts); the system resolver by default. */
  readonly lookupHost?: ConfigLoadOptions['lookupHost'];
}

export class SuiteError extends LbtestError {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[]) {
    const first = issues[0]!;
    super(first.code, issues.map(formatIssue).join('\n'), { location: first.location });
    this.name = 'SuiteError';
    this.issues = issues;
  }
}

export async function loadSuite(file: string, opts: SuiteLoadOptions = {}): Promise<Suite> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LbtestError('SUITE_SYNTAX', `cannot read ${file}: ${(err as Error).message}`, { location: { file, line: 1 }, cause: err });
  }
  return parseSuiteText(text, file, opts);
}

export async function parseSuiteText(text: string, file: string, opts: SuiteLoadOptions = {}): Promise<Suite> {
  const issues = new Issues();
  const src = parseSource(text, file, issues);
  if (!issues.ok) throw new SuiteError(issues.list);
  const root = src.doc.contents as Node | null;
  if (!isMap(root)) throw new SuiteError([{ code: 'SUITE_SHAPE', path: '', message: 'expected a suite: a map with name, backends, balancer and phases', location: { file, line: 1, col: 1 } }]);
  const top = fieldsOf(root, { src, node: root, path: '' }, issues);
  top.rejectUnknown(SUITE_KEYS, issues, 'a suite');
  const profileDirs = [...(opts.profileDirs ?? []), PACKAGE_PROFILE_DIR];
  const backends = readBackendsOf(src, issues, { profileDirs });
  const ctx = new ReadContext(issues, declaredBackends(top.get('backends')), profileDirs);

  const name = required(top.get('name'), 'name', src, issues, (f) => readString(issues, f));
  const description = top.get('description') === undefined ? SUITE_DEFAULTS.description : readString(issues, top.get('description')!) ?? '';
  const drafts = readConfigs(top.get('balancer'), top.get('configs'), issues);
  const targets = readTargets(top.get('targets'), issues);
  const phases = readPhases(top.get('phases'), src, ctx);

  const named = ctx.backendNames.map((n) => ({ name: n, port: backends.find((b) => b.name === n)?.port ?? 0 }));
  const { configs, warnings } = await checkConfigs(drafts, named, text, src, issues, opts);
  return finish({ src, name: name ?? '', description, backends, drafts, configs, warnings, targets, phases, ctx });
}

function required<T>(f: Field | undefined, key: string, src: Source, issues: Issues, read: (f: Field) => T | undefined): T | undefined {
  if (f !== undefined) return read(f);
  issues.add('SUITE_SHAPE', { src, node: src.doc.contents as Node, path: key }, `a suite needs \`${key}:\``);
  return undefined;
}

/** Backend names as written, valid entries or not (so a reference to a broken one is not "unknown"). */
function declaredBackends(f: Field | undefined): string[] {
  return f !== undefined && isMap(f.value) ? f.value.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')) : [];
}

function readConfigs(balancer: Field | undefined, configs: Field | undefined, issues: Issues): Map<string, BalancerDraft | undefined> {
  const out = new Map<string, BalancerDraft | undefined>();
  if (balancer !== undefined) out.set('balancer', readBalancer(balancer, 'balancer', issues));
  if (configs === undefined) return out;
  const m = subFields(issues, configs);
  for (const key of m.keys()) {
    if (key === 'balancer') { issues.add('SUITE_RULE', atValue(m.get(key)!), '"balancer" is the name of the first configuration; choose another'); continue; }
    out.set(key, readBalancer(m.get(key)!, key, issues));
  }
  return out;
}

function readTargets(f: Field | undefined, issues: Issues): TargetNotes {
  if (f === undefined) return {};
  const m = subFields(issues, f);
  m.rejectUnknown(TARGET_NAMES, issues, 'targets');
  const out: Partial<Record<TargetName, TargetNote>> = {};
  for (const key of m.keys()) {
    if (!(TARGET_NAMES as readonly string[]).includes(key)) continue;
    const n = subFields(issues, m.get(key)!);
    n.rejectUnknown(TARGET_NOTE_KEYS, issues, `target ${key}`);
    const skip = n.get('skip'), note = n.get('note');
    out[key as TargetName] = { skip: skip === undefined ? null : readString(issues, skip) ?? null, note: note === undefined ? null : readString(issues, note) ?? null };
  }
  return out;
}

function readPhases(f: Field | undefined, src: Source, ctx: ReadContext): rules.PhaseDraft[] {
  const { issues } = ctx;
  const items = required(f, 'phases', src, issues, (x) => readSeq(issues, x)) ?? [];
  if (f !== undefined && items.length === 0 && Array.isArray(scalarOf(f))) issues.add('SUITE_SHAPE', atValue(f), 'expected at least one phase');
  return items.map((item, index) => {
    const p = subFields(issues, item);
    p.rejectUnknown(PHASE_KEYS, issues, 'a phase');
    const nameField = p.get('name');
    const name = nameField === undefined ? `phase ${index + 1}` : readString(issues, nameField) ?? `phase ${index + 1}`;
    const actions = p.get('actions') === undefined ? [] : readActions(p.get('actions')!, ctx);
    const trafficGiven = p.get('traffic') !== undefined;
    const traffic = trafficGiven ? readTraffic(p.get('traffic')!, issues) ?? null : null;
    const read = p.get('expect') === undefined ? { expect: [], pending: [], since: [] } : readExpect(p.get('expect')!, traffic?.kind ?? null, ctx);
    const targets = readTargets(p.get('targets'), issues);
    return { ...originOf(item), index, name, actions, traffic, trafficGiven, read, targets };
  });
}

async function checkConfigs(drafts: Map<string, BalancerDraft | undefined>, backends: readonly { name: string; port: number }[], text: string, src: Source, issues: Issues, opts: SuiteLoadOptions): Promise<{ configs: Map<string, BalancerConfig>; warnings: string[] }> {
  const { addresses, byPort } = standInAddresses(backends);
  const warnings: string[] = [];
  const ctx = { suiteFile: src.file, suiteLines: text.split('\n'), addresses, byPort, warnings, ...(opts.lookupHost ? { lookupHost: opts.lookupHost } : {}) };
  const out = new Map<string, BalancerConfig>();
  for (const [name, draft] of drafts) {
    if (draft === undefined) continue;
    const config = await checkBalancer(draft, ctx, issues);
    if (config !== undefined) out.set(name, config);
  }
  return { configs: out, warnings };
}

interface Parts {
  readonly src: Source;
  readonly name: string;
  readonly description: string;
  readonly backends: readonly BackendSpec[];
  readonly drafts: ReadonlyMap<string, BalancerDraft | undefined>;
  readonly configs: Map<string, BalancerConfig>;
  readonly warnings: readonly string[];
  readonly targets: TargetNotes;
  readonly phases: readonly rules.PhaseDraft[];
  readonly ctx: ReadContext;
}

function finish(x: Parts): Suite {
  const { issues } = x.ctx;
  const root = { path: '', location: { file: x.src.file, line: 1, col: 1 } };
  rules.backendsAreKnown(x.ctx.backendRefs, x.ctx.backendNames, issues);
  rules.noBackendIsCalledListen(x.ctx.backendNames, root, issues);
  rules.phaseNamesAreUnique(x.phases, issues);
  rules.reloadsNameAConfig(x.phases, [...x.drafts.keys()].filter((n) => n !== 'balancer'), issues);
  const walk = walkPhases({
    gone: x.backends.filter((b) => b.behaviour.kind === 'dead').map((b) => b.name),
    kinds: new Map(x.backends.map((b) => [b.name, b.behaviour.kind])),
    config: x.drafts.has('balancer') ? 'balancer' : null,
  }, x.phases, issues);
  const input: rules.RuleInput = { ctx: x.ctx, phases: x.phases, configs: x.configs, walk };
  const phases: Phase[] = x.phases.map((p) => {
    rules.expectationsNeedTraffic(p, issues);
    rules.actionsFallWithinTraffic(p, issues);
    rules.exactNeedsSequentialTraffic(p, issues);
    rules.stickyKeysVary(p, issues);
    rules.recoveryNeedsARevival(p, issues);
    rules.forwardedNeedsClients(p, issues);
    const stated = rules.sinceNamesAnEarlierPhase(p, x.phases, x.ctx);
    const resolved = rules.resolvePending(p, walk.atStart[p.index]!, walk.kinds[p.index]!, input);
    return { path: p.path, location: p.location, index: p.index, name: p.name, actions: p.actions, traffic: p.traffic, expect: inFileOrder([...stated, ...resolved]), targets: p.targets, state: walk.atStart[p.index]! };
  });
  if (!issues.ok) throw new SuiteError(sorted(issues.list));
  const configs = new Map([...x.configs].filter(([n]) => n !== 'balancer'));
  return deepFreeze({
    file: x.src.file, name: x.name, description: x.description, backends: x.backends, balancer: x.configs.get('balancer') ?? null,
    configs, targets: x.targets, phases, warnings: x.warnings,
  });
}

function inFileOrder<T extends { readonly location: Issue['location'] }>(list: T[]): T[] {
  return list.sort((a, b) => a.location.line - b.location.line || (a.location.col ?? 0) - (b.location.col ?? 0));
}

/** In file order (then line, column): the order a person reads the suite in. */
function sorted(list: readonly Issue[]): Issue[] {
  return [...list].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || (a.location.col ?? 0) - (b.location.col ?? 0));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

