/**
 * Expected shares from what an upstream block says, as nginx's round robin hands out requests
 * (ngx_http_upstream_round_robin.c): a server marked `down` gets nothing; backups get nothing
 * while a primary lives, and share the load by weight when every primary is gone (backup peers
 * are a second peer set, tried only after the primary set fails); each live server's share is
 * weight / Σ weights of its set. A backend named by several lines adds their weights up.
 *
 * Also the smooth weighted round-robin sequence (ngx_http_upstream_get_peer): each pick adds each
 * peer's weight to its current weight, takes the largest (first on ties), and subtracts the total
 * from the winner. Weights 5,1,1 give a a b a c a a.
 */
import type { UpstreamView } from '../suite/model.js';

export interface ByWeight {
  /** Every backend the upstream names, with its share (0 for down, gone, idle backups). */
  readonly shares: ReadonlyMap<string, number>;
  /** `weights a=5 b=1 c=1; spare is a backup (idle while a primary lives); d is down`. */
  readonly reason: string;
}

export function sharesByWeight(upstream: UpstreamView, gone: readonly string[]): ByWeight {
  const nameOf = (s: UpstreamView['servers'][number]): string => s.backend ?? s.address;
  const weights = (backup: boolean): Map<string, number> => {
    const m = new Map<string, number>();
    for (const s of upstream.servers) {
      if (s.backup !== backup || s.down || gone.includes(nameOf(s))) continue;
      m.set(nameOf(s), (m.get(nameOf(s)) ?? 0) + s.weight);
    }
    return m;
  };
  const primaries = weights(false);
  const useBackups = primaries.size === 0;
  const live = useBackups ? weights(true) : primaries;
  const total = [...live.values()].reduce((a, b) => a + b, 0);
  const shares = new Map<string, number>();
  for (const s of upstream.servers) shares.set(nameOf(s), 0);
  for (const [name, w] of live) shares.set(name, total > 0 ? w / total : 0);
  const notes: string[] = [`weights ${[...live].map(([n, w]) => `${n}=${w}`).join(' ') || 'none'}`];
  const backups = upstream.servers.filter((s) => s.backup && !s.down).map(nameOf);
  if (useBackups && backups.length > 0) notes.push(`every primary is down or gone, so the backup${backups.length > 1 ? 's' : ''} ${backups.join(', ')} take${backups.length > 1 ? '' : 's'} over`);
  else if (backups.length > 0) notes.push(`${backups.join(', ')} ${backups.length > 1 ? 'are backups' : 'is a backup'} (idle while a primary lives)`);
  const down = upstream.servers.filter((s) => s.down).map(nameOf);
  if (down.length > 0) notes.push(`${down.join(', ')} ${down.length > 1 ? 'are' : 'is'} marked down`);
  const dead = [...new Set(upstream.servers.map(nameOf).filter((n) => gone.includes(n)))];
  if (dead.length > 0) notes.push(`${dead.join(', ')} ${dead.length > 1 ? 'are' : 'is'} dead`);
  return { shares, reason: notes.join('; ') };
}

/** The first `n` picks of nginx's smooth weighted round robin from a fresh state. */
export function smoothRoundRobin(weights: readonly (readonly [name: string, weight: number])[], n: number): string[] {
  const current = weights.map(() => 0);
  const total = weights.reduce((s, [, w]) => s + w, 0);
  const out: string[] = [];
  for (let k = 0; k < n && total > 0; k++) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      current[i]! += weights[i]![1];
      if (best < 0 || current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    out.push(weights[best]![0]);
  }
  return out;
}
