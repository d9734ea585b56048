/**
 * The shape of the directive table: which contexts a directive may appear in, how many arguments
 * it takes, whether it opens a block, and what it means (its handler). Mirrors nginx's
 * `ngx_command_t` flags (NGX_HTTP_MAIN_CONF, NGX_CONF_TAKE12, NGX_CONF_BLOCK, ...).
 */
import type { DirectiveNode } from './parser.js';
import type { Composer } from './compose.js';

export type Ctx = 'main' | 'events' | 'http' | 'server' | 'location' | 'upstream' | 'if' | 'sif' | 'limit_except';

/**
 * Argument counts, nginx style: 'noargs', 'take1'…'take7', combinations such as 'take12' or
 * 'take123', '1more', '2more', 'flag' (exactly one), 'any'. Several may be joined by '|'.
 */
export type Arity = string;

export interface DirectiveSpec {
  readonly name: string;
  readonly contexts: readonly Ctx[];
  readonly arity: Arity;
  readonly block: boolean;
  /** Where this directive's block content is parsed: a context, or 'opaque' (types, map: not directives). */
  readonly inner?: Ctx | 'opaque';
  /** nginx knows it but lbtest does not act on it: accepted with a warning. */
  readonly ignored?: 'unimplemented' | 'no-effect';
  readonly handle?: (d: DirectiveNode, args: readonly string[], c: Composer) => void;
}

/** NGX_CONF_MAX_ARGS: fixed-count directives take at most 7 arguments. */
export const NGX_CONF_MAX_ARGS = 8;

export function arityAccepts(arity: Arity, nargs: number): boolean {
  return arity.split('|').some((a) => {
    switch (a) {
      case 'any': return true;
      case 'noargs': return nargs === 0;
      case 'flag': return nargs === 1;
      case '1more': return nargs >= 1;
      case '2more': return nargs >= 2;
      case '3more': return nargs >= 3;
      default: {
        if (!a.startsWith('take') || nargs + 1 > NGX_CONF_MAX_ARGS) return false;
        return a.slice(4).includes(String(nargs)) && nargs > 0;
      }
    }
  });
}

const ALL_HTTP: readonly Ctx[] = ['http', 'server', 'location'];
export const CTX = {
  main: ['main'] as readonly Ctx[],
  events: ['events'] as readonly Ctx[],
  httpMain: ['http'] as readonly Ctx[],
  srv: ['server'] as readonly Ctx[],
  loc: ['location'] as readonly Ctx[],
  ups: ['upstream'] as readonly Ctx[],
  hs: ['http', 'server'] as readonly Ctx[],
  hsl: ALL_HTTP,
  hslIf: [...ALL_HTTP, 'if'] as readonly Ctx[],
  hslIfLmt: [...ALL_HTTP, 'if', 'limit_except'] as readonly Ctx[],
  srvLoc: ['server', 'location'] as readonly Ctx[],
  srvLocIf: ['server', 'sif', 'location', 'if'] as readonly Ctx[],
  locIfLmt: ['location', 'if', 'limit_except'] as readonly Ctx[],
  mainHsl: ['main', ...ALL_HTTP] as readonly Ctx[],
  hslLmt: [...ALL_HTTP, 'limit_except'] as readonly Ctx[],
};
