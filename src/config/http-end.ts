/**
 * What nginx checks once the http block is read (ngx_http_block(): the upstream module's
 * init_main_conf, ngx_http_init_locations(), ngx_http_optimize_servers(),
 * ngx_http_variables_init_vars()), in that order: implicit upstreams resolved, every explicit
 * group holding a primary server, no duplicate prefix or exact location, conflicting server
 * names (a warning), every variable known.
 */
import { fail } from './compose.js';
import type { Composer } from './compose.js';
import type { DirectiveNode } from './parser.js';
import type { LocationBuild } from './build-types.js';
import { resolveHost } from './address.js';
import { isKnownVariable } from './variables.js';

export function endHttp(c: Composer, _d: DirectiveNode): void {
  const http = c.http!;
  for (const u of http.upstreams) {
    const at = { file: u.source.file, line: u.source.line };
    if (u.implicit) {
      if (!u.host.startsWith('unix:') && resolveHost(c, u.host) === null) fail(c, `host not found in upstream "${u.host}"`, at);
      continue;
    }
    const primaries = u.servers.filter((s) => !s.backup).reduce((n, s) => n + s.addresses.length, 0);
    if (primaries === 0) fail(c, `no servers in upstream "${u.name}"`, at);
  }
  for (const srv of http.servers) checkDuplicateLocations(c, srv.locations);
  warnConflictingNames(c);
  for (const name of http.usedVariables) {
    if (!isKnownVariable(name, http.declaredVariables)) fail(c, `unknown "${name}" variable`, null);
  }
}

function checkDuplicateLocations(c: Composer, locations: readonly LocationBuild[]): void {
  const seen = new Map<string, LocationBuild>();
  for (const loc of locations) {
    const m = loc.match;
    if (m.kind === 'exact' || m.kind === 'prefix') {
      const key = `${m.kind}\0${m.path}`;
      if (seen.has(key)) fail(c, `duplicate location "${m.path}"`, { file: loc.source.file, line: loc.source.line });
      seen.set(key, loc);
    }
    checkDuplicateLocations(c, loc.locations);
  }
}

function warnConflictingNames(c: Composer): void {
  const byAddr = new Map<string, Set<string>>();
  for (const srv of c.http!.servers) {
    const names = srv.serverNames.length === 0 ? [''] : srv.serverNames;
    const addrs = new Set(srv.listens.map((l) => l.unix !== null ? `unix:${l.unix}` : `${l.host === '*' ? '0.0.0.0' : l.host}:${l.port}`));
    for (const addr of addrs) {
      const seen = byAddr.get(addr) ?? new Set<string>();
      byAddr.set(addr, seen);
      for (const name of new Set(names)) {
        if (name.startsWith('~')) continue;
        if (seen.has(name)) c.warn(`conflicting server name "${name}" on ${addr}, ignored`, null);
        seen.add(name);
      }
    }
  }
}
