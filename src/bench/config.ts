/**
 * The nginx configuration a bench runs: the default one (an upstream of `ok` backends, keep-alive
 * on both sides) or the user's, with the suites' placeholders — {{listen}} for the balancer's
 * address, {{NAME}} for backend NAME's (every name used starts an `ok` backend).
 *
 * The bench owns the main context's process directives: `daemon`, `master_process`, `pid` and
 * (when --workers is given) `worker_processes` are taken out and set again, so that the pid file
 * lands where readiness is watched (logs/nginx.pid under the prefix) and lbtest and nginx run the
 * same number of workers. Everything else is passed as written, to lbtest and to nginx alike.
 */
import { render, LISTEN } from '../suite/template.js';
import { availableParallelism } from 'node:os';
import { LbtestError } from '../core/errors.js';

/**
 * The default: what the goals are measured on. `keepalive_requests` is raised on the client
 * side because nginx's default (1000) closes every client connection after 1000 requests, which
 * the bench would count as connections closed mid-run.
 */
export function defaultConfig(backends: number): string {
  const names = backendNames(backends);
  return `# lbtest bench: ${backends} ok backend(s), keep-alive on both sides
worker_processes 1;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream app {
${names.map((n) => `    server {{${n}}};`).join('\n')}
    keepalive 32;
  }
  server {
    listen {{listen}};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** a, b, ... z, b1, ... : backend names for the default configuration. */
export function backendNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i < 26 ? String.fromCharCode(97 + i) : `b${i - 25}`));
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9][A-Za-z0-9_-]*)(?:\.(?:port|host))?\s*\}\}/g;

/** Backend names a configuration's placeholders use, in order of first use. */
export function placeholderBackends(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (m[1] !== LISTEN && !names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

const OWNED = /^[ \t]*(daemon|master_process|pid)\b[^;]*;[ \t]*$/gm;
const WORKERS = /^[ \t]*worker_processes\b[^;]*;[ \t]*$/gm;

/** The configured worker_processes (`auto`: the cores available), or null when absent. */
export function configuredWorkers(text: string): number | null {
  const m = /^[ \t]*worker_processes\s+(\d+|auto)\s*;/m.exec(text);
  return m === null ? null : m[1] === 'auto' ? availableParallelism() : Number(m[1]);
}

export interface Placed {
  readonly listenPort: number;
  readonly backends: ReadonlyMap<string, number>;
  /** null: as the configuration says. */
  readonly workers: number | null;
}

/** The text a balancer gets: placeholders filled, process directives owned by the bench. */
export function placeConfig(text: string, at: Placed): string {
  const backends = new Map([...at.backends].map(([n, port]) => [n, { host: '127.0.0.1', port }]));
  const r = render(text, { listen: { host: '127.0.0.1', port: at.listenPort }, backends });
  if (r.unknown.length > 0) {
    const u = r.unknown[0]!;
    throw new LbtestError('USAGE', `bench configuration: unknown placeholder {{${u.name}}} at line ${u.line}`);
  }
  let out = r.text.replace(OWNED, '');
  const head = ['pid logs/nginx.pid;'];
  if (at.workers !== null) {
    out = out.replace(WORKERS, '');
    head.push(`worker_processes ${at.workers};`);
  }
  if (!/^error_log\b/m.test(out)) head.push('error_log logs/error.log warn;');
  // on the first line, so that nginx's line numbers stay the file's
  return `${head.join(' ')} ${out}`;
}
