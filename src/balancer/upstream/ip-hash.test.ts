import t from 'tap';
import { FakeClock } from '../../core/clock.js';
import { createBalancer } from './balancer.js';
import { ipHashKey } from './client-address.js';
import { IP_HASH, upstream } from './testing.js';
import { OK, REFUSE, counts, port, send } from './simulate.js';

const PORTS = ['127.0.0.1:8081', '127.0.0.1:8082', '127.0.0.1:8083', '127.0.0.1:8084'];

function serverNumber(servers: string[], clientAddress: string | null): number {
  const b = createBalancer(upstream('u', IP_HASH, servers));
  const name = send(b, () => OK, { clientAddress }).answeredBy!;
  return servers.findIndex((s) => s.split(' ')[0] === name) + 1;
}

t.test('NGINX-UPSTREAM §4.3: client address -> 1-based server, for 2, 3, 4 servers and 3 with #3 down', async (t) => {
  const columns = [PORTS.slice(0, 2), PORTS.slice(0, 3), PORTS, [PORTS[0]!, PORTS[1]!, `${PORTS[2]} down`]];
  const rows: [string, number[]][] = [
    ['127.0.0.1', [1, 3, 1, 2]],
    ['127.0.0.2', [1, 3, 1, 2]],
    ['127.0.0.77', [1, 3, 1, 2]],
    ['10.0.0.1', [2, 1, 2, 1]],
    ['10.0.0.99', [2, 1, 2, 1]],
    ['192.168.1.10', [1, 2, 3, 2]],
    ['192.168.2.10', [2, 3, 4, 1]],
    ['172.16.5.4', [1, 2, 3, 2]],
    ['8.8.8.8', [2, 3, 4, 2]],
    ['2001:db8::1', [1, 3, 1, 1]],
    ['::1', [2, 3, 2, 1]],
    ['::2', [1, 1, 3, 1]],
  ];
  for (const [address, expected] of rows) {
    t.same(columns.map((servers) => serverNumber(servers, address)), expected, address);
  }
});

t.test('§4.3 closed form: 127.0.X.Y goes to server (4040 + X) % n, whatever Y', async (t) => {
  const servers = Array.from({ length: 7 }, (_, i) => `127.0.0.1:${9001 + i}`);
  const b = createBalancer(upstream('u', IP_HASH, servers));
  const got = Array.from({ length: 256 }, (_, x) => send(b, () => OK, { clientAddress: `127.0.${x}.${255 - x}` }).answeredBy);
  t.same(got, Array.from({ length: 256 }, (_, x) => servers[(4040 + x) % 7]));
});

t.test('upstream_ip_hash.t: X-Real-IP 127.0.i.2 for i = 1..30', async (t) => {
  const series = (n: number) => {
    const b = createBalancer(upstream('u', IP_HASH, PORTS.slice(0, n)));
    return Array.from({ length: 30 }, (_, i) => send(b, () => OK, { clientAddress: `127.0.${i + 1}.2` }).answeredBy);
  };
  const two = series(2);
  t.equal(counts(createBalancer(upstream('u', IP_HASH, PORTS.slice(0, 2))).peers, two, port), '8081: 15, 8082: 15');
  t.same(two.slice(0, 4).map((n) => port(n!)), ['8082', '8081', '8082', '8081'], 'alternating, server 2 first');
  const three = series(3);
  t.equal(counts(createBalancer(upstream('u', IP_HASH, PORTS.slice(0, 3))).peers, three, port), '8081: 10, 8082: 10, 8083: 10');
  t.same(three.slice(0, 6).map((n) => port(n!)), ['8081', '8082', '8083', '8081', '8082', '8083']);
  const one = series(1);
  t.equal(counts(createBalancer(upstream('u', IP_HASH, PORTS.slice(0, 1))).peers, one, port), '8081: 30', 'single server');
});

