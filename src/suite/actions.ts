/**
 * `actions:` of a phase. Each is a map with one action key and an optional `at:` offset from the
 * phase's start (0: before its traffic):
 *
 *   - kill: a                   # a refuses connections (the port is kept)
 *   - revive: a                 # a listens again
 *   - switch: a                 # a behaves otherwise; `to:` is an entry of the backends format
 *     to: { kind: status, status: 502 }
 *     at: 2s
 *   - reload: two               # the balancer reloads with configs.two
 *
 * `to:` is read by the backends format's own reader (backends/spec/section.ts), so every kind and
 * profile of it is allowed here, and its issues carry the path `phases[i].actions[j].to.…`.
 */
import { Pair, Scalar, YAMLMap, type Node } from 'yaml';
import type { Behaviour } from '../backends/behaviour.js';
import { atKey, atValue, readDurationMs, readSeq, subFields, type Field } from '../backends/spec/fields.js';
import { readBackendsSection } from '../backends/spec/section.js';
import { SUITE_DEFAULTS } from './defaults.js';
import { ACTION_KEYS, ACTION_KINDS } from './keys.js';
import type { Action } from './model.js';
import { originOf, type ReadContext } from './context.js';
import { refuse, scalarOf } from './values.js';

export function readActions(field: Field, ctx: ReadContext): Action[] {
  const out: Action[] = [];
  for (const item of readSeq(ctx.issues, field) ?? []) {
    const action = readAction(item, ctx);
    if (action !== undefined) out.push(action);
  }
  return out;
}

function readAction(item: Field, ctx: ReadContext): Action | undefined {
  const { issues } = ctx;
  const f = subFields(issues, item);
  const kinds = ACTION_KINDS.filter((k) => f.has(k));
  if (kinds.length !== 1) {
    issues.add('SUITE_SHAPE', atValue(item), `expected an action with one of ${ACTION_KINDS.join(', ')}, found ${kinds.length === 0 ? `keys ${f.keys().join(', ') || 'none'}` : kinds.join(' and ')}`);
    return undefined;
  }
  const kind = kinds[0]!;
  const before = issues.list.length;
  f.rejectUnknown(ACTION_KEYS[kind], issues, `a ${kind} action`);
  const atField = f.get('at');
  const atMs = atField === undefined ? SUITE_DEFAULTS.atMs : readDurationMs(issues, atField);
  const target = f.get(kind)!;
  const name = scalarOf(target);
  if (typeof name !== 'string' || name === '') return refuse(issues, target, kind === 'reload' ? 'the name of a configuration under `configs:`' : 'a backend name');
  const origin = originOf(item);
  if (kind === 'reload') return issues.list.length > before || atMs === undefined ? undefined : { ...origin, kind, config: name, atMs };
  ctx.backend(name, target, kind);
  if (kind !== 'switch') return issues.list.length > before || atMs === undefined ? undefined : { ...origin, kind, backend: name, atMs };
  const to = f.get('to');
  if (to === undefined) { issues.add('SUITE_SHAPE', atValue(item), 'a switch needs `to:`, the behaviour to switch to (an entry of the backends format)'); return undefined; }
  const behaviour = readSwitchTo(to, ctx);
  return issues.list.length > before || atMs === undefined || behaviour === undefined ? undefined : { ...origin, kind, backend: name, behaviour, atMs };
}

/** `to:` as a one-entry backends section named `to`, located where it is written. */
function readSwitchTo(to: Field, ctx: ReadContext): Behaviour | undefined {
  const key = new Scalar('to');
  key.range = to.keyNode.range ?? null;
  const section = new YAMLMap<Node, Node | null>();
  section.items.push(new Pair<Node, Node | null>(key, to.value));
  const parent = to.path.slice(0, -'.to'.length);
  const specs = readBackendsSection(section, { src: to.src, node: to.keyNode, path: parent }, ctx.issues, { profileDirs: ctx.profileDirs });
  const spec = specs[0];
  if (spec !== undefined && spec.port !== 0) {
    ctx.issues.add('SUITE_RULE', atKey(to), 'a switch keeps the backend\'s port; leave `port:` out of `to:`');
    return undefined;
  }
  return spec?.behaviour;
}
