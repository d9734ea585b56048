/**
 * The nginx configuration parser: statements -> a tree of directives, with `include` expanded in
 * place (nginx's `ngx_conf_parse()` and `ngx_conf_include()`).
 *
 * nginx stops at its first error, and runs each directive's handler as soon as it is read, so a
 * meaning error on line 5 is reported before a syntax error on line 20. To keep that order while
 * keeping syntax and meaning apart, a syntax error does not throw: it becomes an `error` node at
 * the place the parser stopped, and whoever walks the tree meets it exactly where nginx would.
 * Blocks the parser never finished are marked `closed: false`, so their end-of-block checks never
 * run. This module knows no directive but `include`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Lexer, LexError, type Word } from './lexer.js';
import { expandGlob, hasGlob } from './glob.js';

export interface DirectiveNode {
  readonly kind: 'directive';
  readonly name: string;
  readonly args: readonly Word[];
  readonly file: string;
  /** The line nginx reports for this directive: where its `;` or `{` was read. */
  readonly line: number;
  /** Where the directive's name starts. */
  readonly col: number;
  readonly nameLine: number;
  /** null for a simple directive (`;`). */
  readonly block: readonly Node[] | null;
  /** The line of the block's closing `}` (its end-of-block checks report it). */
  readonly blockEndLine: number;
  /** false when the parser stopped inside this block. */
  readonly closed: boolean;
}

export interface ErrorNode {
  readonly kind: 'error';
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** nginx prints some file errors with an errno suffix: `(2: No such file or directory)`. */
  readonly errno?: string;
}

export type Node = DirectiveNode | ErrorNode;

/** A source of file text; tests pass an in-memory one. */
export interface FileSource {
  read(path: string): string;
  isDirectory(path: string): boolean;
  glob(pattern: string): string[];
}

export const diskSource: FileSource = {
  read: (path) => readFileSync(path, 'latin1'),
  isDirectory: (path) => { try { return statSync(path).isDirectory(); } catch { return false; } },
  glob: (pattern) => expandGlob(pattern),
};

/** Deeper than this, an include chain is taken to be a loop. */
export const MAX_INCLUDE_DEPTH = 64;

export interface ParseOptions {
  /** Where relative include paths resolve: the main file's directory (nginx's conf_prefix). */
  readonly confPrefix: string;
  readonly source?: FileSource;
}

/** Parses a whole file; never throws for anything wrong in the configuration. */
export function parseFile(file: string, opts: ParseOptions): Node[] {
  const out: Node[] = [];
  new Parser(opts.source ?? diskSource, opts.confPrefix).file(file, out, 0, null);
  return out;
}

class Stop { constructor(readonly node: ErrorNode) {} }

class Parser {
  constructor(readonly source: FileSource, readonly confPrefix: string) {}

  /** Parses `file` into `out`; returns false after recording an error node. */
  file(file: string, out: Node[], depth: number, from: { file: string; line: number } | null): boolean {
    let text: string;
    try {
      text = this.source.read(file);
    } catch (err) {
      const at = from ?? { file, line: 0 };
      out.push({ kind: 'error', message: `open() "${file}" failed`, file: at.file, line: at.line, col: 1, errno: errnoText(err) });
      return false;
    }
    const lexer = new Lexer(text);
    try {
      this.block(lexer, file, out, depth, false);
      return true;
    } catch (e) {
      if (e instanceof Stop) { out.push(e.node); return false; }
      throw e;
    }
  }

  /** Reads statements until `}` (inBlock) or end of file; throws Stop on the first error. */
  block(lexer: Lexer, file: string, out: Node[], depth: number, inBlock: boolean): number {
    for (;;) {
      let st;
      try {
        st = lexer.next();
      } catch (e) {
        if (e instanceof LexError) throw new Stop({ kind: 'error', message: e.message, file, line: e.line, col: e.col });
        throw e;
      }
      if (st.end === 'eof') {
        if (inBlock) throw new Stop({ kind: 'error', message: 'unexpected end of file, expecting "}"', file, line: lexer.line, col: 1 });
        return st.endLine;
      }
      if (st.end === '}') {
        if (!inBlock) throw new Stop({ kind: 'error', message: 'unexpected "}"', file, line: lexer.line, col: 1 });
        return st.endLine;
      }
      const [nameWord, ...args] = st.words as [Word, ...Word[]];
      if (nameWord.value === 'include' && st.end === ';') {
        this.include(args, file, st.endLine, nameWord.col, out, depth);
        continue;
      }
      if (st.end === ';') {
        out.push(directive(nameWord, args, file, st.endLine, null, st.endLine, true));
        continue;
      }
      const children: Node[] = [];
      const node = { ...directive(nameWord, args, file, st.endLine, children, st.endLine, false) };
      out.push(node);
      node.blockEndLine = this.block(lexer, file, children, depth, true);
      node.closed = true;
    }
  }

  include(args: Word[], file: string, line: number, col: number, out: Node[], depth: number): void {
    const stop = (message: string, errno?: string): never => {
      throw new Stop({ kind: 'error', message, file, line, col, ...(errno === undefined ? {} : { errno }) });
    };
    if (args.length !== 1) stop('invalid number of arguments in "include" directive');
    if (depth >= MAX_INCLUDE_DEPTH) stop(`include nesting too deep (${MAX_INCLUDE_DEPTH}): is there an include loop?`);
    const raw = args[0]!.value;
    const path = isAbsolute(raw) ? raw : resolve(this.confPrefix, raw);
    const files = hasGlob(path) ? this.source.glob(path).filter((f) => !this.source.isDirectory(f)) : [path];
    for (const f of files) {
      if (!this.file(f, out, depth + 1, { file, line })) throw new Stop(out.pop() as ErrorNode);
    }
  }
}

function directive(
  nameWord: Word, args: readonly Word[], file: string, line: number,
  block: Node[] | null, blockEndLine: number, closed: boolean,
): DirectiveNode & { blockEndLine: number; closed: boolean } {
  return { kind: 'directive', name: nameWord.value, args, file, line, col: nameWord.col, nameLine: nameWord.line, block, blockEndLine, closed };
}

/** `(2: No such file or directory)` as nginx prints an errno. */
export function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return '(2: No such file or directory)';
    case 'EACCES': return '(13: Permission denied)';
    case 'EISDIR': return '(21: Is a directory)';
    case 'ENOTDIR': return '(20: Not a directory)';
    default: return `(${code ?? 'error'})`;
  }
}

/** The directory nginx resolves relative includes against: the main file's. */
export function confPrefixOf(mainFile: string): string {
  return dirname(mainFile);
}
