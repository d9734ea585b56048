/**
 * proxy_* directives, realip, add_header, access_log and log_format (ngx_http_proxy_module.c,
 * ngx_http_realip_module.c, ngx_http_headers_filter_module.c, ngx_http_log_module.c).
 * Buffer directives are parsed and validated like nginx's; lbtest streams bodies, so they have
 * no effect there, and the composer says so in a warning.
 */
import { fail } from './compose.js';
import type { DirectiveSpec } from './spec.js';
import { CTX } from './spec.js';
import { bitmaskSlot, enumSlot, flagSlot, msecSlot, numSlot, offSlot, pushList, setSlot, sizeSlot, spec } from './slots.js';
import type { Composer } from './compose.js';
import { bufs, logTarget } from './directives-core.js';
import { compileValue, hasVariables } from './variables.js';
import { splitHostPort } from './address.js';
import { addUpstream } from './directives-upstream.js';
import type { CidrRange, ComplexValue, LocationMatch, ProxyRedirect } from './model.js';
import { parseCidr } from './cidr.js';

export const NEXT_UPSTREAM_VALUES = ['error', 'timeout', 'invalid_header', 'http_500', 'http_502', 'http_503',
  'http_504', 'http_403', 'http_404', 'http_429', 'updating', 'non_idempotent', 'off'];

/**
 * ngx_http_upstream_ignore_headers_masks. Only X-Accel-Redirect changes what lbtest does; the
 * others govern caching, rate limits, buffering and charsets, which lbtest does not take from
 * upstream headers at all, so ignoring them is what it does anyway.
 */
export const IGNORE_HEADERS_VALUES = ['x-accel-redirect', 'x-accel-expires', 'x-accel-limit-rate', 'x-accel-buffering',
  'x-accel-charset', 'expires', 'cache-control', 'set-cookie', 'vary'];

function useVars(c: Composer, v: ComplexValue): ComplexValue {
  for (const p of v.parts) if (p.kind === 'var') c.http!.usedVariables.push(p.name);
  return v;
}

