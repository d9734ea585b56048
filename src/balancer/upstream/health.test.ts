import t from 'tap';
import { FakeClock } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import type { Balancer } from './balancer.js';
import { freePeer } from './health.js';
import { createPeerSet } from './peers.js';
import { RR, upstream } from './testing.js';
import type { Backend } from './simulate.js';
import { CLOSE, HOLD, OK, PENDING, REFUSE, attemptsOf, counts, port, send } from './simulate.js';

const S = 1_700_000_000_000; // a whole second

function run(b: Balancer, n: number, backend: Backend): string {
  return Array.from({ length: n }, () => attemptsOf(send(b, backend))).join(' ');
}

t.test('§1.4 effectiveWeight drops by weight / max_fails (integer division), clamped at 0', async (t) => {
  const rows: [string, number[]][] = [
    ['weight=1 max_fails=1', [0, 0]],
    ['weight=1 max_fails=3', [1, 1]],
    ['weight=5 max_fails=3', [4, 3]],
    ['weight=3 max_fails=2', [2, 1]],
    ['weight=2 max_fails=1', [0, 0]],
    ['weight=5 max_fails=0', [5, 5]],
  ];
  for (const [params, after] of rows) {
    const set = createPeerSet(upstream('u', RR, [`a ${params}`, 'b']));
    const peer = set.primary.peers[0]!;
    const seen = after.map(() => {
      peer.conns++;
      freePeer(set.primary, peer, 'failed', 100);
      return peer.effectiveWeight;
    });
    t.same(seen, after, params);
  }
});

t.test('effectiveWeight climbs back +1 per eligible round, even in rounds the peer loses', async (t) => {
  const b = createBalancer(upstream('u', RR, ['a weight=5 max_fails=1', 'b weight=5']), { clock: new FakeClock(S) });
  const a = b.peers.primary.peers[0]!;
  send(b, (p) => (p.name === 'a' ? CLOSE : OK));
  t.equal(a.effectiveWeight, 0);
  send(b, () => OK);
  t.equal(a.effectiveWeight, 0, 'no climb while a is out');
  (b.clock as FakeClock).advance(11_000);
  const climb = Array.from({ length: 6 }, () => { send(b, () => OK); return a.effectiveWeight; });
  t.same(climb, [1, 2, 3, 4, 5, 5]);
});

t.test('max_fails=0: never unavailable, effective weight never drops', async (t) => {
  const b = createBalancer(upstream('u', RR, ['a max_fails=0', 'b']), { clock: new FakeClock(S) });
  t.equal(run(b, 4, (p) => (p.name === 'a' ? REFUSE : OK)), 'a+b b a+b b');
  t.equal(b.peers.primary.peers[0]!.effectiveWeight, 1);
  t.equal(b.peers.primary.peers[0]!.fails, 2, 'fails still counts');
});

t.test('§2.2 / §11.6 whole-second clock with <=: out while now - failure <= fail_timeout', async (t) => {
  const clock = new FakeClock(S + 999);
  const b = createBalancer(upstream('u', RR, ['a fail_timeout=10s', 'b']), { clock });
  t.equal(attemptsOf(send(b, (p) => (p.name === 'a' ? CLOSE : OK))), 'a+b', 'a fails at second S (S.999)');
  clock.set(S + 10_999);
  t.equal(run(b, 3, () => OK), 'b b b', 'S+10.999: floor gives 10 <= 10, still out');
  clock.set(S + 11_000);
  t.match(run(b, 3, () => OK), /a/, 'S+11.000: eligible again (fail_timeout + 1 s)');
});

t.test('§2.2 a failure at S+0.002 with fail_timeout=2s is back in rotation from S+3', async (t) => {
  const clock = new FakeClock(S + 2);
  const b = createBalancer(upstream('u', RR, ['a fail_timeout=2s', 'b']), { clock });
  send(b, (p) => (p.name === 'a' ? CLOSE : OK));
  const firstBack: number[] = [];
  for (let i = 0; i < 400 && firstBack.length === 0; i++) {
    clock.advance(10);
    if (send(b, () => OK).answeredBy === 'a') firstBack.push(clock.nowMs() - S);
  }
  t.ok(firstBack[0]! >= 3000 && firstBack[0]! < 3100, `back at S+${firstBack[0]} ms`);
});

t.test('§2.2 (V) a dead server with fail_timeout=2s is probed every 3 s', async (t) => {
  const clock = new FakeClock(S);
  const b = createBalancer(upstream('u', RR, ['dead fail_timeout=2s', 'live fail_timeout=2s']), { clock });
  const probes: number[] = [];
  const statuses = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const ex = send(b, (p) => (p.name === 'dead' ? REFUSE : OK));
    if (ex.upstreamAddr.startsWith('dead')) probes.push(clock.nowMs() - S);
    statuses.add(ex.status);
    clock.advance(10);
  }
  t.same([...statuses], [200], 'every probe is retried on the live server');
  t.same(probes.map((ms) => Math.floor(ms / 1000)), [0, 3, 6, 9], `probes at ${probes.join(', ')} ms`);
});

