/**
 * A directory served as nginx's `root` + `index` serve it (the seed's load-balance1.com and
 * load-balance2.com): GET /x/ answers x/INDEX, GET /x (a directory) redirects to /x/ with 301,
 * anything else that is not a file answers 404.
 *
 * The whole tree is read and rendered once, when the behaviour takes effect, into a map from URL
 * path to prepared response; a request is then one map lookup. Bounded (MAX_FILES, MAX_TOTAL_BYTES)
 * so a wrong root fails loudly instead of reading a disk. Must not: follow a path out of root
 * (only paths found under root are ever keys).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { LbtestError } from '../../core/errors.js';
import type { Header } from '../behaviour.js';
import { prepare, type Prepared } from './responses.js';

export const MAX_FILES = 2000;
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.ico': 'image/x-icon', '.xml': 'text/xml',
};

export interface StaticSite {
  /** The response for a request target (query string ignored, percent-escapes decoded). */
  lookup(url: string): Prepared;
}

export async function loadStaticSite(name: string, root: string, index: string, headers: readonly Header[]): Promise<StaticSite> {
  const routes = new Map<string, Prepared>();
  const notFound = prepare(name, 404, headers, Buffer.from(`404 Not Found (${name})\n`), 'text/plain; charset=utf-8');
  const budget = { files: 0, bytes: 0 };
  await walk(root, '/');

  async function walk(dir: string, urlDir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new LbtestError('BACKEND_START', `backend "${name}": cannot read static root ${dir}: ${(err as Error).message}`, { cause: err });
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const url = urlDir + entry.name;
      if (entry.isDirectory()) {
        routes.set(url, prepare(name, 301, [...headers, ['Location', encodeURI(`${url}/`)]], Buffer.alloc(0), 'text/html'));
        await walk(path, `${url}/`);
      } else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path)).isFile())) {
        const body = await readFile(path);
        budget.files += 1;
        budget.bytes += body.length;
        if (budget.files > MAX_FILES || budget.bytes > MAX_TOTAL_BYTES) {
          throw new LbtestError('BACKEND_START',
            `backend "${name}": static root ${root} holds more than ${MAX_FILES} files or ${MAX_TOTAL_BYTES} bytes`);
        }
        const prepared = prepare(name, 200, headers, body, CONTENT_TYPES[extname(entry.name).toLowerCase()] ?? 'application/octet-stream');
        routes.set(url, prepared);
        if (entry.name === index) routes.set(urlDir, prepared);
      }
    }
  }

  return {
    lookup(url: string): Prepared {
      const exact = routes.get(url);
      if (exact !== undefined) return exact;
      const q = url.indexOf('?');
      let path = q < 0 ? url : url.slice(0, q);
      if (path.includes('%')) {
        try { path = decodeURIComponent(path); } catch { return notFound; }
      }
      return routes.get(path) ?? notFound;
    },
  };
}
