/**
 * The `upstream` block and what it holds: `server` lines and their parameters, the balancing
 * methods, keepalive and zone (ngx_http_upstream_module.c and the method modules).
 *
 * Each method sets the flags of the `server` parameters it accepts, at the moment it is read, so
 * `server ... backup;` before `ip_hash;` is accepted and after it is not — nginx's quirk, kept.
 * Server parameters are checked before the address is parsed, as ngx_http_upstream_server() does.
 */
import { fail } from './compose.js';
import type { DirectiveSpec } from './spec.js';
import { CTX } from './spec.js';
import { msecSlot, spec } from './slots.js';
import type { Composer } from './compose.js';
import type { ServerParamFlags, UpstreamBuild } from './build-types.js';
import type { BalanceMethod } from './model.js';
import { parseInteger, parseSize, parseTime } from './units.js';
import { peerAddresses, splitHostPort } from './address.js';
import { compileValue } from './variables.js';

const ALL_FLAGS: ServerParamFlags = { weight: true, maxConns: true, maxFails: true, failTimeout: true, down: true, backup: true };
const NO_BACKUP: ServerParamFlags = { ...ALL_FLAGS, backup: false };

/** nginx's ngx_http_upstream_add(): finds or creates a group; `explicit` for `upstream NAME {}`. */
export function addUpstream(c: Composer, host: string, port: number, noPort: boolean, explicit: boolean): UpstreamBuild {
  const list = c.http!.upstreams;
  const key = host.toLowerCase();
  for (const u of list) {
    if (u.name.toLowerCase() !== key) continue;
    if (explicit && !u.implicit) fail(c, `duplicate upstream "${host}"`);
    if (!u.implicit && !noPort) fail(c, `upstream "${host}" may not have port ${port}`);
    if (explicit && !u.noPort) {
      fail(c, `upstream "${host}" may not have port ${u.port}`, { file: u.source.file, line: u.source.line });
    }
    if (u.port !== 0 && port !== 0 && u.port !== port) continue;
    if (explicit) { u.implicit = false; u.port = 0; u.flags = { ...ALL_FLAGS }; u.source = c.source(); }
    return u;
  }
  const u: UpstreamBuild = {
    name: host, implicit: !explicit, port, noPort, method: null,
    flags: { ...ALL_FLAGS }, servers: [], keepalive: 0, keepaliveRequests: undefined,
    keepaliveTimeMs: undefined, keepaliveTimeoutMs: undefined, zone: null, source: c.source(), host,
  };
  list.push(u);
  return u;
}

const upstream: DirectiveSpec['handle'] = (d, [name], c) => {
  const u = addUpstream(c, name!, 0, true, true);
  const savedLevel = c.level;
  c.upstream = u; c.level = null;
  c.walk(d.block!, 'upstream');
  c.upstream = null; c.level = savedLevel;
  if (d.closed && u.servers.length === 0) fail(c, 'no servers are inside upstream', { file: d.file, line: d.blockEndLine });
};

const server: DirectiveSpec['handle'] = (_d, [address, ...params], c) => {
  const u = c.upstream!;
  let weight = 1, maxFails = 1, failTimeoutMs = 10_000, maxConns = 0, backup = false, down = false;
  const notSupported = (p: string): never => fail(c, `balancing method does not support parameter "${p}"`);
  const invalid = (p: string): never => fail(c, `invalid parameter "${p}"`);
  for (const p of params) {
    const num = (prefix: string): number | null => parseInteger(p.slice(prefix.length));
    if (p.startsWith('weight=')) {
      if (!u.flags.weight) notSupported(p);
      const n = num('weight='); if (n === null || n === 0) invalid(p); weight = n!;
    } else if (p.startsWith('max_conns=')) {
      if (!u.flags.maxConns) notSupported(p);
      const n = num('max_conns='); if (n === null) invalid(p); maxConns = n!;
    } else if (p.startsWith('max_fails=')) {
      if (!u.flags.maxFails) notSupported(p);
      const n = num('max_fails='); if (n === null) invalid(p); maxFails = n!;
    } else if (p.startsWith('fail_timeout=')) {
      if (!u.flags.failTimeout) notSupported(p);
      const ms = parseTime(p.slice('fail_timeout='.length), true); if (ms === null) invalid(p); failTimeoutMs = ms!;
    } else if (p === 'backup') {
      if (!u.flags.backup) notSupported(p);
      backup = true;
    } else if (p === 'down') {
      if (!u.flags.down) notSupported(p);
      down = true;
    } else {
      invalid(p);
    }
  }
  const hp = splitHostPort(address!, false);
  if (typeof hp === 'string') fail(c, `${hp} in upstream "${address}"`);
  const addresses = peerAddresses(c, hp, 80);
  if (addresses === null) fail(c, `host not found in upstream "${address}"`);
  u.servers.push({ address: address!, addresses: addresses!, weight, maxFails, failTimeoutMs, maxConns, backup, down, source: c.source() });
};

