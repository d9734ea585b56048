import t from 'tap';
import type { IncomingMessage } from 'node:http';
import { realAddress } from './realip.js';
import { parseCidr } from '../../config/cidr.js';
import type { CidrRange, RealIp } from '../../config/model.js';
import type { RequestContext } from './context.js';

const trusted = ['127.0.0.1/32', '10.0.1.0/24'].map((c) => parseCidr(c) as CidrRange);
function ctx(headers: [string, string][], peer = '127.0.0.1'): RequestContext {
  const req = { rawHeaders: headers.flat() } as unknown as IncomingMessage;
  return { req, remoteAddr: peer, realipRemoteAddr: peer } as unknown as RequestContext;
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
  t.equal(realAddress(ctx([['X-Real-IP', '192.0.2.1']], '192.0.2.99'), conf('X-Real-IP')), '192.0.2.99');
  t.equal(realAddress(ctx([['X-Real-IP', '192.0.2.1:5555']]), conf('X-Real-IP')), '192.0.2.1');
  t.equal(realAddress(ctx([['X-Real-IP', 'garbage']]), conf('X-Real-IP')), '127.0.0.1');
});
