/**
 * The directive registry: every name nginx knows, each with one spec per context family (the
 * upstream `server` and the http `server` share a name). Lookup is by name, then by context.
 */
import type { DirectiveSpec } from './spec.js';
import { CORE_DIRECTIVES } from './directives-core.js';
import { UPSTREAM_DIRECTIVES } from './directives-upstream.js';
import { PROXY_DIRECTIVES } from './directives-proxy.js';
import { IGNORED_DIRECTIVES } from './directives-ignored.js';

function registry(...tables: (readonly DirectiveSpec[])[]): ReadonlyMap<string, readonly DirectiveSpec[]> {
  const map = new Map<string, DirectiveSpec[]>();
  for (const spec of tables.flat()) {
    const list = map.get(spec.name);
    if (list === undefined) map.set(spec.name, [spec]);
    else list.push(spec);
  }
  return map;
}

export const DIRECTIVES = registry(CORE_DIRECTIVES, UPSTREAM_DIRECTIVES, PROXY_DIRECTIVES, IGNORED_DIRECTIVES);