function setMethod(c: Composer, method: BalanceMethod, flags: ServerParamFlags): void {
  const u = c.upstream!;
  if (u.method !== null) c.warn('load balancing method redefined');
  u.method = method;
  u.flags = { ...flags };
}

const hash: DirectiveSpec['handle'] = (_d, [key, mode], c) => {
  if (mode !== undefined && mode !== 'consistent') fail(c, `invalid parameter "${mode}"`);
  const value = compileValue(key!);
  for (const p of value.parts) if (p.kind === 'var') c.http!.usedVariables.push(p.name);
  setMethod(c, { kind: 'hash', key: value, consistent: mode === 'consistent' }, NO_BACKUP);
};

const random: DirectiveSpec['handle'] = (_d, [two, method], c) => {
  if (two !== undefined && two !== 'two') fail(c, `invalid parameter "${two}"`);
  if (method !== undefined && method !== 'least_conn') fail(c, `invalid parameter "${method}"`);
  setMethod(c, { kind: 'random', two: two !== undefined }, NO_BACKUP);
};

const keepalive: DirectiveSpec['handle'] = (d, [v], c) => {
  const u = c.upstream!;
  if (u.keepalive !== 0) fail(c, '"keepalive" directive is duplicate');
  const n = parseInteger(v!);
  if (n === null || n === 0) fail(c, `invalid value "${v}" in "${d.name}" directive`);
  u.keepalive = n!;
};

/** keepalive_requests / _time / _timeout inside upstream: values kept on the group. */
function upstreamSlot(field: 'keepaliveRequests' | 'keepaliveTimeMs' | 'keepaliveTimeoutMs'): DirectiveSpec['handle'] {
  return (d, args, c) => {
    const u = c.upstream!;
    if (u[field] !== undefined) fail(c, `"${d.name}" directive is duplicate`);
    if (field === 'keepaliveRequests') {
      const n = parseInteger(args[0]!);
      if (n === null) fail(c, `"${d.name}" directive invalid number`);
      u[field] = n!;
      return;
    }
    const level = { slots: new Map<string, unknown>(), lists: new Map() };
    const saved = c.level; c.level = level;
    msecSlot(d, args, c);
    c.level = saved;
    u[field] = level.slots.get(d.name) as number;
  };
}

const zone: DirectiveSpec['handle'] = (_d, [name, size], c) => {
  const u = c.upstream!;
  let sizeBytes: number | null = null;
  if (size !== undefined) {
    sizeBytes = parseSize(size);
    if (sizeBytes === null) fail(c, `invalid zone size "${size}"`);
    if (sizeBytes < 8 * 4096) fail(c, `zone "${name}" is too small`);
  }
  u.zone = { name: name!, sizeBytes };
};

export const UPSTREAM_DIRECTIVES: readonly DirectiveSpec[] = [
  spec('upstream', CTX.httpMain, 'take1', upstream, { block: true, inner: 'upstream' }),
  spec('server', CTX.ups, '1more', server),
  spec('ip_hash', CTX.ups, 'noargs', (_d, _a, c) => setMethod(c, { kind: 'ip_hash' }, NO_BACKUP)),
  spec('hash', CTX.ups, 'take12', hash),
  spec('least_conn', CTX.ups, 'noargs', (_d, _a, c) => setMethod(c, { kind: 'least_conn' }, ALL_FLAGS)),
  spec('random', CTX.ups, 'noargs|take12', random),
  spec('keepalive', CTX.ups, 'take1', keepalive),
  spec('keepalive_requests', CTX.ups, 'take1', upstreamSlot('keepaliveRequests')),
  spec('keepalive_time', CTX.ups, 'take1', upstreamSlot('keepaliveTimeMs')),
  spec('keepalive_timeout', CTX.ups, 'take1', upstreamSlot('keepaliveTimeoutMs')),
  spec('zone', CTX.ups, 'take12', zone),
];
