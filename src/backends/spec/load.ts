/**
 * Entry points of the `backends:` format: a file (or text) whose top-level map has a `backends:`
 * key — a backends file or a suite; other top-level keys are the suite's business and ignored here.
 * Parse -> shape -> normalize -> rules -> frozen specs, or a BackendsSpecError listing every issue.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMap, type Node } from 'yaml';
import { LbtestError } from '../../core/errors.js';
import type { BackendSpec } from '../behaviour.js';
import { readBackendsSection, type SectionOptions } from './section.js';
import { Issues, parseSource, type Source } from './source.js';

/** The profiles that ship with lbtest: the top-level backends/profiles of the package. */
export const PACKAGE_PROFILE_DIR = fileURLToPath(new URL('../../../backends/profiles/', import.meta.url));

export interface LoadOptions {
  /** Searched before the package's own profiles. */
  readonly profileDirs?: readonly string[];
}

export function loadBackendsFile(file: string, opts: LoadOptions = {}): BackendSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LbtestError('SUITE_SYNTAX', `cannot read ${file}: ${(err as Error).message}`, { location: { file, line: 1 }, cause: err });
  }
  return parseBackendsText(text, file, opts);
}

export function parseBackendsText(text: string, file: string, opts: LoadOptions = {}): BackendSpec[] {
  const issues = new Issues();
  const src = parseSource(text, file, issues);
  issues.throwIfAny();
  const specs = readBackendsOf(src, issues, opts);
  issues.throwIfAny();
  return specs;
}

/** The `backends:` key of a parsed document's top-level map, for a suite loader to call as well. */
export function readBackendsOf(src: Source, issues: Issues, opts: LoadOptions = {}): BackendSpec[] {
  const root = src.doc.contents as Node | null;
  const at = { src, node: root, path: 'backends' };
  const pair = isMap(root) ? root.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'backends') : undefined;
  if (pair === undefined) {
    issues.add('SUITE_SHAPE', at, 'expected a top-level `backends:` map');
    return [];
  }
  const options: SectionOptions = { profileDirs: [...(opts.profileDirs ?? []), PACKAGE_PROFILE_DIR] };
  return deepFreeze(readBackendsSection(pair.value as Node | null, { ...at, node: pair.key as Node }, issues, options));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
