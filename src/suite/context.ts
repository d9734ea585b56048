/**
 * What the readers of one suite share: the issues found so far, the backend names the suite
 * declares, and the references to backends and phases that the cross-field rules check once
 * everything has been read.
 */
import type { Node } from 'yaml';
import type { Field } from '../backends/spec/fields.js';
import type { IssueCode, Issues } from '../backends/spec/source.js';
import { locate } from '../backends/spec/source.js';
import type { Origin } from './model.js';

export interface BackendRef extends Origin {
  readonly name: string;
  /** What refers to it, for the message: `kill`, `an expectation`. */
  readonly what: string;
}

export class ReadContext {
  readonly backendRefs: BackendRef[] = [];

  constructor(
    readonly issues: Issues,
    /** As written under `backends:`, whether or not each entry was valid. */
    readonly backendNames: readonly string[],
    readonly profileDirs: readonly string[],
  ) {}

  /** Records `name` (written at f) as a backend that must exist. */
  backend(name: string, f: Field, what: string): string {
    this.backendRefs.push({ name, what, ...originOf(f) });
    return name;
  }
}

export function originOf(f: Field, node: Node | null = f.value ?? f.keyNode): Origin {
  return { path: f.path, location: locate(f.src, node) };
}

export function keyOrigin(f: Field): Origin {
  return { path: f.path, location: locate(f.src, f.keyNode) };
}

export function issueAt(issues: Issues, code: IssueCode, at: Origin, message: string): void {
  issues.list.push({ code, path: at.path, message, location: at.location });
}
