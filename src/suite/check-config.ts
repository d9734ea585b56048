/**
 * Loads each configuration of a suite with lbtest's configuration language (config/load.ts), its
 * placeholders filled with stand-in addresses, before anything starts: a broken nginx.conf is a
 * suite problem, reported in nginx's words (`unknown directive "liseten"`) at the line of the
 * suite — or of the configuration file — where it was written. Also derives what the chosen
 * upstream promises (weights, down, backup, max_fails) for by-weight and ejection.
 *
 * Stand-in addresses: 127.0.0.1 and, for a backend on an ephemeral port, a port no backend asks for,
 * so that each `server` line can be traced back to the backend whose placeholder it used.
 * Log files resolve in a temporary prefix with a logs/ directory, as a target's prefix has.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atValue } from '../backends/spec/fields.js';
import type { Issues } from '../backends/spec/source.js';
import type { SourceLocation } from '../core/errors.js';
import { diskSource, type FileSource } from '../config/parser.js';
import { ConfigError, loadConfig, type LoadOptions } from '../config/load.js';
import { chooseUpstream, configText, mainFileOf, upstreamView, wrap, type BalancerDraft } from './balancer.js';
import { WRAP_HEADER_LINES } from './defaults.js';
import type { BalancerConfig } from './model.js';
import { render, type Addresses, type Endpoint } from './template.js';

export interface CheckContext {
  readonly suiteFile: string;
  readonly suiteLines: readonly string[];
  readonly addresses: Addresses;
  /** Stand-in port -> backend name. */
  readonly byPort: ReadonlyMap<number, string>;
  readonly lookupHost?: LoadOptions['lookupHost'];
  readonly warnings: string[];
}

/** The first stand-in port; ports a suite fixes are skipped. */
const STAND_IN_PORT_BASE = 40_000;

/** Stand-in addresses for every backend and the listener. */
export function standInAddresses(backends: readonly { readonly name: string; readonly port: number }[]): { addresses: Addresses; byPort: Map<number, string> } {
  const fixed = new Set(backends.map((b) => b.port).filter((p) => p !== 0));
  let next = STAND_IN_PORT_BASE;
  const take = (): number => { while (fixed.has(next)) next++; return next++; };
  const map = new Map<string, Endpoint>();
  const byPort = new Map<number, string>();
  for (const b of backends) {
    const port = b.port !== 0 ? b.port : take();
    map.set(b.name, { host: '127.0.0.1', port });
    byPort.set(port, b.name);
  }
  return { addresses: { listen: { host: '127.0.0.1', port: take() }, backends: map }, byPort };
}

export async function checkBalancer(draft: BalancerDraft, ctx: CheckContext, issues: Issues): Promise<BalancerConfig | undefined> {
  let raw: string;
  try {
    raw = configText(draft.source);
  } catch (err) {
    issues.add('SUITE_RULE', atValue(draft.field), `cannot read the configuration: ${(err as Error).message}`);
    return undefined;
  }
  const rendered = render(raw, ctx.addresses);
  for (const u of rendered.unknown) {
    push(issues, draft, locate(draft, ctx, u.line, u.col, raw),
      `unknown placeholder {{${u.name}}}; expected {{listen}} or a backend: ${[...ctx.addresses.backends.keys()].map((n) => `{{${n}}}`).join(', ')}`);
  }
  if (rendered.unknown.length > 0) return undefined;
  const main = mainFileOf(draft, ctx.suiteFile);
  const mainText = wrap(rendered.text, draft.context);
  const source: FileSource = { ...diskSource, read: (p) => (p === main ? mainText : diskSource.read(p)) };
  const prefix = mkdtempSync(join(tmpdir(), 'lbtest-suite-'));
  mkdirSync(join(prefix, 'logs'));
  try {
    const loaded = await loadConfig(main, { source, prefix, ...(ctx.lookupHost ? { lookupHost: ctx.lookupHost } : {}) });
    for (const w of loaded.warnings) {
      const at = w.source === null ? null : w.source.file === main ? locate(draft, ctx, w.source.line, undefined, raw) : w.source;
      ctx.warnings.push(`[warn] ${w.message}${at === null ? '' : ` in ${at.file}:${at.line}`}`);
    }
    const before = issues.list.length;
    const upstream = chooseUpstream(loaded.config, draft, issues);
    if (issues.list.length > before) return undefined;
    return {
      name: draft.name, path: draft.field.path, location: atLocation(draft), source: draft.source, context: draft.context,
      upstream: upstream === null ? null : upstreamView(upstream, ctx.byPort),
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const at = err.source === null || err.source.line === 0 ? atLocation(draft)
      : err.source.file === main ? locate(draft, ctx, err.source.line, undefined, raw) : { file: err.source.file, line: err.source.line };
    push(issues, draft, at, `the nginx configuration does not load: ${err.message}${err.errno === undefined ? '' : ` ${err.errno}`}`);
    return undefined;
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

function atLocation(draft: BalancerDraft): SourceLocation {
  const f = draft.field;
  const { line, col } = f.src.lineCounter.linePos(f.keyNode.range?.[0] ?? 0);
  return { file: f.src.file, line, col };
}

/**
 * A line (and column) of the rendered main file -> where a person wrote it. Wrapped text starts
 * WRAP_HEADER_LINES down; an inline text starts at the suite line after `|`, indented.
 */
function locate(draft: BalancerDraft, ctx: CheckContext, mainLine: number, col: number | undefined, raw: string): SourceLocation {
  const rawLines = raw.split('\n');
  const line = Math.min(Math.max(1, draft.context === 'http' ? mainLine - WRAP_HEADER_LINES : mainLine), Math.max(1, rawLines.length));
  if (draft.source.kind === 'file') return { file: draft.source.file, line, ...(col === undefined ? {} : { col }) };
  const suiteLine = draft.source.firstLine + line - 1;
  const text = ctx.suiteLines[suiteLine - 1] ?? '';
  const indent = leading(text) - leading(rawLines[line - 1] ?? '');
  return { file: ctx.suiteFile, line: suiteLine, col: col === undefined ? leading(text) + 1 : indent + col };
}

function leading(s: string): number {
  return s.length - s.trimStart().length;
}

function push(issues: Issues, draft: BalancerDraft, location: SourceLocation, message: string): void {
  issues.list.push({ code: 'SUITE_RULE', path: draft.field.path, message, location });
}

