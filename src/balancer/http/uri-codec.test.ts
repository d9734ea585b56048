/**
 * nginx's URI helpers as its C does them (ngx_http_parse.c, ngx_string.c in 1.22): what an
 * X-Accel-Redirect may name, how a %-sequence is decoded (broken ones included), and what
 * NGX_ESCAPE_URI escapes. The common cases also run through real nginx in
 * differential-accel-redirect.test.ts.
 */
import t from 'tap';
import { escapeUri, parseUnsafeUri, unescapeUri } from './uri-codec.js';

t.test('parseUnsafeUri: split at the first ?, decoded, and checked for climbing', async (t) => {
  t.same(parseUnsafeUri('/a/b.txt'), { path: '/a/b.txt', args: '' });
  t.same(parseUnsafeUri('/a?x=1?y=%41'), { path: '/a', args: 'x=1?y=%41' }, 'arguments stay encoded');
  t.same(parseUnsafeUri('/a%20b/%2Fc'), { path: '/a b//c', args: '' });
  t.same(parseUnsafeUri('/a/..b/c..'), { path: '/a/..b/c..', args: '' }, 'dots inside a segment are fine');
  t.same(parseUnsafeUri('/a/?x=/../'), { path: '/a/', args: 'x=/../' }, 'dots in the arguments are not looked at');
  t.same(parseUnsafeUri('/a/..?x'), { path: '/a/..', args: 'x' }, 'nginx\'s first pass sees `..?`, not `..` at the end: safe');
  t.same(parseUnsafeUri('..?x'), { path: '..', args: 'x' }, 'and at the start');
  for (const bad of ['', '?x', '..', '../a', '/a/..', '/a/../b', '/a/%2e%2e/b', '/a/%2E%2E', '%2e%2e/a', '/a%00b']) {
    t.ok('unsafe' in parseUnsafeUri(bad), `unsafe: ${JSON.stringify(bad)}`);
  }
  t.same(parseUnsafeUri('/x/%2e%2e/y?q'), { unsafe: '/x/../y' }, 'found after decoding: the decoded path is named');
  t.same(parseUnsafeUri('/x/../y?q'), { unsafe: '/x/../y?q' }, 'found before: the whole value');
});

t.test('unescapeUri: ngx_unescape_uri with its handling of broken sequences', async (t) => {
  t.equal(unescapeUri('%41%62c'), 'Abc');
  t.equal(unescapeUri('a%zzb'), 'azzb', '% then a non-hex: the % is dropped');
  t.equal(unescapeUri('a%4zb'), 'azb', '% and one hex digit then a non-hex: both dropped');
  t.equal(unescapeUri('ab%'), 'ab', 'a trailing % is dropped');
  t.equal(unescapeUri('ab%4'), 'ab', 'and a trailing % with one digit');
});

t.test('escapeUri: NGX_ESCAPE_URI', async (t) => {
  t.equal(escapeUri('/plain/path-_.~!$&\'()*+,;=:@[]'), '/plain/path-_.~!$&\'()*+,;=:@[]', 'nothing to escape: unchanged');
  t.equal(escapeUri('/a b#c%d?e"f<g>h\\i^j`k{l|m}n'), '/a%20b%23c%25d%3Fe%22f%3Cg%3Eh%5Ci%5Ej%60k%7Bl%7Cm%7Dn');
  t.equal(escapeUri('/\x01\x7f\xe9'), '/%01%7F%E9', 'controls, DEL and bytes above it, as single bytes');
});