t.test('§2.2 / §11.7 exactly one probe per window; a successful probe brings the peer back', async (t) => {
  const clock = new FakeClock(S);
  const b = createBalancer(upstream('u', RR, ['a', 'b']), { clock });
  send(b, (p) => (p.name === 'a' ? CLOSE : OK));
  clock.advance(11_000);
  let probe = null;
  for (let i = 0; i < 5 && probe === null; i++) {
    const ex = send(b, (p) => (p.name === 'a' ? PENDING : OK));
    if (ex.request.phase === 'connecting') probe = ex.request;
  }
  t.ok(probe, 'a got a probe');
  t.equal(run(b, 6, () => OK), 'b b b b b b', 'concurrent requests skip a while the probe runs');
  t.equal(probe!.responded(200), 'pass');
  probe!.finish();
  t.equal(b.peers.primary.peers[0]!.fails, 0);
  t.match(run(b, 4, () => OK), /a/, 'a is back');
});

t.test('§2.2 a failed probe starts another full window', async (t) => {
  const clock = new FakeClock(S);
  const b = createBalancer(upstream('u', RR, ['a fail_timeout=10s', 'b']), { clock });
  send(b, (p) => (p.name === 'a' ? CLOSE : OK));
  clock.advance(11_000);
  const probe = run(b, 5, (p) => (p.name === 'a' ? CLOSE : OK));
  t.equal(probe.split(' ').filter((x) => x === 'a+b').length, 1, `one probe: ${probe}`);
  clock.advance(10_999);
  t.equal(run(b, 5, () => OK), 'b b b b b', 'out for fail_timeout after the failed probe');
  clock.advance(1);
  t.match(run(b, 5, () => OK), /a/);
});

t.test('§2.2 / §11.8 the failure count is not a sliding window (V: failures at 0, 5, 12 vs 0, 5, 17)', async (t) => {
  for (const [failAt, disabled] of [[[0, 5, 12], true], [[0, 5, 17], false]] as const) {
    const clock = new FakeClock(S);
    const b = createBalancer(upstream('u', RR, ['a max_fails=3 fail_timeout=10s', 'b max_fails=3 fail_timeout=10s']), { clock });
    const due = [...failAt];
    const backend: Backend = (p) => {
      if (p.name === 'a' && due.length > 0 && clock.nowMs() - S >= due[0]! * 1000) {
        due.shift();
        return CLOSE;
      }
      return OK;
    };
    while (due.length > 0) {
      send(b, backend);
      clock.advance(500);
    }
    const next = run(b, 6, () => OK);
    t.equal(next === 'b b b b b b', disabled, `failures at ${failAt.join(', ')}: next six ${next}`);
  }
});

t.test('§2.4 / §11.9 all failed: the first request tries each, then instant 502 with the group name', async (t) => {
  const clock = new FakeClock(S);
  const b = createBalancer(upstream('allrefused', RR, ['127.0.0.1:18088', '127.0.0.1:18089']), { clock });
  const first = send(b, () => REFUSE);
  t.same([first.status, first.upstreamAddr, first.upstreamStatus], [502, '127.0.0.1:18088, 127.0.0.1:18089', '502, 502']);
  for (let i = 0; i < 10; i++) {
    clock.advance(1000);
    const ex = send(b, () => REFUSE);
    t.same([ex.status, ex.upstreamAddr, ex.upstreamStatus], [502, 'allrefused', '502'], `t+${i + 1}s`);
  }
  clock.advance(1000);
  t.equal(send(b, () => REFUSE).upstreamAddr, '127.0.0.1:18089, 127.0.0.1:18088',
    'a window passed: one probe each (18089 first: its currentWeight is ahead), no reset');
});

t.test('§2.5 / §11.10 a single server ignores max_fails: every request is attempted', async (t) => {
  for (const implicit of [false, true]) {
    const u = { ...upstream('127.0.0.1:8081', RR, ['127.0.0.1:8081 max_fails=1']), implicit };
    const b = createBalancer(u, { clock: new FakeClock(S) });
    t.ok(b.peers.primary.single);
    const seen = new Set(Array.from({ length: 20 }, () => {
      const ex = send(b, () => REFUSE);
      return `${ex.status} ${ex.upstreamAddr} ${ex.upstreamStatus} tries=${ex.request.tries}`;
    }));
    t.same([...seen], ['502 127.0.0.1:8081 502 tries=0'], implicit ? 'implicit upstream' : 'upstream block');
  }
});

