/**
 * The one entry to the configuration language: file -> parse -> look up host names -> compose
 * (nginx's checks, in nginx's order) -> frozen model. Throws a ConfigError carrying nginx's
 * message, its location and the warnings printed before it; never anything else for a bad file.
 */
import { lookup } from 'node:dns/promises';
import { accessSync, constants, existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LbtestError, type ErrorCode } from '../core/errors.js';
import type { ConfigWarning, NginxConfig } from './model.js';
import { parseFile, type FileSource, type Node } from './parser.js';
import { Composer, ConfigFail } from './compose.js';
import { buildModel } from './build.js';

export interface LoadOptions {
  /** `-p`: defaults to the main file's directory's parent-free form, as lbtest's own default. */
  readonly prefix?: string;
  readonly source?: FileSource;
  /** Host-name lookup; defaults to the system resolver (getaddrinfo), as nginx uses. */
  readonly lookupHost?: (host: string) => Promise<readonly string[] | null>;
}

export interface LoadedConfig {
  readonly config: NginxConfig;
  readonly warnings: readonly ConfigWarning[];
}

export class ConfigError extends LbtestError {
  constructor(
    message: string,
    readonly source: { readonly file: string; readonly line: number; readonly col?: number } | null,
    readonly warnings: readonly ConfigWarning[],
    readonly errno: string | undefined,
    /** true when nginx would already have printed `syntax is ok` (no events section, a log file that cannot be opened). */
    readonly afterSyntax = false,
  ) {
    super(codeFor(message), message, source === null || source.line === 0 ? {} : { location: source });
    this.name = 'ConfigError';
  }

  /** The line as nginx writes it after `[emerg] `: message, errno, `in file:line`. */
  get nginxText(): string {
    return formatDiagnostic(this.message, this.source, this.errno);
  }
}

export function formatDiagnostic(message: string, source: { file: string; line: number } | null, errno?: string): string {
  const err = errno === undefined ? '' : ` ${errno}`;
  return source === null || source.line === 0 ? `${message}${err}` : `${message}${err} in ${source.file}:${source.line}`;
}

function codeFor(message: string): ErrorCode {
  if (/^unexpected |^too long parameter/.test(message)) return 'CONF_SYNTAX';
  if (/^unknown directive|is not allowed here|is not terminated|has no opening|invalid number of arguments/.test(message)) return 'CONF_DIRECTIVE';
  if (/^open\(\)/.test(message)) return 'CONF_FILE';
  if (/host not found|duplicate upstream|no servers|unknown ".*" variable|no "events"|unknown log format/.test(message)) return 'CONF_REFERENCE';
  return 'CONF_VALUE';
}

export async function systemLookup(host: string): Promise<readonly string[] | null> {
  try {
    const found = await lookup(host, { all: true });
    return found.map((a) => a.address);
  } catch {
    return null;
  }
}

/** nginx opens every log file once the syntax is ok (ngx_init_cycle()); a missing directory fails. */
function firstUnopenable(paths: readonly string[]): { message: string; errno: string } | null {
  for (const p of new Set(paths)) {
    if (!existsSync(dirname(p))) return { message: `open() "${p}" failed`, errno: '(2: No such file or directory)' };
    if (existsSync(p)) {
      try { accessSync(p, constants.W_OK); } catch { return { message: `open() "${p}" failed`, errno: '(13: Permission denied)' }; }
    }
  }
  return null;
}

/** Every host name the configuration names where nginx resolves names at load time (not upstream names). */
function hostNames(nodes: readonly Node[], out: Set<string>, groups = upstreamNames(nodes, new Set())): Set<string> {
  for (const n of nodes) {
    if (n.kind !== 'directive') continue;
    let text: string | undefined;
    if ((n.name === 'server' || n.name === 'listen' || n.name === 'set_real_ip_from') && n.args[0] !== undefined) text = n.args[0].value;
    if (n.name === 'proxy_pass' && n.args[0] !== undefined) text = /^https?:\/\/([^/]*)/i.exec(n.args[0].value)?.[1];
    if (text !== undefined && !text.startsWith('unix:') && !text.includes('$') && !text.startsWith('[')) {
      const host = text.replace(/:\d*$/, '').replace(/\/\d+$/, '').toLowerCase();
      const group = n.name === 'proxy_pass' && groups.has(host);
      if (host !== '' && host !== '*' && !group && !/^\d+$/.test(host) && isIP(host) === 0) out.add(host);
    }
    if (n.block !== null) hostNames(n.block, out, groups);
  }
  return out;
}

function upstreamNames(nodes: readonly Node[], out: Set<string>): Set<string> {
  for (const n of nodes) {
    if (n.kind !== 'directive') continue;
    if (n.name === 'upstream' && n.args[0] !== undefined) out.add(n.args[0].value.toLowerCase());
    if (n.block !== null) upstreamNames(n.block, out);
  }
  return out;
}

export async function loadConfig(file: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const main = isAbsolute(file) ? file : resolve(file);
  const prefix = opts.prefix ?? dirname(main);
  const nodes = parseFile(main, { confPrefix: dirname(main), ...(opts.source ? { source: opts.source } : {}) });
  const lookupHost = opts.lookupHost ?? systemLookup;
  const hosts = new Map<string, readonly string[] | null>();
  await Promise.all([...hostNames(nodes, new Set())].map(async (h) => { hosts.set(h, await lookupHost(h)); }));

  const c = new Composer({ file: main, prefix, hosts });
  try {
    c.walk(nodes, 'main');
  } catch (e) {
    if (e instanceof ConfigFail) throw new ConfigError(e.message, e.source, c.warnings, e.errno);
    throw e;
  }
  if (c.main.events === null) throw new ConfigError('no "events" section in configuration', null, c.warnings, undefined, true);
  const unopenable = firstUnopenable(c.logFiles);
  if (unopenable !== null) throw new ConfigError(unopenable.message, null, c.warnings, unopenable.errno, true);
  return { config: buildModel(c.main, main, prefix, hosts), warnings: c.warnings };
}
