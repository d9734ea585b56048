/**
 * Test and benchmark fixtures: normalised `Upstream` objects from one-line server specs, so a
 * table row reads like the nginx.conf it stands for:
 *
 *   upstream('u', RR, ['127.0.0.1:8081 weight=5 max_fails=3 fail_timeout=30s', 'b backup', 'c down'])
 *
 * Spec: ADDRESS [weight=N] [max_fails=N] [fail_timeout=Ns] [max_conns=N] [backup] [down]
 * [addrs=A,B,C]. ADDRESS `unix:/p` is a UNIX peer; anything else is TCP and, when it is not
 * host:port, stands for itself (`a`, `b`) so sequences read `a a b`. `addrs=` gives the addresses a
 * hostname resolved to (several peers for one server line).
 *
 * Must not: be used outside tests and benchmarks; the real parser lives in src/config.
 */
import type { BalanceMethod, PeerAddress, Upstream, UpstreamServer } from '../../config/model.js';

export const RR: BalanceMethod = { kind: 'round_robin' };
export const LEAST_CONN: BalanceMethod = { kind: 'least_conn' };
export const IP_HASH: BalanceMethod = { kind: 'ip_hash' };
export const RANDOM: BalanceMethod = { kind: 'random', two: false };
export const RANDOM_TWO: BalanceMethod = { kind: 'random', two: true };

export function hashMethod(variable: string, consistent: boolean): BalanceMethod {
  return { kind: 'hash', key: { raw: `$${variable}`, parts: [{ kind: 'var', name: variable }] }, consistent };
}

export const HASH = hashMethod('arg_a', false);
export const CHASH = hashMethod('arg_a', true);

const SOURCE = { file: 'test.conf', line: 1, col: 1 };

function peerAddress(text: string): PeerAddress {
  if (text.startsWith('unix:')) return { kind: 'unix', path: text.slice(5), name: text };
  const m = /^(.*):(\d+)$/.exec(text);
  if (m === null) return { kind: 'tcp', host: text, port: 80, family: 4, name: text };
  const host = m[1]!.replace(/^\[(.*)\]$/, '$1');
  return { kind: 'tcp', host, port: Number(m[2]), family: host.includes(':') ? 6 : 4, name: text };
}

function seconds(value: string): number {
  const m = /^(\d+)(s|m)?$/.exec(value);
  if (m === null) throw new Error(`bad fail_timeout ${value}`);
  return Number(m[1]) * (m[2] === 'm' ? 60_000 : 1000);
}

export function server(spec: string): UpstreamServer {
  const [address, ...params] = spec.trim().split(/\s+/);
  const s = {
    address: address!, addresses: [peerAddress(address!)], weight: 1, maxFails: 1, failTimeoutMs: 10_000,
    maxConns: 0, backup: false, down: false, source: SOURCE,
  };
  for (const p of params) {
    const [k, v = ''] = p.split('=');
    if (k === 'weight') s.weight = Number(v);
    else if (k === 'max_fails') s.maxFails = Number(v);
    else if (k === 'fail_timeout') s.failTimeoutMs = seconds(v);
    else if (k === 'max_conns') s.maxConns = Number(v);
    else if (k === 'backup') s.backup = true;
    else if (k === 'down') s.down = true;
    else if (k === 'addrs') s.addresses = v.split(',').map(peerAddress);
    else throw new Error(`invalid parameter "${p}"`);
  }
  return s;
}

export function upstream(name: string, method: BalanceMethod, servers: readonly string[]): Upstream {
  return {
    name, implicit: false, method, servers: servers.map(server), keepalive: null,
    keepaliveRequests: 1000, keepaliveTimeMs: 3_600_000, keepaliveTimeoutMs: 60_000, zone: null, source: SOURCE,
  };
}
