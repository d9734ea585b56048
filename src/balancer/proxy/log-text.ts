/**
 * nginx's error-log wording for upstream I/O, built from a Node socket error. The text is what
 * nginx 1.22 prints without the `, client: ..., server: ...` suffix:
 *
 *   connect() failed (111: Connection refused) while connecting to upstream      (TCP, via SO_ERROR)
 *   connect() to unix:/tmp/s failed (2: No such file or directory) while ...     (failed at once)
 *   recv() failed (104: Connection reset by peer) while reading response header from upstream
 *   writev() failed (32: Broken pipe) while sending request to upstream
 *   readv() failed (104: Connection reset by peer) while reading upstream        (buffered body)
 *   upstream timed out (110: Connection timed out) while <action>
 *
 * Levels: ngx_connection_error() logs the network errnos at `error` and anything else at
 * `alert`; ngx_event_connect_peer() logs an immediate connect() failure at `error` for the
 * network errnos (and EAGAIN, a full unix backlog) and at `crit` otherwise.
 * Errno numbers and texts are Linux's (glibc strerror), as nginx on Linux prints them.
 * Must not: allocate on a success path (everything here runs only when an attempt fails).
 */
import type { PeerAddress } from '../../config/model.js';
import type { LogLevel } from './exchange-types.js';

/** c->log->action while the attempt is in that phase. */
export type Action =
  | 'connecting to upstream'
  | 'sending request to upstream'
  | 'reading response header from upstream'
  | 'reading upstream';

/** Linux errno numbers and glibc's strerror text for every errno a socket can report. */
const ERRNO: Readonly<Record<string, readonly [number, string]>> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EINTR: [4, 'Interrupted system call'],
  EIO: [5, 'Input/output error'],
  EBADF: [9, 'Bad file descriptor'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Cannot allocate memory'],
  EACCES: [13, 'Permission denied'],
  ENOTDIR: [20, 'Not a directory'],
  EINVAL: [22, 'Invalid argument'],
  ENFILE: [23, 'Too many open files in system'],
  EMFILE: [24, 'Too many open files'],
  EPIPE: [32, 'Broken pipe'],
  ENAMETOOLONG: [36, 'File name too long'],
  ELOOP: [40, 'Too many levels of symbolic links'],
  ENOTSOCK: [88, 'Socket operation on non-socket'],
  EPROTOTYPE: [91, 'Protocol wrong type for socket'],
  EAFNOSUPPORT: [97, 'Address family not supported by protocol'],
  EADDRINUSE: [98, 'Address already in use'],
  EADDRNOTAVAIL: [99, 'Cannot assign requested address'],
  ENETDOWN: [100, 'Network is down'],
  ENETUNREACH: [101, 'Network is unreachable'],
  ENETRESET: [102, 'Network dropped connection on reset'],
  ECONNABORTED: [103, 'Software caused connection abort'],
  ECONNRESET: [104, 'Connection reset by peer'],
  ENOBUFS: [105, 'No buffer space available'],
  ENOTCONN: [107, 'Transport endpoint is not connected'],
  ETIMEDOUT: [110, 'Connection timed out'],
  ECONNREFUSED: [111, 'Connection refused'],
  EHOSTDOWN: [112, 'Host is down'],
  EHOSTUNREACH: [113, 'No route to host'],
};

/** ngx_connection_error(): these are `error`, the rest `alert`. */
const NETWORK_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ENOTCONN', 'ETIMEDOUT', 'ECONNREFUSED',
  'ENETDOWN', 'ENETUNREACH', 'EHOSTDOWN', 'EHOSTUNREACH']);

/** ngx_event_connect_peer(), connect() returning an error at once: these are `error`, the rest `crit`. */
const CONNECT_ERR_ERRNOS = new Set(['ECONNREFUSED', 'EAGAIN', 'ECONNRESET', 'ENETDOWN', 'ENETUNREACH',
  'EHOSTDOWN', 'EHOSTUNREACH']);