t.test('upstream_ip_hash_ipv6.t: X-Real-IP ::<i> for i = 1..30 gives 15/15; unix clients all go to one server', async (t) => {
  const b = createBalancer(upstream('u', IP_HASH, PORTS.slice(0, 2)));
  const six = Array.from({ length: 30 }, (_, i) => send(b, () => OK, { clientAddress: `::${i + 1}` }).answeredBy);
  t.equal(counts(b.peers, six, port), '8081: 15, 8082: 15');
  const unix = Array.from({ length: 30 }, () => send(b, () => OK, { clientAddress: null }).answeredBy);
  t.equal(new Set(unix).size, 1);
  t.same(new Set(Array.from({ length: 5 }, () => send(b, () => OK, { clientAddress: 'unix:' }).answeredBy)), new Set(unix));
});

t.test('§11.1 only the first three IPv4 octets matter', async (t) => {
  for (const n of [2, 3]) {
    const got = new Set(Array.from({ length: 255 }, (_, i) => serverNumber(PORTS.slice(0, n), `127.0.0.${i + 1}`)));
    t.same([...got], [n === 2 ? 1 : 3], `${n} servers: every loopback client on one server`);
  }
});

t.test('§4.2 a failed candidate re-folds the hash; the hash carries over to the next attempt', async (t) => {
  const b = createBalancer(upstream('u', IP_HASH, PORTS.slice(0, 3)), { clock: new FakeClock() });
  const ex = send(b, (p) => (p.name === '127.0.0.1:8083' ? REFUSE : OK), { clientAddress: '127.0.0.1' });
  t.equal(ex.upstreamAddr, '127.0.0.1:8083, 127.0.0.1:8082', '4040 -> 8083 (tried); 5510 -> 8083 again; 4957 -> 8082');
  t.same(Array.from({ length: 3 }, () => send(b, () => OK, { clientAddress: '127.0.0.1' }).answeredBy),
    Array(3).fill('127.0.0.1:8082'), 'while 8083 is out, its clients stay on the rehashed server');
});

t.test('§3.1 / §11.18 backup declared before ip_hash: used after 20 failed probes via round robin', async (t) => {
  const b = createBalancer(upstream('u', IP_HASH, ['127.0.0.1:18088', '127.0.0.1:18089', '127.0.0.1:18082 backup']),
    { clock: new FakeClock() });
  const ex = send(b, (p) => (p.name === '127.0.0.1:18082' ? OK : REFUSE), { clientAddress: '127.0.0.1' });
  t.same([ex.upstreamAddr, ex.upstreamStatus, ex.status],
    ['127.0.0.1:18088, 127.0.0.1:18089, 127.0.0.1:18082', '502, 502, 200', 200]);
});

t.test('ipHashKey: bytes nginx hashes for each address family', async (t) => {
  const buf = new Uint8Array(16);
  const key = (a: string | null) => { const n = ipHashKey(a, buf); return Array.from(buf.subarray(0, n)).join('.'); };
  t.equal(key('192.168.1.10'), '192.168.1');
  t.equal(key('::1'), '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1');
  t.equal(key('::10'), '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.16', '::10 is hex');
  t.equal(key('2001:db8::1'), '32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1');
  t.equal(key('::ffff:1.2.3.4'), '0.0.0.0.0.0.0.0.0.0.255.255.1.2.3.4', 'IPv4-mapped stays IPv6');
  t.equal(key('[fe80::1%eth0]'), '254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1');
  t.equal(key('1:2:3:4:5:6:7::'), '0.1.0.2.0.3.0.4.0.5.0.6.0.7.0.0');
  for (const other of [null, '', 'unix:', 'unix:/tmp/s', 'not-an-ip', '1.2.3', '1.2.3.256', 'a::b::c', ':::', '12345::']) {
    t.equal(key(other), '0.0.0', `${other} -> pseudo-address`);
  }
});

t.test('§11.2 ip_hash hashes the address it is given: the proxy passes the realip-rewritten one', async (t) => {
  const servers = PORTS.slice(0, 4);
  t.equal(serverNumber(servers, '127.0.0.1'), 1, 'the TCP peer');
  t.equal(serverNumber(servers, '192.168.2.10'), 4, 'X-Real-IP: 192.168.2.10 from a trusted peer');
});
