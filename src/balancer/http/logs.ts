/**
 * access_log and error_log as nginx writes them. Access lines are rendered with the log_format
 * (compiled once; `combined` built in) and escaped as nginx escapes variable values; error lines
 * carry nginx's layout: `2026/11/24 02:41:07 [error] 123#0: *5 connect() failed (111: Connection
 * refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1",
 * upstream: "http://127.0.0.1:8081/", host: "127.0.0.1:8080"`. Writes are appended through
 * buffered streams; nothing on the request path waits for the disk.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { AccessLog, ComplexValue, LogFormat, LogTarget } from '../../config/model.js';
import { compileValue } from '../../config/variables.js';
import type { RequestContext } from './context.js';
import { variableGetter } from './vars.js';

const COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
const LEVELS = ['debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'];

/** nginx's default escaping of variable values in access logs: `"`, `\`, control and 8-bit bytes as \xXX. */
function escapeDefault(v: string): string {
  // eslint-disable-next-line no-control-regex
  return /["\\\x00-\x1f\x7f-\uffff]/.test(v)
    // eslint-disable-next-line no-control-regex
    ? v.replace(/["\\\x00-\x1f\x7f-\uffff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    : v;
}

type Renderer = (ctx: RequestContext) => string;

function compileFormat(value: ComplexValue, escape: LogFormat['escape']): Renderer {
  const parts = value.parts.map((p) => {
    if (p.kind === 'text') { const t = p.text; return (): string => t; }
    const get = variableGetter(p.name);
    if (escape === 'none') return get;
    if (escape === 'json') return (ctx: RequestContext): string => JSON.stringify(get(ctx)).slice(1, -1);
    return (ctx: RequestContext): string => { const v = get(ctx); return v === '' ? '-' : escapeDefault(v); };
  });
  return (ctx) => { let s = ''; for (const p of parts) s += p(ctx); return s + '\n'; };
}

/** Open log files, shared by every location that names the same path. */
export class LogFiles {
  readonly #streams = new Map<string, WriteStream>();
  readonly #onError: (path: string, err: Error) => void;

  constructor(onError: (path: string, err: Error) => void) { this.#onError = onError; }

  stream(target: LogTarget): NodeJS.WritableStream | null {
    if (target.kind === 'off') return null;
    if (target.kind === 'stderr') return process.stderr;
    let s = this.#streams.get(target.path);
    if (s === undefined) {
      s = createWriteStream(target.path, { flags: 'a' });
      const path = target.path;
      s.on('error', (err) => { this.#streams.delete(path); this.#onError(path, err); });
      this.#streams.set(target.path, s);
    }
    return s;
  }

  close(): void {
    for (const s of this.#streams.values()) s.end();
    this.#streams.clear();
  }
}

export interface AccessLogger { log(ctx: RequestContext): void }

/** The access loggers of one location, compiled against the http block's log formats. */
export function accessLogger(logs: readonly AccessLog[], formats: ReadonlyMap<string, LogFormat>, files: LogFiles): AccessLogger {
  const sinks = logs.flatMap((l) => {
    const stream = files.stream(l.target);
    if (stream === null) return [];
    const fmt = formats.get(l.format);
    const render = compileFormat(fmt?.value ?? compileValue(COMBINED), fmt?.escape ?? 'default');
    return [{ stream, render }];
  });
  return { log: (ctx) => { for (const s of sinks) s.stream.write(s.render(ctx)); } };
}

export interface ErrorLogger {
  /** Whether a message of this level is written at all. */
  enabled(level: string): boolean;
  write(level: string, message: string, ctx?: RequestContext, upstream?: string): void;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function errorLogger(targets: readonly { target: LogTarget; level: string }[], files: LogFiles): ErrorLogger {
  const sinks = targets.flatMap((t) => {
    const stream = files.stream(t.target);
    return stream === null ? [] : [{ stream, min: LEVELS.indexOf(t.level) }];
  });
  const minLevel = Math.min(...sinks.map((s) => s.min), LEVELS.length);
  return {
    enabled: (level) => LEVELS.indexOf(level) >= minLevel,
    write(level, message, ctx, upstream) {
      const rank = LEVELS.indexOf(level);
      if (rank < minLevel) return;
      const d = new Date();
      let line = `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} [${level}] ${process.pid}#0: `;
      if (ctx !== undefined) {
        line += `*${ctx.connection} ${message}, client: ${ctx.remoteAddr}, server: ${ctx.server.serverNames[0] ?? ''}, request: "${ctx.req.method} ${ctx.requestUri} HTTP/${ctx.req.httpVersion}"`;
        if (upstream !== undefined) line += `, upstream: "${upstream}"`;
        const host = ctx.req.headers.host;
        if (host !== undefined) line += `, host: "${host}"`;
      } else {
        line += message;
      }
      line += '\n';
      for (const s of sinks) if (rank >= s.min) s.stream.write(line);
    },
  };
}