const proxyPass: DirectiveSpec['handle'] = (_d, [url], c) => {
  const loc = c.location!;
  if (loc.proxyPass !== null) fail(c, '"proxy_pass" directive is duplicate');
  const source = c.source();
  if (hasVariables(url!)) {
    loc.proxyPass = { upstream: null, scheme: 'http', proxyHost: '', uri: null, url: url!, dynamic: useVars(c, compileValue(url!)), source };
    return;
  }
  const m = /^(https?):\/\//i.exec(url!);
  if (m === null) fail(c, 'invalid URL prefix');
  const scheme = m![1]!.toLowerCase() as 'http' | 'https';
  const rest = url!.slice(m![0].length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const uri = slash < 0 ? null : rest.slice(slash);
  const hp = splitHostPort(authority, false);
  if (typeof hp === 'string') fail(c, `${hp} in upstream "${authority}"`);
  const regexLike = loc.match.kind === 'regex' || loc.match.kind === 'named';
  if (uri !== null && regexLike) {
    fail(c, '"proxy_pass" cannot have URI part in location given by regular expression, or inside named location, or inside "if" statement, or inside "limit_except" block');
  }
  const defaultPort = scheme === 'https' ? 443 : 80;
  const u = addUpstream(c, hp.unix !== null ? `unix:${hp.unix}` : hp.host, hp.port ?? defaultPort, hp.port === null, false);
  const proxyHost = hp.unix !== null ? 'localhost'
    : hp.port === null || hp.port === defaultPort ? authority.replace(/:\d+$/, '') : authority;
  loc.proxyPass = { upstream: null, scheme, proxyHost, uri, url: url!, dynamic: null, source };
  loc.proxyUpstream = u;
};

/** The rule `proxy_redirect default` stands for, from a location's proxy_pass (ngx_http_proxy_redirect). */
export function defaultRedirect(url: string, uri: string | null, locationName: string): ProxyRedirect {
  const text = (t: string): ComplexValue => ({ raw: t, parts: [{ kind: 'text', text: t }] });
  return uri === null
    ? { kind: 'text', pattern: text(`${url}/`), replacement: text('/') }
    : { kind: 'text', pattern: text(url), replacement: text(locationName) };
}

/** The name nginx gives a location (clcf->name): its path, or its pattern. */
export function locationName(m: LocationMatch): string {
  return m.kind === 'regex' ? m.pattern : m.kind === 'named' ? m.name : m.path;
}

const proxyRedirect: DirectiveSpec['handle'] = (d, [from, to], c) => {
  const level = c.level!;
  const rules = level.lists.get(d.name) as { kind: string }[] | undefined;
  if (rules?.[0]?.kind === 'off') fail(c, `"${d.name}" directive is duplicate`);
  if (to === undefined) {
    if (from === 'off') {
      if (rules !== undefined) fail(c, `"${d.name}" directive is duplicate`);
      return pushList(c, d.name, { kind: 'off' });
    }
    if (from !== 'default') fail(c, `invalid parameter "${from}"`);
    const pp = c.location?.proxyPass ?? null;
    if (pp?.dynamic) fail(c, '"proxy_redirect default" cannot be used with "proxy_pass" directive with variables');
    if (pp === null) fail(c, '"proxy_redirect default" should be placed after the "proxy_pass" directive');
    return pushList(c, d.name, defaultRedirect(pp!.url, pp!.uri, locationName(c.location!.match)));
  }
  if (from!.startsWith('~')) {
    c.warn(`"${d.name}" with a regular expression is not implemented by lbtest and is ignored`);
    return pushList(c, d.name, { kind: 'regex' });
  }
  pushList(c, d.name, { kind: 'text', pattern: useVars(c, compileValue(from!)), replacement: useVars(c, compileValue(to)) });
};

const setHeader: DirectiveSpec['handle'] = (d, [name, value], c) => {
  pushList(c, d.name, { name: name!, value: useVars(c, compileValue(value!)) });
};

/** proxy_method: a value, variables allowed (ngx_http_set_complex_value_slot). */
const proxyMethod: DirectiveSpec['handle'] = (d, [v], c) => {
  setSlot(c, d.name, useVars(c, compileValue(v!)));
};

/** proxy_hide_header, proxy_pass_header: one name each, kept in order. */
const headerName: DirectiveSpec['handle'] = (d, [name], c) => {
  pushList(c, d.name, name!);
};

const addHeader: DirectiveSpec['handle'] = (_d, [name, value, always], c) => {
  if (always !== undefined && always !== 'always') fail(c, `invalid parameter "${always}"`);
  pushList(c, 'add_header', { name: name!, value: useVars(c, compileValue(value!)), always: always !== undefined });
};

const realIpFrom: DirectiveSpec['handle'] = (_d, [v], c) => {
  let ranges: CidrRange[];
  if (v === 'unix:') {
    ranges = [{ kind: 'unix' }];
  } else {
    const cidr = parseCidr(v!);
    if (cidr === 'bits') c.warn(`low address bits of ${v} are meaningless`);
    if (cidr === null) {
      const ips = c.opts.hosts.get(v!.toLowerCase());
      if (ips === undefined || ips === null) fail(c, `host not found in set_real_ip_from "${v}"`);
      ranges = ips!.map((ip) => parseCidr(ip) as CidrRange);
    } else {
      ranges = [cidr === 'bits' ? (parseCidr(v!, true) as CidrRange) : cidr];
    }
  }
  for (const r of ranges) pushList(c, 'set_real_ip_from', r);
};

const accessLog: DirectiveSpec['handle'] = (_d, [path, format, ...rest], c) => {
  if (path === 'off') {
    if (format !== undefined) fail(c, `invalid parameter "${format}"`);
    return pushList(c, 'access_log', { target: { kind: 'off' }, format: 'combined' });
  }
  const name = format ?? 'combined';
  if (name !== 'combined' && !c.http!.logFormats.has(name)) fail(c, `unknown log format "${name}"`);
  for (const p of rest) {
    if (!/^(buffer=|gzip|flush=|if=)/.test(p)) fail(c, `invalid parameter "${p}"`);
    c.warn(`access_log parameter "${p}" is not implemented by lbtest and is ignored`);
  }
  const target = logTarget(c, path!);
  if (target.kind === 'file') c.logFiles.push(target.path);
  pushList(c, 'access_log', { target, format: name });
};

const logFormat: DirectiveSpec['handle'] = (_d, [name, ...parts], c) => {
  if (name === 'combined' || c.http!.logFormats.has(name!)) fail(c, `duplicate "log_format" name "${name}"`);
  let escape: 'default' | 'json' | 'none' = 'default';
  if (parts[0]?.startsWith('escape=')) {
    const e = parts.shift()!.slice('escape='.length);
    if (e !== 'default' && e !== 'json' && e !== 'none') fail(c, `unknown log format escaping "${e}"`);
    escape = e as typeof escape;
  }
  if (parts.length === 0) fail(c, 'invalid number of arguments in "log_format" directive');
  c.http!.logFormats.set(name!, { name: name!, value: useVars(c, compileValue(parts.join(''))), escape });
};

const realIpHeader: DirectiveSpec['handle'] = (d, [v], c) => {
  if (c.level!.slots.has(d.name)) fail(c, `"${d.name}" directive is duplicate`);
  c.level!.slots.set(d.name, v);
};

export const PROXY_DIRECTIVES: readonly DirectiveSpec[] = [
  spec('proxy_pass', CTX.locIfLmt, 'take1', proxyPass),
  spec('proxy_set_header', CTX.hsl, 'take2', setHeader),
  spec('proxy_hide_header', CTX.hsl, 'take1', headerName),
  spec('proxy_method', CTX.hsl, 'take1', proxyMethod),
  spec('proxy_pass_header', CTX.hsl, 'take1', headerName),
  spec('proxy_redirect', CTX.hsl, 'take12', proxyRedirect),
  spec('proxy_http_version', CTX.hsl, 'take1', enumSlot(['1.0', '1.1'])),
  spec('proxy_connect_timeout', CTX.hsl, 'take1', msecSlot),
  spec('proxy_send_timeout', CTX.hsl, 'take1', msecSlot),
  spec('proxy_read_timeout', CTX.hsl, 'take1', msecSlot),
  spec('proxy_next_upstream', CTX.hsl, '1more', bitmaskSlot(NEXT_UPSTREAM_VALUES)),
  spec('proxy_next_upstream_tries', CTX.hsl, 'take1', numSlot),
  spec('proxy_next_upstream_timeout', CTX.hsl, 'take1', msecSlot),
  spec('proxy_buffering', CTX.hsl, 'flag', flagSlot, { ignored: 'no-effect' }),
  spec('proxy_request_buffering', CTX.hsl, 'flag', flagSlot, { ignored: 'no-effect' }),
  spec('proxy_buffer_size', CTX.hsl, 'take1', sizeSlot, { ignored: 'no-effect' }),
  spec('proxy_buffers', CTX.hsl, 'take2', bufs, { ignored: 'no-effect' }),
  spec('proxy_busy_buffers_size', CTX.hsl, 'take1', sizeSlot, { ignored: 'no-effect' }),
  spec('proxy_max_temp_file_size', CTX.hsl, 'take1', offSlot, { ignored: 'no-effect' }),
  spec('proxy_temp_file_write_size', CTX.hsl, 'take1', sizeSlot, { ignored: 'no-effect' }),
  spec('proxy_intercept_errors', CTX.hsl, 'flag', flagSlot),
  spec('proxy_ignore_headers', CTX.hsl, '1more', bitmaskSlot(IGNORE_HEADERS_VALUES)),
  spec('proxy_pass_request_headers', CTX.hsl, 'flag', flagSlot),
  spec('proxy_pass_request_body', CTX.hsl, 'flag', flagSlot),
  spec('add_header', CTX.hslIf, 'take23', addHeader),
  spec('set_real_ip_from', CTX.hsl, 'take1', realIpFrom),
  spec('real_ip_header', CTX.hsl, 'take1', realIpHeader),
  spec('real_ip_recursive', CTX.hsl, 'flag', flagSlot),
  spec('access_log', CTX.hslIfLmt, '1more', accessLog),
  spec('log_format', CTX.httpMain, '2more', logFormat),
];
