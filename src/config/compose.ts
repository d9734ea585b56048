/**
 * Meaning: walks the parsed tree in file order, checks each directive against the table (known
 * name, allowed context, `;` or `{`, argument count — in nginx's order, ngx_conf_handler()) and
 * runs its handler, which records values in the level being built. The first error stops the walk
 * (ConfigFail), as in nginx; warnings are collected. End-of-block checks run only for blocks the
 * parser closed. Merging and freezing happen afterwards, in build.ts.
 */
import type { DirectiveNode, Node } from './parser.js';
import { arityAccepts, type Ctx, type DirectiveSpec } from './spec.js';
import { DIRECTIVES } from './directives.js';
import { VariableSyntaxError } from './variables.js';
import type { ConfigWarning, Source } from './model.js';
import type { HttpBuild, LevelBuild, LocationBuild, MainBuild, ServerBuild, UpstreamBuild } from './build-types.js';

/** The first error, in nginx's words and at nginx's line. */
export class ConfigFail {
  constructor(
    readonly message: string,
    readonly source: { readonly file: string; readonly line: number; readonly col?: number } | null,
    readonly errno?: string,
  ) {}
}

export interface ComposeOptions {
  readonly file: string;
  readonly prefix: string;
  /** Addresses of every hostname the file names, looked up before the walk; null: not found. */
  readonly hosts: ReadonlyMap<string, readonly string[] | null>;
}

export class Composer {
  readonly warnings: ConfigWarning[] = [];
  /** Every log file named, in order: nginx opens them all once the syntax is ok. */
  readonly logFiles: string[] = [];
  readonly main: MainBuild = { workerProcesses: undefined, pid: undefined, errorLogs: [], events: null, http: null };
  /** The innermost objects the walk is in. */
  http: HttpBuild | null = null;
  server: ServerBuild | null = null;
  location: LocationBuild | null = null;
  upstream: UpstreamBuild | null = null;
  /** The level directives like proxy_read_timeout write into. */
  level: LevelBuild | null = null;
  /** The directive being handled. */
  current: DirectiveNode | null = null;

  constructor(readonly opts: ComposeOptions) {}

  /** Stops everything with nginx's message at the current directive's line. */
  fail(message: string, at: { file: string; line: number; col?: number } | null = this.here()): never {
    throw new ConfigFail(message, at);
  }

  warn(message: string, at: { file: string; line: number; col?: number } | null = this.here()): void {
    this.warnings.push({ message, source: at });
  }

  here(): { file: string; line: number; col: number } {
    const d = this.current;
    return d === null ? { file: this.opts.file, line: 0, col: 1 } : { file: d.file, line: d.line, col: d.col };
  }

  source(): Source {
    return this.here();
  }

  /** Walks a block's children in `ctx`. `dry` checks names, contexts and arity but applies nothing. */
  walk(nodes: readonly Node[], ctx: Ctx, dry = false): void {
    for (const node of nodes) {
      if (node.kind === 'error') throw new ConfigFail(node.message, { file: node.file, line: node.line, col: node.col }, node.errno);
      this.directive(node, ctx, dry);
    }
  }

  directive(d: DirectiveNode, ctx: Ctx, dry: boolean): void {
    this.current = d;
    const specs = DIRECTIVES.get(d.name);
    if (specs === undefined) this.fail(`unknown directive "${d.name}"`);
    const spec = specs.find((s) => s.contexts.includes(ctx));
    if (spec === undefined) this.fail(`"${d.name}" directive is not allowed here`);
    if (!spec.block && d.block !== null) this.fail(`directive "${d.name}" is not terminated by ";"`);
    if (spec.block && d.block === null) this.fail(`directive "${d.name}" has no opening "{"`);
    if (!arityAccepts(spec.arity, d.args.length)) this.fail(`invalid number of arguments in "${d.name}" directive`);
    if (dry) return this.dryBlock(spec, d);
    if (spec.handle !== undefined) {
      try {
        spec.handle(d, d.args.map((w) => w.value), this);
      } catch (e) {
        // a value with variables that does not compile: nginx's message at the directive
        if (e instanceof VariableSyntaxError) this.fail(e.message);
        throw e;
      }
    } else this.dryBlock(spec, d);
    this.current = d;
    if (spec.ignored === 'unimplemented') this.warn(`"${d.name}" directive is not implemented by lbtest and is ignored`);
    if (spec.ignored === 'no-effect') this.warn(`"${d.name}" directive has no effect in lbtest`);
  }

  dryBlock(spec: DirectiveSpec, d: DirectiveNode): void {
    if (d.block === null || spec.inner === undefined || spec.inner === 'opaque') {
      const err = firstError(d.block ?? []);
      if (err !== null) this.walk([err], 'main');
      return;
    }
    this.walk(d.block, spec.inner, true);
  }
}

/** The error node the parser left somewhere inside `nodes`, if any. */
function firstError(nodes: readonly Node[]): Node | null {
  for (const n of nodes) {
    if (n.kind === 'error') return n;
    const inner = n.block === null ? null : firstError(n.block);
    if (inner !== null) return inner;
  }
  return null;
}

/** `c.fail` as a declared function, so that TypeScript narrows after it in handlers. */
export function fail(c: Composer, message: string, at?: { file: string; line: number; col?: number } | null): never {
  return at === undefined ? c.fail(message) : c.fail(message, at);
}
