/**
 * The `backends:` section, the same in a backends file and in a suite:
 *
 *   backends:
 *     NAME: KIND                      # a kind that needs nothing more: ok, hang, dead, reset, close
 *     NAME: {}                        # ok
 *     NAME: { kind: KIND, port: P, ...keys of KIND }
 *     NAME: { profile: PROFILE, ...keys that override the profile's }
 *
 * A profile is PROFILE.yaml in a profile directory (the top-level backends/profiles by default):
 * one entry as above, without `profile:` (profiles do not chain). Paths in a profile (a static
 * `root`) are relative to the profile's own file. readBackendsSection() reports every issue and
 * returns the specs in file order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { BACKEND_NAME, DEFAULTS, type BackendSpec, type BehaviourKind } from '../behaviour.js';
import { KINDS, readBehaviour } from './behaviour-spec.js';
import { Fields, atKey, atValue, deref, readChoice, readInt, readString, type Field } from './fields.js';
import { found, parseSource, type At, type Issues, type Source } from './source.js';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export interface SectionOptions {
  /** Where `profile: NAME` looks for NAME.yaml, first match wins. */
  readonly profileDirs: readonly string[];
}

/** Loaded profiles of one read, by name (a profile used twice is parsed once). */
type ProfileCache = Map<string, { src: Source; node: Node | null } | null>;

export function readBackendsSection(node: Node | null, at: At, issues: Issues, opts: SectionOptions): BackendSpec[] {
  const section = deref(node, at.src);
  if (!isMap(section)) {
    issues.add('SUITE_SHAPE', { ...at, node: section ?? at.node }, `expected a map of backend names to behaviours, found ${found(section?.toJSON())}`);
    return [];
  }
  if (section.items.length === 0) issues.add('SUITE_SHAPE', { ...at, node: section }, 'expected at least one backend');
  const specs: BackendSpec[] = [];
  const cache: ProfileCache = new Map();
  const ports = new Map<number, string>();
  for (const pair of section.items as Pair<Node, Node | null>[]) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const here: At = { src: at.src, node: pair.key, path: `${at.path}.${name}` };
    if (!BACKEND_NAME.test(name)) {
      issues.add('SUITE_SHAPE', here, `expected a backend name (letters, digits, _ . -, at most 63), found ${found(name)}`);
      continue;
    }
    const spec = readEntry(name, deref(pair.value, at.src), here, issues, opts, cache);
    if (spec === undefined) continue;
    const other = ports.get(spec.port);
    if (spec.port !== 0 && other !== undefined) issues.add('SUITE_RULE', here, `port ${spec.port} is already backend "${other}"'s`);
    ports.set(spec.port, name);
    specs.push(spec);
  }
  return specs;
}

function readEntry(name: string, value: Node | null, at: At, issues: Issues, opts: SectionOptions, cache: ProfileCache): BackendSpec | undefined {
  const before = issues.list.length;
  if (isScalar(value) && value.value !== null) return readShorthand(name, value, at, issues);
  const fields = withProfile(Fields.of(value, { ...at, node: value ?? at.node }, issues), at, issues, opts, cache);
  const kindField = fields.get('kind');
  const kind: BehaviourKind | undefined = kindField === undefined ? 'ok' : readChoice(issues, kindField, KINDS);
  const portField = fields.get('port');
  const port = portField === undefined ? DEFAULTS.port : readInt(issues, portField, 0, 65535);
  const behaviour = kind === undefined ? undefined : readBehaviour(kind, fields, issues);
  if (behaviour === undefined || port === undefined || issues.list.length > before) return undefined;
  return { name, port, behaviour };
}

/** `NAME: KIND`, for the kinds that need nothing more. */
function readShorthand(name: string, value: Node, at: At, issues: Issues): BackendSpec | undefined {
  const field: Field = { key: 'kind', keyNode: value, value, src: at.src, path: at.path, note: '' };
  const kind = readChoice(issues, field, ['ok', 'hang', 'dead', 'reset', 'close'] as const);
  const behaviour = kind === undefined ? undefined : readBehaviour(kind, new Fields({ ...at, node: value }), issues);
  return behaviour === undefined ? undefined : { name, port: DEFAULTS.port, behaviour };
}

/** The entry's own fields over its profile's (each located in its own file); `profile:` itself drops out. */
function withProfile(own: Fields, at: At, issues: Issues, opts: SectionOptions, cache: ProfileCache): Fields {
  const profileField = own.get('profile');
  if (profileField === undefined) return own;
  const fields = new Fields(own.at);
  const profile = readString(issues, profileField);
  const loaded = profile === undefined ? null : loadProfile(profile, profileField, issues, opts, cache);
  if (loaded !== null) fields.addMap(loaded.node, { src: loaded.src, node: loaded.node, path: at.path }, issues, ` (from profile ${profile})`);
  const chained = fields.get('profile');
  if (chained !== undefined) {
    issues.add('SUITE_RULE', atKey(chained), `profiles do not chain: a profile cannot say \`profile:\`${chained.note}`);
    fields.delete('profile');
  }
  for (const key of own.keys()) if (key !== 'profile') fields.set(own.get(key)!);
  return fields;
}

function loadProfile(name: string, field: Field, issues: Issues, opts: SectionOptions, cache: ProfileCache): { src: Source; node: Node | null } | null {
  if (cache.has(name)) return cache.get(name)!;
  let loaded: { src: Source; node: Node | null } | null = null;
  if (!PROFILE_NAME.test(name)) {
    issues.add('SUITE_SHAPE', atValue(field), `expected a profile name (letters, digits, _ . -), found ${found(name)}`);
  } else {
    const file = opts.profileDirs.map((dir) => join(dir, `${name}.yaml`)).find((f) => existsSync(f));
    if (file === undefined) {
      issues.add('SUITE_RULE', atValue(field), `no profile "${name}" in ${opts.profileDirs.join(', ')}`);
    } else {
      const src = parseSource(readFileSync(file, 'utf8'), file, issues);
      loaded = { src, node: src.doc.contents as Node | null };
    }
  }
  cache.set(name, loaded);
  return loaded;
}
