import t from 'tap';
import type { BalanceMethod } from '../../config/model.js';
import { FakeClock } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import { HASH, IP_HASH, LEAST_CONN, RR, hashMethod, upstream } from './testing.js';
import type { Backend } from './simulate.js';
import { CLOSE, HOLD, counts, port, send } from './simulate.js';

const P = (n: number) => `127.0.0.1:${8080 + n}`;

/** "parallel n": n requests held open at once; the count string of who answered. */
function parallel(method: BalanceMethod, servers: string[], n: number, backend: Backend = () => HOLD): string {
  const b = createBalancer(upstream('u', method, servers), { clock: new FakeClock() });
  const answered = Array.from({ length: n }, () => send(b, backend, { clientAddress: '127.0.0.1', hashKey: '127.0.0.1' }).answeredBy);
  return counts(b.peers, answered, port);
}

/** "peers n": n requests one at a time, each held; the answering ports in order, '' for a 502. */
function peers(method: BalanceMethod, servers: string[], n: number): string {
  const b = createBalancer(upstream('u', method, servers));
  return Array.from({ length: n }, () => {
    const name = send(b, () => HOLD).answeredBy;
    return name === null ? '' : port(name);
  }).join(' ');
}

t.test('upstream_max_conns.t cards', async (t) => {
  t.equal(parallel(RR, [`${P(1)} max_conns=0`, P(2)], 4), '8081: 2, 8082: 2', 'unlimited');
  t.equal(parallel(RR, [`${P(1)} max_conns=3`], 4), '8081: 3', 'single');
  t.equal(peers(RR, [`${P(1)} max_conns=2`, `${P(2)} backup`], 6), '8081 8081 8082 8082 8082 8082', 'backup');
  t.equal(peers(RR, [`${P(1)} max_conns=2`, `${P(2)} backup max_conns=3`], 6), '8081 8081 8082 8082 8082 ', 'backup limited');
  t.equal(parallel(RR, [`${P(1)} max_conns=1`, `${P(2)} max_conns=1`], 4), '8081: 1, 8082: 1', 'all peers');
  t.equal(parallel(RR, [`${P(1)} max_conns=1`, P(2)], 4), '8081: 1, 8082: 3', 'some peers');
  t.equal(parallel(RR, [`${P(1)} weight=2 max_conns=1`, P(2)], 4), '8081: 1, 8082: 3', 'weight');
  t.equal(parallel(RR, [`${P(1)} max_conns=1`, `${P(1)} max_conns=1`, P(2)], 6), '8081: 2, 8082: 4', 'equal peer');
  const pnu: Backend = (p) => (p.name === P(4) ? CLOSE : HOLD);
  t.equal(parallel(RR, [P(4), `${P(1)} max_conns=1`, `${P(2)} max_conns=2`], 4, pnu), '8081: 1, 8082: 2',
    'u_pnu: selections made by proxy_next_upstream count');
  t.equal(parallel(LEAST_CONN, [`${P(1)} max_conns=1`, P(2)], 4), '8081: 1, 8082: 3', 'u_lc');
  t.equal(peers(LEAST_CONN, [`${P(1)} max_conns=2`, `${P(2)} backup`], 6), '8081 8081 8082 8082 8082 8082', 'u_lc_backup');
  t.equal(peers(LEAST_CONN, [`${P(1)} max_conns=2`, `${P(2)} backup max_conns=3`], 6), '8081 8081 8082 8082 8082 ',
    'u_lc_backup_lim');
  const limited = [`${P(1)} max_conns=1`, `${P(2)} max_conns=2`];
  t.equal(parallel(IP_HASH, limited, 4), '8081: 1, 8082: 2', 'u_ih');
  t.equal(parallel(HASH, limited, 4), '8081: 1, 8082: 2', 'u_hash');
  t.equal(parallel(hashMethod('remote_addr', true), limited, 4), '8081: 1, 8082: 2', 'u_chash');
});

t.test('upstream_max_conns.t conn subtraction: a finished request frees its slot', async (t) => {
  const b = createBalancer(upstream('u', RR, [`${P(1)} max_conns=3`]));
  const held = [send(b, () => HOLD), send(b, () => HOLD)];
  const closed = send(b, () => HOLD);
  closed.request.finish();
  held.push(send(b, () => HOLD));
  t.equal(counts(b.peers, held.map((ex) => ex.answeredBy), port), '8081: 3');
  t.equal(b.peers.primary.peers[0]!.conns, 3);
  for (const ex of held) ex.request.finish();
  t.equal(b.peers.primary.peers[0]!.conns, 0);
});

t.test('upstream_zone.t: only down servers, primary and backup -> $upstream_addr is the group name', async (t) => {
  const b = createBalancer(upstream('u2', RR, [`${P(1)} down`, `${P(1)} backup down`]));
  const ex = send(b, () => HOLD);
  t.same([ex.status, ex.upstreamAddr, ex.upstreamStatus], [502, 'u2', '502']);
});