/**
 * On Linux a non-blocking TCP connect() reports these later, through SO_ERROR
 * (ngx_http_upstream_test_connect: `connect() failed`); others fail the call itself
 * (`connect() to <peer> failed`). A unix-socket connect() always completes or fails at once.
 */
const TCP_LATE_ERRNOS = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'EHOSTDOWN',
  'ENETDOWN']);

export interface LogLine {
  readonly log: string;
  readonly level: LogLevel;
}

/** `(111: Connection refused)` for a Node error; unknown codes keep the code as text. */
export function errnoText(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  const known = ERRNO[code];
  if (known !== undefined) return `(${known[0]}: ${known[1]})`;
  const n = typeof err.errno === 'number' ? Math.abs(err.errno) : 0;
  return `(${n}: ${code === '' ? err.message : code})`;
}

function networkLevel(err: NodeJS.ErrnoException): LogLevel {
  return NETWORK_ERRNOS.has(err.code ?? '') ? 'error' : 'alert';
}

/** A failed connect(), worded by where Linux reports it. */
export function connectFailed(peer: PeerAddress, err: NodeJS.ErrnoException): LogLine {
  const code = err.code ?? '';
  if (peer.kind === 'tcp' && TCP_LATE_ERRNOS.has(code)) {
    return { log: `connect() failed ${errnoText(err)} while connecting to upstream`, level: networkLevel(err) };
  }
  return {
    log: `connect() to ${peer.name} failed ${errnoText(err)} while connecting to upstream`,
    level: CONNECT_ERR_ERRNOS.has(code) ? 'error' : 'crit',
  };
}

/** A failed recv()/readv()/writev() on an established connection. */
export function ioFailed(call: 'recv()' | 'readv()' | 'writev()', err: NodeJS.ErrnoException, action: Action): LogLine {
  return { log: `${call} failed ${errnoText(err)} while ${action}`, level: networkLevel(err) };
}

/** ngx_http_upstream_next(FT_TIMEOUT) and the pipe's read timeout. */
export function timedOut(action: Action): LogLine {
  return { log: `upstream timed out (110: Connection timed out) while ${action}`, level: 'error' };
}

/** recv() returned 0 before the response was complete. */
export function prematurelyClosed(action: Action): LogLine {
  return { log: `upstream prematurely closed connection while ${action}`, level: 'error' };
}

export const TOO_BIG_HEADER: LogLine = {
  log: 'upstream sent too big header while reading response header from upstream', level: 'error',
};

export const NO_VALID_HEADER: LogLine = {
  log: 'upstream sent no valid HTTP/1.0 header while reading response header from upstream', level: 'error',
};

export const INVALID_CHUNKED: LogLine = { log: 'upstream sent invalid chunked response while reading upstream', level: 'error' };

export const MORE_THAN_LENGTH: LogLine = {
  log: 'upstream sent more data than specified in "Content-Length" header while reading upstream', level: 'warn',
};

export const DATA_AFTER_FINAL_CHUNK: LogLine = { log: 'upstream sent data after final chunk while reading upstream', level: 'warn' };

/** ngx_http_upstream_check_broken_connection() on Linux (epoll with EPOLLRDHUP). */
export function clientClosed(action: Action): LogLine {
  return {
    log: `epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while ${action}`,
    level: 'info',
  };
}

/** The client's request body stream failed while it was being passed on. */
export const CLIENT_BODY_FAILED: LogLine = { log: 'client prematurely closed connection while sending request to upstream', level: 'info' };

/**
 * ngx_http_proxy_process_header(): `upstream sent invalid header: "<line so far>\x<byte>..."`,
 * the line from its first byte up to the offending one, then that byte in lowercase hex.
 */
export function invalidHeader(line: string, byte: number): LogLine {
  const hex = byte.toString(16).padStart(2, '0');
  return { log: `upstream sent invalid header: "${line}\\x${hex}..." while reading response header from upstream`, level: 'error' };
}