t.test('§2.5 a single down server, or a single one at max_conns: 502 with the group name', async (t) => {
  const down = createBalancer(upstream('u', RR, ['127.0.0.1:8081 down']));
  t.same([send(down, () => OK).status, send(down, () => OK).upstreamAddr], [502, 'u']);
  const full = createBalancer(upstream('u', RR, ['127.0.0.1:8081 max_conns=1']));
  const held = send(full, () => HOLD);
  t.equal(held.answeredBy, '127.0.0.1:8081');
  t.same([send(full, () => OK).status, send(full, () => OK).upstreamAddr], [502, 'u']);
  held.request.finish();
  t.equal(send(full, () => OK).answeredBy, '127.0.0.1:8081', 'release frees the slot');
});

t.test('§2.5 one primary plus a backup is not single: max_fails applies', async (t) => {
  const b = createBalancer(upstream('u', RR, ['127.0.0.1:18089', '127.0.0.1:18082 backup']), { clock: new FakeClock(S) });
  t.notOk(b.peers.primary.single);
  const backend: Backend = (p) => (p.name.endsWith('18089') ? REFUSE : OK);
  const first = send(b, backend);
  t.same([first.upstreamAddr, first.upstreamStatus], ['127.0.0.1:18089, 127.0.0.1:18082', '502, 200']);
  t.same(Array.from({ length: 5 }, () => send(b, backend).upstreamAddr), Array(5).fill('127.0.0.1:18082'));
});

t.test('§2.5 a hostname with several addresses is not single', async (t) => {
  const b = createBalancer(upstream('u', RR, ['localhost:8081 addrs=127.0.0.1:8081,[::1]:8081']));
  t.notOk(b.peers.primary.single);
  t.equal(b.peers.tries, 2);
});

t.test('§3.3 conns goes up on pick (retries included) and down on release', async (t) => {
  const b = createBalancer(upstream('u', RR, ['a', 'b']));
  const [a, bb] = b.peers.primary.peers;
  const held = send(b, (p) => (p.name === 'a' ? CLOSE : HOLD));
  t.same([a!.conns, bb!.conns], [0, 1], 'the failed attempt was released, the held one counts');
  held.request.finish();
  t.same([a!.conns, bb!.conns], [0, 0]);
  const pending = send(b, () => PENDING);
  t.equal(pending.request.peer!.conns, 1);
  pending.request.abort();
  t.same([a!.conns, bb!.conns], [0, 0], 'a client abort releases too');
});

t.test('upstream.t failures: 8081 drops every 3rd request it receives -> "8081: 6, 8082: 24"', async (t) => {
  for (const pauseMs of [0, 200]) {
    const clock = new FakeClock(S);
    const b = createBalancer(upstream('u', RR, [
      '127.0.0.1:8081 max_fails=3 fail_timeout=10s', '127.0.0.1:8082 max_fails=3 fail_timeout=10s']), { clock });
    let received = 0;
    const backend: Backend = (p) => (p.name.endsWith('8081') && ++received % 3 === 0 ? CLOSE : OK);
    const answered = Array.from({ length: 30 }, () => {
      clock.advance(pauseMs);
      return send(b, backend).answeredBy;
    });
    t.equal(counts(b.peers, answered, port), '8081: 6, 8082: 24', pauseMs ? 'failures delay (0.2 s apart)' : 'failures');
    t.equal(received, 9);
  }
});

t.test('§11.12 a 404 released as NGX_PEER_NEXT still resets fails after a probe', async (t) => {
  const set = createPeerSet(upstream('u', RR, ['a max_fails=2', 'b']));
  const a = set.primary.peers[0]!;
  a.conns = 2;
  freePeer(set.primary, a, 'failed', 100);
  t.equal(a.fails, 1);
  freePeer(set.primary, a, 'ok', 100);
  t.equal(a.fails, 1, 'accessed == checked: no reset');
  a.checked = 111;
  a.conns = 1;
  freePeer(set.primary, a, 'ok', 111);
  t.equal(a.fails, 0, 'accessed < checked: reset');
});

t.test('stream_upstream.t (its round robin mirrors http): failures, backup, recovery', async (t) => {
  const clock = new FakeClock(S);
  const p = (n: number) => `127.0.0.1:${8080 + n}`;
  const refused = (name: string): Backend => (peer) => (peer.name === name ? REFUSE : OK);
  const u2 = createBalancer(upstream('u2', RR, [`${p(6)} down`, p(6), p(4), p(5)]), { clock });
  const failures = Array.from({ length: 30 }, () => send(u2, refused(p(6))).answeredBy);
  t.equal(counts(u2.peers, failures, port), '8084: 15, 8085: 15', 'failures: a down and a refused server');
  const u4 = createBalancer(upstream('u4', RR, [`${p(6)} fail_timeout=1s`, `${p(4)} backup`]), { clock });
  const backup = Array.from({ length: 30 }, () => send(u4, refused(p(6))).answeredBy);
  t.equal(counts(u4.peers, backup, port), '8084: 30', 'backup');
  clock.advance(2000);
  const recovery = Array.from({ length: 30 }, () => send(u4, () => OK).answeredBy);
  t.equal(counts(u4.peers, recovery, port), '8086: 30', 'recovery: the primary is back once fail_timeout passed');
});
