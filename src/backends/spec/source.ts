/**
 * Located problems in YAML files (a suite, a backends file, a profile): every issue names the file,
 * line and column, the key path (`backends.a.delay`), and says what was expected and what was
 * found. Issues are collected, never thrown one by one; BackendsSpecError carries them all.
 */
import { LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { dirname } from 'node:path';
import { LbtestError, type SourceLocation } from '../../core/errors.js';

/** A parsed YAML file: where it came from and how to turn offsets into lines. */
export interface Source {
  readonly file: string;
  readonly dir: string;
  readonly lineCounter: LineCounter;
  readonly doc: Document.Parsed;
}

export type IssueCode = 'SUITE_SYNTAX' | 'SUITE_SHAPE' | 'SUITE_RULE';

export interface Issue {
  readonly code: IssueCode;
  /** The key path: `backends.a.trickle.interval`, `backends.b.schedule[1].to`. */
  readonly path: string;
  readonly message: string;
  readonly location: SourceLocation;
}

/** What an issue points at: a node (or, when the node is missing, its parent's) in a source. */
export interface At {
  readonly src: Source;
  readonly node: Node | null | undefined;
  readonly path: string;
}

export class Issues {
  readonly list: Issue[] = [];

  add(code: IssueCode, at: At, message: string): void {
    this.list.push({ code, path: at.path, message, location: locate(at.src, at.node) });
  }

  get ok(): boolean { return this.list.length === 0; }

  /** Throws every issue at once, if there is any. */
  throwIfAny(): void {
    if (this.list.length > 0) throw new BackendsSpecError(this.list);
  }
}

export class BackendsSpecError extends LbtestError {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[]) {
    const first = issues[0]!;
    super(first.code, issues.map(formatIssue).join('\n'), { location: first.location });
    this.issues = issues;
  }
}

/** `file:line:col: path: message` */
export function formatIssue(i: Issue): string {
  const where = `${i.location.file}:${i.location.line}${i.location.col === undefined ? '' : `:${i.location.col}`}`;
  return `${where}: ${i.path === '' ? '' : `${i.path}: `}${i.message}`;
}

export function locate(src: Source, node: Node | null | undefined): SourceLocation {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = src.lineCounter.linePos(offset);
  return { file: src.file, line, col };
}

/** Parses YAML text; syntax errors become SUITE_SYNTAX issues (the document may still be partial). */
export function parseSource(text: string, file: string, issues: Issues): Source {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const src: Source = { file, dir: dirname(file), lineCounter, doc };
  for (const err of doc.errors) {
    const { line, col } = lineCounter.linePos(err.pos[0]);
    issues.list.push({ code: 'SUITE_SYNTAX', path: '', message: `YAML: ${err.message}`, location: { file, line, col } });
  }
  return src;
}

/** A short picture of what was found, for "expected …, found …". */
export function found(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a map';
}
