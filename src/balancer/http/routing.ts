/**
 * Which server and which location a request gets, as nginx decides it:
 * - server: among the servers listening on the connection's address, the one whose server_name
 *   matches Host (exact, then leading `*.` wildcard longest first, then trailing `.*`, then
 *   regexes in order), else the address's default server (default_server, or the first);
 * - location (ngx_http_core_find_location): `=` exact wins at once; otherwise the longest prefix,
 *   searched again inside it for nested locations; `^~` stops there; otherwise regexes of the
 *   inner level first, then of the enclosing level, first match in config order wins.
 * Tables are built once per configuration; a lookup allocates nothing but the regex match.
 */
import type { Listen, Location, VirtualServer } from '../../config/model.js';

interface LevelTable {
  readonly exact: ReadonlyMap<string, LocationNode>;
  /** Prefix locations, longest first. */
  readonly prefixes: readonly LocationNode[];
  readonly regexes: readonly { readonly re: RegExp; readonly node: LocationNode }[];
}

export interface LocationNode {
  readonly location: Location;
  readonly inner: LevelTable | null;
}

function table(locations: readonly Location[]): LevelTable | null {
  if (locations.length === 0) return null;
  const exact = new Map<string, LocationNode>();
  const prefixes: LocationNode[] = [];
  const regexes: { re: RegExp; node: LocationNode }[] = [];
  for (const loc of locations) {
    const node: LocationNode = { location: loc, inner: table(loc.locations) };
    const m = loc.match;
    if (m.kind === 'exact') exact.set(m.path, node);
    else if (m.kind === 'prefix') prefixes.push(node);
    else if (m.kind === 'regex') regexes.push({ re: new RegExp(m.pattern, m.caseless ? 'i' : ''), node });
  }
  prefixes.sort((a, b) => pathOf(b).length - pathOf(a).length);
  return { exact, prefixes, regexes };
}

const pathOf = (n: LocationNode): string => (n.location.match.kind === 'prefix' ? n.location.match.path : '');

export interface LocationMatchResult {
  readonly location: Location | null;
  /** nginx's auto_redirect: `/api` to a `/api/` proxy location gets a 301 to `/api/`. */
  readonly redirectTo: string | null;
  /** $1..$9 of the regex location that matched last. */
  readonly captures: readonly string[] | null;
}

const NONE: LocationMatchResult = { location: null, redirectTo: null, captures: null };

export class LocationMatcher {
  readonly #root: LevelTable | null;
  constructor(locations: readonly Location[]) { this.#root = table(locations); }

  match(uri: string): LocationMatchResult {
    if (this.#root === null) return NONE;
    const found = find(this.#root, uri);
    if (found.redirect !== null) return { location: null, redirectTo: found.redirect, captures: null };
    return found.node === null ? NONE : { location: found.node.location, redirectTo: null, captures: found.captures };
  }
}

interface Found { node: LocationNode | null; final: boolean; redirect: string | null; captures: string[] | null }

function find(level: LevelTable, uri: string): Found {
  const exact = level.exact.get(uri);
  if (exact !== undefined) return { node: exact, final: true, redirect: null, captures: null };
  let best: LocationNode | null = null;
  let redirect: string | null = null;
  for (const p of level.prefixes) {
    const path = pathOf(p);
    if (uri.startsWith(path)) { best = p; break; }
    if (redirect === null && path.endsWith('/') && path.length === uri.length + 1 && path.startsWith(uri) && p.location.proxyPass !== null) {
      redirect = path;
    }
  }
  if (redirect !== null && (best === null || pathOf(best).length < uri.length)) return { node: null, final: true, redirect, captures: null };
  let noRegex = false;
  if (best !== null) {
    const m = best.location.match;
    noRegex = m.kind === 'prefix' && m.noRegex;
    if (best.inner !== null) {
      const inner = find(best.inner, uri);
      if (inner.final) return inner;
      if (inner.node !== null) best = inner.node;
    }
    if (noRegex) return { node: best, final: true, redirect: null, captures: null };
  }
  for (const r of level.regexes) {
    const m = r.re.exec(uri);
    if (m !== null) {
      const captures = m.map((c) => c ?? '');
      if (r.node.inner !== null) {
        const inner = find(r.node.inner, uri);
        if (inner.node !== null) return { node: inner.node, final: true, redirect: null, captures: inner.captures ?? captures };
      }
      return { node: r.node, final: true, redirect: null, captures };
    }
  }
  return { node: best, final: false, redirect: null, captures: null };
}

/** The servers on one listening address and how Host picks among them. */
export class ServerSelector {
  readonly #exact = new Map<string, VirtualServer>();
  readonly #leading: { suffix: string; server: VirtualServer }[] = [];
  readonly #trailing: { prefix: string; server: VirtualServer }[] = [];
  readonly #regex: { re: RegExp; server: VirtualServer }[] = [];
  readonly defaultServer: VirtualServer;

  constructor(servers: readonly VirtualServer[], listen: (s: VirtualServer) => Listen | undefined) {
    this.defaultServer = servers.find((s) => listen(s)?.defaultServer === true) ?? servers[0]!;
    for (const s of servers) {
      for (const name of s.serverNames) {
        if (name.startsWith('~')) this.#regex.push({ re: new RegExp(name.slice(1), 'i'), server: s });
        else if (name.startsWith('*.')) this.#leading.push({ suffix: name.slice(1), server: s });
        else if (name.startsWith('.')) { this.#leading.push({ suffix: name, server: s }); if (!this.#exact.has(name.slice(1))) this.#exact.set(name.slice(1), s); }
        else if (name.endsWith('.*')) this.#trailing.push({ prefix: name.slice(0, -1), server: s });
        else if (!this.#exact.has(name)) this.#exact.set(name, s);
      }
    }
    this.#leading.sort((a, b) => b.suffix.length - a.suffix.length);
    this.#trailing.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  select(host: string): VirtualServer {
    if (host === '') return this.defaultServer;
    const exact = this.#exact.get(host);
    if (exact !== undefined) return exact;
    for (const l of this.#leading) if (host.endsWith(l.suffix)) return l.server;
    for (const t of this.#trailing) if (host.startsWith(t.prefix)) return t.server;
    for (const r of this.#regex) if (r.re.test(host)) return r.server;
    return this.defaultServer;
  }
}

/**
 * nginx's URI normalisation (ngx_http_parse_complex_uri): %XX decoded, `//` merged, `.` and `..`
 * segments resolved. Returns null for a URI that climbs above the root (a 400 in nginx).
 */
export function normalizeUri(path: string): string | null {
  let decoded = path;
  if (path.includes('%')) {
    try { decoded = decodeURIComponent(path.replace(/%(?![0-9a-fA-F]{2})/g, '%25')); } catch { return null; }
  }
  if (!decoded.includes('//') && !decoded.includes('/.')) return decoded;
  const out: string[] = [];
  const segments = decoded.split('/');
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (seg === '' && !last) continue;
    if (seg === '.') { if (last) out.push(''); continue; }
    if (seg === '..') {
      if (out.length === 0) return null;
      out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(seg);
  }
  return '/' + out.join('/');
}
