/**
 * Cross-field rules of a suite, each a small named function that records issues; run once every
 * section has been read and every configuration loaded. Also resolves what needed the
 * configuration: by-weight shares and ejection defaults (expect.ts `Pending`).
 */
import type { Issues } from '../backends/spec/source.js';
import { atValue } from '../backends/spec/fields.js';
import type { TrafficSpec } from '../traffic/spec.js';
import { issueAt, type BackendRef, type ReadContext } from './context.js';
import type { Pending, ReadExpect } from './expect.js';
import { LISTEN } from './template.js';
import type { Action, BalancerConfig, Expectation, Origin, PhaseState, TargetNotes } from './model.js';
import { changesMidPhase, FAILING_KINDS, type Walk } from './state.js';
import type { BehaviourKind } from '../backends/behaviour.js';

export interface PhaseDraft extends Origin {
  readonly index: number;
  readonly name: string;
  readonly actions: readonly Action[];
  readonly traffic: TrafficSpec | null;
  /** false when the phase has no `traffic:` at all (not when it has a broken one). */
  readonly trafficGiven: boolean;
  readonly read: ReadExpect;
  readonly targets: TargetNotes;
}

export interface RuleInput {
  readonly ctx: ReadContext;
  readonly phases: readonly PhaseDraft[];
  readonly configs: ReadonlyMap<string, BalancerConfig>;   // `balancer` included, by name
  readonly walk: Walk;
}

export function backendsAreKnown(refs: readonly BackendRef[], names: readonly string[], issues: Issues): void {
  for (const r of refs) {
    if (!names.includes(r.name)) issueAt(issues, 'SUITE_RULE', r, `unknown backend "${r.name}" in ${r.what}; the suite's backends are ${names.join(', ') || 'none'}`);
  }
}

export function noBackendIsCalledListen(names: readonly string[], origin: Origin, issues: Issues): void {
  if (names.includes(LISTEN)) issueAt(issues, 'SUITE_RULE', origin, 'a backend cannot be called "listen": {{listen}} is the balancer\'s address');
}

export function phaseNamesAreUnique(phases: readonly PhaseDraft[], issues: Issues): void {
  const seen = new Map<string, number>();
  for (const p of phases) {
    const first = seen.get(p.name);
    if (first !== undefined) issueAt(issues, 'SUITE_RULE', p, `phase name "${p.name}" is already phases[${first}]'s`);
    else seen.set(p.name, p.index);
  }
}

/** `declared`: the names under `configs:`, whether or not each loaded. */
export function reloadsNameAConfig(phases: readonly PhaseDraft[], declared: readonly string[], issues: Issues): void {
  for (const p of phases) {
    for (const a of p.actions) {
      if (a.kind === 'reload' && !declared.includes(a.config)) {
        issueAt(issues, 'SUITE_RULE', a, `reload ${a.config}: expected a configuration under \`configs:\` (${declared.join(', ') || 'there is none'})`);
      }
    }
  }
}

export function expectationsNeedTraffic(p: PhaseDraft, issues: Issues): void {
  if (p.trafficGiven) return;
  const first = p.read.expect[0] ?? p.read.pending[0];
  if (first !== undefined) issueAt(issues, 'SUITE_RULE', first, 'an expectation needs traffic to observe: give this phase `traffic:`');
}

export function actionsFallWithinTraffic(p: PhaseDraft, issues: Issues): void {
  const boundMs = p.traffic?.bounds.maxDurationMs ?? 0;
  if (p.trafficGiven && p.traffic === null) return;
  for (const a of p.actions) {
    if (a.atMs > 0 && a.atMs >= boundMs) {
      issueAt(issues, 'SUITE_RULE', a, p.traffic === null
        ? `\`at: ${a.atMs}ms\` needs traffic running: a phase without traffic acts at its start only`
        : `\`at: ${a.atMs}ms\` is past the phase's time bound (${boundMs}ms): give the traffic a longer \`duration:\``);
    }
  }
}

