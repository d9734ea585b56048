/**
 * The one error type of lbtest. Every error carries a stable `code` (tests assert codes and
 * positions, never prose) and, where it comes from a file, the location it points at.
 * Runtime proxy failures are outcomes, not errors: nothing here is thrown through a request path.
 */

export type ErrorCode =
  | 'CONF_SYNTAX'      // the lexer or parser stopped: nginx's `unexpected ...` family
  | 'CONF_DIRECTIVE'   // unknown directive, wrong context, wrong arity
  | 'CONF_VALUE'       // a directive's value or parameter is invalid
  | 'CONF_REFERENCE'   // host not found, duplicate upstream, missing include
  | 'CONF_FILE'        // a file could not be read or opened
  | 'SUITE_SYNTAX'
  | 'SUITE_SHAPE'
  | 'SUITE_RULE'
  | 'BACKEND_START'
  | 'BACKEND_CONTROL'
  | 'TARGET_START'
  | 'TARGET_DIED'
  | 'TRAFFIC_RUN'
  | 'USAGE'
  | 'INTERNAL';

/** A place in a source file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col?: number;
}

export class LbtestError extends Error {
  readonly code: ErrorCode;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { location?: SourceLocation; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'LbtestError';
    this.code = code;
    this.location = opts.location;
    this.hint = opts.hint;
  }
}

export function isLbtestError(err: unknown): err is LbtestError {
  return err instanceof LbtestError;
}
