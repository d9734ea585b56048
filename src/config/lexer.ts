/**
 * The nginx configuration lexer: one statement at a time, with the rules of nginx's
 * `ngx_conf_read_token()` (src/core/ngx_conf_file.c).
 *
 *   statement := word+ ( ";" | "{" )  |  "}"
 *   word      := quoted | bare          quoted := '"' ... '"' | "'" ... "'"
 *
 * - `#` starts a comment only where a word could start; inside a word it is literal.
 * - `\` makes the next character literal; when the word is stored `\" \' \\` lose the backslash,
 *   `\t \r \n` become TAB CR LF, every other `\X` keeps both characters.
 * - `${` does not open a block; `}` inside a word is literal; a closing quote must be followed by
 *   white space, `;` or `{` (or `)` for `if`).
 * - A word may not reach NGX_CONF_BUFFER (4096) bytes.
 * Errors carry nginx's words and the line nginx reports: the lexer's current line, except for
 * over-long words, reported at their first line. It must not interpret directives.
 */

export interface Word {
  /** The stored value: quotes removed, escapes applied. */
  readonly value: string;
  /** True when the word was written in quotes (`""` is a real empty argument). */
  readonly quoted: boolean;
  readonly line: number;
  readonly col: number;
}

export type Terminator = ';' | '{' | '}' | 'eof';

export interface Statement {
  readonly words: readonly Word[];
  readonly end: Terminator;
  /** The line on which the terminator was read (nginx's line when it handles the statement). */
  readonly endLine: number;
}

export class LexError {
  constructor(readonly message: string, readonly line: number, readonly col: number) {}
}

/** nginx's parser reads the file through a buffer this large; no word may fill it. */
export const NGX_CONF_BUFFER = 4096;

const LF = 10, CR = 13, TAB = 9, SPACE = 32;
const isSpace = (c: number): boolean => c === SPACE || c === TAB || c === CR || c === LF;

export class Lexer {
  #text: string;
  #pos = 0;
  #line = 1;
  #lineStart = 0;

  constructor(text: string) { this.#text = text; }

  get line(): number { return this.#line; }

  /** Reads the next statement; throws LexError where nginx would stop. */
  next(): Statement {
    const text = this.#text;
    const words: Word[] = [];
    let lastSpace = true, sharpComment = false, quoted = false, variable = false;
    let sQuoted = false, dQuoted = false, needSpace = false;
    let start = 0, startLine = 1, startCol = 1, wordQuoted = false;

    for (;;) {
      if (this.#pos >= text.length) {
        if (words.length > 0 || !lastSpace) {
          throw this.#error('unexpected end of file, expecting ";" or "}"');
        }
        return { words, end: 'eof', endLine: this.#line };
      }
      if (!lastSpace && this.#pos - start >= NGX_CONF_BUFFER) {
        const q = dQuoted ? '"' : sQuoted ? "'" : '';
        const message = q
          ? `too long parameter, probably missing terminating "${q}" character`
          : `too long parameter "${text.slice(start, start + 10)}..." started`;
        throw new LexError(message, startLine, startCol);
      }
      const c = text.charCodeAt(this.#pos++);

      if (c === LF) {
        this.#line++;
        this.#lineStart = this.#pos;
        if (sharpComment) sharpComment = false;
      }
      if (sharpComment) continue;
      if (quoted) { quoted = false; continue; }

      if (needSpace) {
        if (isSpace(c)) { lastSpace = true; needSpace = false; continue; }
        if (c === 0x3b /* ; */) return { words, end: ';', endLine: this.#line };
        if (c === 0x7b /* { */) return { words, end: '{', endLine: this.#line };
        if (c === 0x29 /* ) */) { lastSpace = true; needSpace = false; continue; }
        throw this.#error(`unexpected "${String.fromCharCode(c)}"`);
      }

      if (lastSpace) {
        start = this.#pos - 1;
        startLine = this.#line;
        startCol = this.#pos - this.#lineStart;
        wordQuoted = false;
        if (isSpace(c)) continue;
        switch (c) {
          case 0x3b: case 0x7b: // ; {
            if (words.length === 0) throw this.#error(`unexpected "${String.fromCharCode(c)}"`);
            return { words, end: c === 0x7b ? '{' : ';', endLine: this.#line };
          case 0x7d: // }
            if (words.length !== 0) throw this.#error('unexpected "}"');
            return { words, end: '}', endLine: this.#line };
          case 0x23: sharpComment = true; continue; // #
          case 0x5c: quoted = true; lastSpace = false; continue; // backslash
          case 0x22: start++; dQuoted = true; wordQuoted = true; lastSpace = false; continue;
          case 0x27: start++; sQuoted = true; wordQuoted = true; lastSpace = false; continue;
          case 0x24: variable = true; lastSpace = false; continue; // $
          default: lastSpace = false; continue;
        }
      }

      if (c === 0x7b && variable) continue;
      variable = false;
      if (c === 0x5c) { quoted = true; continue; }
      if (c === 0x24) { variable = true; continue; }

      let found = false;
      if (dQuoted) {
        if (c === 0x22) { dQuoted = false; needSpace = true; found = true; }
      } else if (sQuoted) {
        if (c === 0x27) { sQuoted = false; needSpace = true; found = true; }
      } else if (isSpace(c) || c === 0x3b || c === 0x7b) {
        lastSpace = true; found = true;
      }
      if (!found) continue;

      words.push({ value: unescape(text.slice(start, this.#pos - 1)), quoted: wordQuoted, line: startLine, col: startCol });
      if (c === 0x3b) return { words, end: ';', endLine: this.#line };
      if (c === 0x7b) return { words, end: '{', endLine: this.#line };
    }
  }

  #error(message: string): LexError {
    return new LexError(message, this.#line, Math.max(1, this.#pos - this.#lineStart));
  }
}

/** Applies nginx's escape rules to a word's raw text (see the module header). */
function unescape(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\' || i + 1 >= raw.length) { out += ch; continue; }
    const nx = raw[i + 1]!;
    switch (nx) {
      case '"': case "'": case '\\': out += nx; i++; break;
      case 't': out += '\t'; i++; break;
      case 'r': out += '\r'; i++; break;
      case 'n': out += '\n'; i++; break;
      default: out += ch; break;
    }
  }
  return out;
}