/** Exact counts and sequences hold for one request at a time only (research §7). */
export function exactNeedsSequentialTraffic(p: PhaseDraft, issues: Issues): void {
  if (p.traffic === null || p.traffic.kind === 'sequential') return;
  for (const e of p.read.expect) {
    if (e.kind === 'sequence') issueAt(issues, 'SUITE_RULE', e, `a sequence holds for sequential traffic only; this phase's traffic is ${p.traffic.kind}`);
    if (e.kind === 'distribution' && e.check.kind === 'exact') issueAt(issues, 'SUITE_RULE', e, `check: exact holds for sequential traffic only; this phase's traffic is ${p.traffic.kind} (use check: tolerance)`);
  }
  for (const e of p.read.pending) {
    if (e.kind === 'by-weight' && e.check.kind === 'exact') issueAt(issues, 'SUITE_RULE', e, `check: exact holds for sequential traffic only; this phase's traffic is ${p.traffic.kind} (use check: tolerance)`);
  }
}

/** Stickiness needs several keys of the kind it is by, each sent more than once. */
export function stickyKeysVary(p: PhaseDraft, issues: Issues): void {
  const mix = p.traffic?.mix;
  if (mix === undefined) return;
  for (const e of p.read.expect) {
    if (e.kind !== 'sticky') continue;
    const s = mix.sources;
    const keys = e.by.kind === 'client' ? (s.kind === 'none' ? 1 : s.count)
      : e.by.kind === 'subnet' ? (s.kind === 'none' ? 1 : Math.ceil(s.count / s.perSubnet))
        : e.by.kind === 'path' ? mix.paths.length
          : mix.keys.kind === 'header' && mix.keys.name.toLowerCase() === e.by.name.toLowerCase() ? mix.keys.count : 0;
    const one = { client: 'client (give it `clients: N`)', subnet: '/24 (give it more `clients:` than `perSubnet:`)', path: 'path (give it `paths: N`)', header: '' }[e.by.kind];
    if (keys === 0) issueAt(issues, 'SUITE_RULE', e, `sticky by header ${e.by.kind === 'header' ? e.by.name : ''}: the traffic sends no such header; give it \`keys: { header: ${e.by.kind === 'header' ? e.by.name : 'NAME'}, count: N }\``);
    else if (keys < 2) issueAt(issues, 'SUITE_RULE', e, `sticky by ${e.by.kind}: the traffic has one ${one}, so nothing could move`);
    else if (p.traffic!.generator === 'autocannon' && (e.by.kind === 'client' || e.by.kind === 'subnet') && s.kind === 'bind') issueAt(issues, 'SUITE_RULE', e, `sticky by ${e.by.kind} needs the own generator: autocannon cannot bind client addresses`);
  }
}

/** `forwarded:` compares the backends' header with the client addresses the traffic sends. */
export function forwardedNeedsClients(p: PhaseDraft, issues: Issues): void {
  if (p.traffic === null || p.traffic.mix.sources.kind !== 'none') return;
  for (const e of p.read.expect) {
    if (e.kind === 'forwarded') issueAt(issues, 'SUITE_RULE', e, `forwarded: ${e.header} is compared with each request's client address; give the traffic \`clients: N\``);
  }
}

export function sinceNamesAnEarlierPhase(p: PhaseDraft, phases: readonly PhaseDraft[], ctx: ReadContext): Expectation[] {
  const expect = [...p.read.expect];
  for (const s of p.read.since) {
    const earlier = phases.find((q) => q.name === s.name);
    const e = expect[s.index]!;
    if (earlier === undefined || earlier.index >= p.index) {
      ctx.issues.add('SUITE_RULE', atValue(s.field), `expected the name of an earlier phase (${phases.slice(0, p.index).map((q) => q.name).join(', ') || 'there is none'}), found "${s.name}"`);
    } else if (earlier.traffic === null) {
      ctx.issues.add('SUITE_RULE', atValue(s.field), `phase "${s.name}" has no traffic to compare with`);
    } else if (e.kind === 'sticky' && e.moved !== null) {
      expect[s.index] = { ...e, moved: { ...e.moved, sincePhase: earlier.index } };
    }
  }
  return expect;
}

