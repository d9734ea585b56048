import t from 'tap';
import { compileValue } from '../../config/variables.js';
import { argValue, compileEvaluator, cookieValue, keepEarlierUpstream, timeLocal } from './vars.js';
import type { RequestContext } from './context.js';

function ctx(over: Partial<RequestContext> & { headers?: Record<string, string> } = {}): RequestContext {
  const req = { headers: over.headers ?? {}, method: 'GET', httpVersion: '1.1' } as unknown as RequestContext['req'];
  return { req, remoteAddr: '10.0.0.9', requestUri: '/p?a=1', uri: '/p', args: 'a=1&B=two', host: 'h', upstream: null, upstreamEarlier: null, method: 'GET', captures: null, ...over } as RequestContext;
}
const ev = (text: string, c: RequestContext): string => compileEvaluator(compileValue(text))(c);

t.test('request variables', async (t) => {
  t.equal(ev('$proxy_add_x_forwarded_for', ctx()), '10.0.0.9');
  t.equal(ev('$proxy_add_x_forwarded_for', ctx({ headers: { 'x-forwarded-for': '1.2.3.4' } })), '1.2.3.4, 10.0.0.9');
  t.equal(ev('$arg_a|$arg_b|$arg_c', ctx()), '1|two|', 'argument names match case-insensitively');
  t.equal(ev('$cookie_sid', ctx({ headers: { cookie: 'a=1; sid=xyz' } })), 'xyz');
  t.equal(ev('$http_x_custom', ctx({ headers: { 'x-custom': 'v' } })), 'v');
  t.equal(ev('${uri}?$args', ctx()), '/p?a=1&B=two');
  t.equal(ev('$is_args', ctx({ args: '' })), '');
  t.equal(ev('$1-$2', ctx({ captures: ['/re/x', 're', 'x'] })), 're-x');
});

t.test('$upstream_* print one entry per attempt, `-` where none yet', async (t) => {
  const request = { attempts: 2, upstreamAddr: () => 'a, b', upstreamStatus: () => '502, 200' };
  const c = ctx({ upstream: { request, connectMs: [-1, -1], headerMs: [3, 5], responseMs: [4] } as unknown as RequestContext['upstream'] });
  t.equal(ev('$upstream_addr', c), 'a, b');
  t.equal(ev('$upstream_status', c), '502, 200');
  t.equal(ev('$upstream_response_time', c), '0.004, -');
  t.equal(ev('$upstream_connect_time', c), '-, -');
  t.equal(ev('$upstream_addr', ctx()), '', 'empty without proxying');
  // an error page that proxies again: the earlier group first, " : " between
  keepEarlierUpstream(c);
  c.upstream = { request: { attempts: 1, upstreamAddr: () => 'c', upstreamStatus: () => '200' }, connectMs: [-1], headerMs: [1], responseMs: [2] } as unknown as RequestContext['upstream'];
  t.equal(ev('$upstream_addr', c), 'a, b : c');
  t.equal(ev('$upstream_status', c), '502, 200 : 200');
  t.equal(ev('$upstream_response_time', c), '0.004, - : 0.002');
});

t.test('helpers', async (t) => {
  t.equal(argValue('x=1&y=2', 'y'), '2');
  t.equal(cookieValue('a=1;  b = 2 ', 'b'), '2');
  t.match(timeLocal(Date.UTC(2026, 10, 24, 2, 41, 7)), /^\d\d\/Nov\/2026:\d\d:41:07 [+-]\d{4}$/);
});
