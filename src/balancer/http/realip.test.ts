import t from 'tap';
import type { IncomingMessage } from 'node:http';
import { applyRealip, realAddress } from './realip.js';
import { parseCidr } from '../../config/cidr.js';
import type { CidrRange, RealIp } from '../../config/model.js';
import type { RequestContext } from './context.js';

const trusted = ['127.0.0.1/32', '10.0.1.0/24'].map((c) => parseCidr(c) as CidrRange);
function ctx(headers: [string, string][], peer = '127.0.0.1'): RequestContext {
  const req = { rawHeaders: headers.flat() } as unknown as IncomingMessage;
  return { req, remoteAddr: peer, realipRemoteAddr: peer, realipSet: false } as unknown as RequestContext;
}
const conf = (header: string, recursive = false): RealIp => ({ from: trusted, header, recursive });

t.test("nginx-tests realip.t cards", async (t) => {
  t.equal(realAddress(ctx([['X-Real-IP', '192.0.2.1']]), conf('X-Real-IP')), '192.0.2.1');
  t.equal(realAddress(ctx([['X-Forwarded-For', '10.0.0.1, 192.0.2.1']]), conf('X-Forwarded-For')), '192.0.2.1');
  t.equal(realAddress(ctx([['X-Forwarded-For', '192.0.2.1, 10.0.1.1, 127.0.0.1']]), conf('X-Forwarded-For')), '127.0.0.1');
  t.equal(realAddress(ctx([['X-Forwarded-For', '10.0.1.1, 192.0.2.1, 127.0.0.1']]), conf('X-Forwarded-For', true)), '192.0.2.1');
  t.equal(realAddress(ctx([['X-Forwarded-For', '192.0.2.1'], ['X-Forwarded-For', '127.0.0.1, 10.0.1.1']]), conf('X-Forwarded-For')), '10.0.1.1');
  t.equal(realAddress(ctx([['X-Forwarded-For', '10.0.1.1'], ['X-Forwarded-For', '192.0.2.1'], ['X-Forwarded-For', '127.0.0.1']]), conf('X-Forwarded-For', true)), '192.0.2.1');
});

t.test('an untrusted peer keeps its own address; a port after X-Real-IP is allowed', async (t) => {
  t.equal(realAddress(ctx([['X-Real-IP', '192.0.2.1']], '192.0.2.99'), conf('X-Real-IP')), null, 'untrusted: nothing applies');
  t.equal(realAddress(ctx([['X-Real-IP', '192.0.2.1:5555']]), conf('X-Real-IP')), '192.0.2.1');
  t.equal(realAddress(ctx([['X-Real-IP', 'garbage']]), conf('X-Real-IP')), null, 'no address: nothing applies');
  const untrusted = ctx([['X-Real-IP', '192.0.2.1']], '192.0.2.99');
  applyRealip(untrusted, conf('X-Real-IP'));
  t.same([untrusted.remoteAddr, untrusted.realipSet], ['192.0.2.99', false]);
});

t.test('realip sets an address once: a later phase with other settings leaves it', async (t) => {
  const c = ctx([['X-Real-IP', '192.0.2.1'], ['X-Forwarded-For', '198.51.100.7']]);
  applyRealip(c, conf('X-Forwarded-For', false));
  t.same([c.remoteAddr, c.realipSet], ['198.51.100.7', true]);
  applyRealip(c, conf('X-Real-IP'));
  t.equal(c.remoteAddr, '198.51.100.7', 'not applied again');
  const none = ctx([['X-Forwarded-For', '198.51.100.7']]);
  applyRealip(none, conf('X-Real-IP'));
  t.same([none.remoteAddr, none.realipSet], ['127.0.0.1', false], 'no X-Real-IP: nothing set');
  applyRealip(none, conf('X-Forwarded-For'));
  t.same([none.remoteAddr, none.realipSet], ['198.51.100.7', true], 'so the next phase may apply');
});