/** Turns by-weight and ejection drafts into expectations, with the configuration in effect. */
export function resolvePending(p: PhaseDraft, state: PhaseState, kinds: ReadonlyMap<string, BehaviourKind>, input: RuleInput): Expectation[] {
  const out: Expectation[] = [];
  const { issues } = input.ctx;
  const config = state.config === null ? undefined : input.configs.get(state.config);
  for (const d of p.read.pending) {
    const upstream = upstreamFor(d, config, state, issues);
    if (upstream === undefined) continue;
    if (d.kind === 'by-weight') {
      if (byWeightHoldsOnePhase(d, p, issues) && exactCountsNeedRoundRobin(d, upstream, issues)) out.push({ path: d.path, location: d.location, kind: 'distribution', check: d.check, shares: { kind: 'by-weight', upstream, gone: state.gone } });
      continue;
    }
    const line = upstream.servers.find((s) => s.backend === d.backend);
    if (line === undefined) { issueAt(issues, 'SUITE_RULE', d, `ejection of ${d.backend}: no server line of upstream ${upstream.name} names {{${d.backend}}}`); continue; }
    if (!ejectionSeesFailures(d, p, kinds, issues)) continue;
    const maxFails = d.maxFails ?? line.maxFails;
    if (maxFails === 0) { issueAt(issues, 'SUITE_RULE', d, `ejection of ${d.backend}: its server line says max_fails=0, which turns failure accounting off; nginx never skips it`); continue; }
    out.push({ path: d.path, location: d.location, kind: 'ejection', backend: d.backend, maxFails, failTimeoutMs: d.failTimeoutMs ?? line.failTimeoutMs });
  }
  return out;
}

function upstreamFor(d: Pending, config: BalancerConfig | undefined, state: PhaseState, issues: Issues): NonNullable<BalancerConfig['upstream']> | undefined {
  const what = d.kind === 'by-weight' ? 'by-weight' : `ejection of ${d.backend}`;
  if (state.config === null) { issueAt(issues, 'SUITE_RULE', d, `${what} reads the balancer's configuration; the suite has no \`balancer:\``); return undefined; }
  if (config === undefined) return undefined;   // it did not load: already an issue
  if (config.upstream === null) {
    issueAt(issues, 'SUITE_RULE', d, `${what}: configuration "${config.name}" has no single upstream to read; name one with \`upstream:\` in ${config.path}`);
    return undefined;
  }
  return config.upstream;
}

function byWeightHoldsOnePhase(d: Pending, p: PhaseDraft, issues: Issues): boolean {
  const change = changesMidPhase(p.actions);
  if (change === undefined) return true;
  issueAt(issues, 'SUITE_RULE', d, `by-weight compares a whole phase with one set of servers, but ${change.path} changes it at ${change.atMs}ms; give that change a phase of its own`);
  return false;
}

/** Only round robin promises exact counts; hashes and random pick by key or by chance. */
function exactCountsNeedRoundRobin(d: Extract<Pending, { kind: 'by-weight' }>, upstream: NonNullable<BalancerConfig['upstream']>, issues: Issues): boolean {
  if (d.check.kind !== 'exact' || upstream.method === 'round_robin') return true;
  issueAt(issues, 'SUITE_RULE', d, `exact counts by weight hold for round robin only; upstream ${upstream.name} balances by ${upstream.method.replace('_', ' ')}: use check: tolerance`);
  return false;
}

/** Ejection is counted from the requests that reached a failing backend, so they must be recorded. */
function ejectionSeesFailures(d: Extract<Pending, { kind: 'ejection' }>, p: PhaseDraft, kinds: ReadonlyMap<string, BehaviourKind>, issues: Issues): boolean {
  const switched = p.actions.filter((a) => a.kind === 'switch' && a.backend === d.backend).map((a) => (a as Extract<Action, { kind: 'switch' }>).behaviour.kind);
  const during = [kinds.get(d.backend), ...switched].filter((k): k is BehaviourKind => k !== undefined);
  if (during.some((k) => FAILING_KINDS.includes(k))) return true;
  const dead = during.includes('dead') || p.actions.some((a) => a.kind === 'kill' && a.backend === d.backend);
  issueAt(issues, 'SUITE_RULE', d, dead
    ? `ejection of ${d.backend}: a dead backend records nothing, so nothing can be counted; switch it to reset, close, hang or status instead of killing it`
    : `ejection of ${d.backend}: it must fail in this phase (kind ${FAILING_KINDS.join(', ')}); it is ${during.join(', then ') || 'unknown'}`);
  return false;
}

export function recoveryNeedsARevival(p: PhaseDraft, issues: Issues): void {
  for (const e of p.read.expect) {
    if (e.kind !== 'recovered') continue;
    const back = p.actions.some((a) => (a.kind === 'revive' || (a.kind === 'switch' && a.behaviour.kind !== 'dead')) && a.backend === e.backend);
    if (!back) issueAt(issues, 'SUITE_RULE', e, `recovered ${e.backend}: this phase neither revives ${e.backend} nor switches it back; recovery is timed from that action`);
  }
}

