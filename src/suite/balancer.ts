/**
 * The balancer's nginx configuration in a suite: read (`balancer:` and each of `configs:`),
 * checked by loading it as lbtest's configuration language does — with placeholder addresses —
 * so that an nginx error is reported in nginx's words at the suite's own line, and rendered with
 * the real addresses when a target starts.
 *
 *   balancer: |                     # http-level text, wrapped by lbtest (defaults.ts WRAP_HEADER)
 *     upstream app { server {{a}}; }
 *   balancer: { file: conf/lb.conf, context: main, upstream: app }
 *   balancer: { text: "...", context: http }
 *
 * `upstream:` names the block that by-weight and ejection read when there are several.
 */
import { readFileSync } from 'node:fs';
import { isScalar, Scalar } from 'yaml';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { atValue, type Field } from '../backends/spec/fields.js';
import type { Issues } from '../backends/spec/source.js';
import type { NginxConfig, Upstream } from '../config/model.js';
import type { BalancerConfig, ConfigSource, UpstreamView } from './model.js';
import { SUITE_DEFAULTS, WRAP_FOOTER, WRAP_HEADER } from './defaults.js';
import { BALANCER_KEYS } from './keys.js';
import { render, type Addresses } from './template.js';
import { fieldsOf, refuse, scalarOf } from './values.js';

/** A configuration as read, before it is checked. */
export interface BalancerDraft {
  readonly name: string;
  readonly field: Field;
  readonly source: ConfigSource;
  readonly context: 'http' | 'main';
  readonly upstream: { readonly name: string; readonly field: Field } | null;
}

export function readBalancer(f: Field, name: string, issues: Issues): BalancerDraft | undefined {
  if (isScalar(f.value) && typeof f.value.value === 'string') {
    const source = inlineSource(f, f.value as Scalar<string>, issues);
    return source === undefined ? undefined : { name, field: f, source, context: SUITE_DEFAULTS.context, upstream: null };
  }
  if (isScalar(f.value)) return refuse(issues, f, 'nginx configuration text, or a map with `text:` or `file:`');
  const fields = fieldsOf(f.value, atValue(f), issues);
  fields.rejectUnknown(BALANCER_KEYS, issues, 'a balancer configuration');
  const text = fields.get('text'), file = fields.get('file'), context = fields.get('context'), upstream = fields.get('upstream');
  if ((text === undefined) === (file === undefined)) {
    issues.add('SUITE_SHAPE', atValue(f), `expected exactly one of \`text:\` and \`file:\`, found ${text === undefined ? 'neither' : 'both'}`);
    return undefined;
  }
  let source: ConfigSource | undefined;
  if (text !== undefined) {
    source = isScalar(text.value) && typeof text.value.value === 'string' ? inlineSource(text, text.value as Scalar<string>, issues) : refuse(issues, text, 'nginx configuration text');
  } else {
    const path = scalarOf(file!);
    source = typeof path === 'string' && path !== '' ? { kind: 'file', file: resolvePath(file!.src.dir, path) } : refuse(issues, file!, 'a file name');
  }
  const ctx = context === undefined ? SUITE_DEFAULTS.context : scalarOf(context);
  if (ctx !== 'http' && ctx !== 'main') return refuse(issues, context!, 'http (the text goes inside `http { }`) or main (a whole nginx.conf)');
  const up = upstream === undefined ? null : scalarOf(upstream);
  if (up !== null && (typeof up !== 'string' || up === '')) return refuse(issues, upstream!, 'an upstream name');
  if (source === undefined) return undefined;
  return { name, field: f, source, context: ctx, upstream: up === null ? null : { name: up, field: upstream! } };
}

function inlineSource(f: Field, node: Scalar<string>, issues: Issues): ConfigSource | undefined {
  if (node.type === Scalar.BLOCK_FOLDED) {
    issues.add('SUITE_SHAPE', atValue(f), 'expected a literal block (`|`), found a folded one (`>`): folding joins lines, and nginx\'s line numbers would no longer be the suite\'s');
    return undefined;
  }
  const headerLine = f.src.lineCounter.linePos(node.range?.[0] ?? 0).line;
  return { kind: 'inline', text: node.value, firstLine: node.type === Scalar.BLOCK_LITERAL ? headerLine + 1 : headerLine };
}

/** The text of a configuration as a whole nginx.conf, with its placeholders still in. */
export function configText(source: ConfigSource): string {
  return source.kind === 'inline' ? source.text : readFileSync(source.file, 'latin1');
}

/** Where the main file of a configuration lives (relative includes resolve from its directory). */
export function mainFileOf(config: { readonly name: string; readonly source: ConfigSource; readonly context: 'http' | 'main' }, suiteFile: string): string {
  if (config.source.kind === 'file') {
    return config.context === 'main' ? config.source.file : join(dirname(config.source.file), `.${basename(config.source.file)}.lbtest.conf`);
  }
  return join(dirname(suiteFile), `.${basename(suiteFile)}.${config.name}.conf`);
}

export function wrap(text: string, context: 'http' | 'main'): string {
  if (context === 'main') return text;
  return `${WRAP_HEADER.join('\n')}\n${text}${text.endsWith('\n') ? '' : '\n'}${WRAP_FOOTER}\n`;
}

export interface RenderedConfig {
  /** A whole nginx.conf with the addresses in. */
  readonly text: string;
  /** Where it is meant to be (relative includes resolve from its directory). */
  readonly file: string;
}

/** The configuration as a target starts it: placeholders filled in, wrapped if http-level. */
export function renderBalancerConfig(config: BalancerConfig, suiteFile: string, addresses: Addresses): RenderedConfig {
  return { text: wrap(render(configText(config.source), addresses).text, config.context), file: mainFileOf(config, suiteFile) };
}

/** The upstream `upstream:` names, or the only one; null when there is none or a choice to make. */
export function chooseUpstream(config: NginxConfig, draft: BalancerDraft, issues: Issues): Upstream | null {
  const all = [...(config.http?.upstreams.values() ?? [])];
  if (draft.upstream !== null) {
    const u = config.http?.upstreams.get(draft.upstream.name.toLowerCase());
    if (u === undefined) issues.add('SUITE_RULE', atValue(draft.upstream.field), `expected an upstream of the configuration (${all.map((x) => x.name).join(', ') || 'none'}), found "${draft.upstream.name}"`);
    return u ?? null;
  }
  const explicit = all.filter((u) => !u.implicit);
  if (explicit.length === 1) return explicit[0]!;
  return explicit.length === 0 && all.length === 1 ? all[0]! : null;
}

/** The upstream, server by server, each with the suite backend whose placeholder address it names. */
export function upstreamView(u: Upstream, byPort: ReadonlyMap<number, string>): UpstreamView {
  return {
    name: u.name, method: u.method.kind,
    servers: u.servers.map((s) => {
      const a = s.addresses[0];
      const backend = a !== undefined && a.kind === 'tcp' && a.host === '127.0.0.1' ? byPort.get(a.port) ?? null : null;
      return { backend, address: s.address, weight: s.weight, down: s.down, backup: s.backup, maxFails: s.maxFails, failTimeoutMs: s.failTimeoutMs, maxConns: s.maxConns };
    }),
  };
}
