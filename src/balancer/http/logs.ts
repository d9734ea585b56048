/**
 * access_log and error_log as nginx writes them. Access lines are rendered with the log_format
 * (compiled once; `combined` built in) and escaped as nginx escapes variable values; error lines
 * carry nginx's layout: `2026/11/24 02:41:07 [error] 123#0: *5 connect() failed (111: Connection
 * refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET / HTTP/1.1",
 * upstream: "http://127.0.0.1:8081/", host: "127.0.0.1:8080"`.
 *
 * Access lines are gathered while the event loop handles what it was woken for and appended
 * with one write() when that is done (or at 64 KiB), as nginx's `buffer=` would with a flush per
 * loop turn. A WriteStream gave each line to the thread pool: under proxy load, 2-3 thread
 * hand-offs a request and a p99 latency several times the unlogged one. Error lines are written
 * at once, as nginx writes them: a line about a request is on disk before its answer goes out.
 */
import { EventEmitter } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
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

/** Where log lines go: a LogFile, or stderr. */
export interface LineSink {
  write(line: string): unknown;
}

/** Lines held before a write() even within one loop turn. */
const FLUSH_BYTES = 64 * 1024;

/**
 * One log file, opened for appending: write() gathers lines, flushed by one write() at the end of
 * the loop turn (setImmediate) or once 64 KiB are held; writeNow() writes them and its own at once. A failed write reports the error once and
 * drops what it held; later lines are dropped too. close() writes what is held, closes the file
 * and then emits `finish`.
 */
export class LogFile extends EventEmitter implements LineSink {
  readonly path: string;
  #fd: number | null;
  #held = '';
  #scheduled = false;
  readonly #onError: (err: Error) => void;
  readonly #flush = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(path: string, onError: (err: Error) => void) {
    super();
    this.path = path;
    this.#onError = onError;
    this.#fd = openSync(path, 'a');
  }

  write(line: string): boolean {
    if (this.#fd === null) return false;
    this.#held += line;
    if (this.#held.length >= FLUSH_BYTES) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
    return true;
  }

  /** Writes what is held, then `line`, now. */
  writeNow(line: string): void {
    if (this.#fd === null) return;
    this.#held += line;
    this.flush();
  }

  /** Writes what is held now. */
  flush(): void {
    const fd = this.#fd;
    if (fd === null || this.#held === '') return;
    const data = this.#held;
    this.#held = '';
    try {
      writeSync(fd, data);
    } catch (err) {
      this.#fd = null;
      try { closeSync(fd); } catch { /* already failing */ }
      this.#onError(err as Error);
    }
  }

  close(): void {
    this.flush();
    const fd = this.#fd;
    this.#fd = null;
    if (fd !== null) {
      try { closeSync(fd); } catch (err) { this.#onError(err as Error); }
    }
    process.nextTick(() => this.emit('finish'));
  }
}

/** Open log files, shared by every location that names the same path. */
export class LogFiles {
  readonly #files = new Map<string, LogFile>();
  readonly #onError: (path: string, err: Error) => void;

  constructor(onError: (path: string, err: Error) => void) { this.#onError = onError; }

  stream(target: LogTarget): LineSink | null {
    if (target.kind === 'off') return null;
    if (target.kind === 'stderr') return process.stderr;
    let f = this.#files.get(target.path);
    if (f === undefined) {
      const path = target.path;
      const onError = (err: Error): void => { this.#files.delete(path); this.#onError(path, err); };
      try {
        f = new LogFile(path, onError);
      } catch (err) {
        onError(err as Error);
        return null;
      }
      this.#files.set(path, f);
    }
    return f;
  }

  close(): void {
    for (const f of this.#files.values()) f.close();
    this.#files.clear();
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
    if (stream === null) return [];
    const put = stream instanceof LogFile ? (line: string): void => stream.writeNow(line) : (line: string): unknown => stream.write(line);
    return [{ put, min: LEVELS.indexOf(t.level) }];
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
      for (const s of sinks) if (rank >= s.min) s.put(line);
    },
  };
}
