/**
 * Socket reads into one buffer for the whole process (node:net's `onread`), instead of a fresh
 * 64 KiB allocation per read, shrunk by realloc() and pushed through the socket's Readable.
 * Profiled under keep-alive proxy load: that path (allocator, ArrayBuffer bookkeeping, stream
 * push) cost ~5% of the balancer's CPU on each side of it.
 *
 *   connect({ host, port, onread: SHARED_READS })    a client socket
 *   acceptWithSharedReads(server)                    the sockets a listening server accepts
 *   readDirect(socket, reader)                       their data to one function, past emit()
 *
 * A reader given to readDirect() gets the shared buffer itself, borrowed for the call: it parses
 * what it can where it was read and copies only what it keeps (keep()). `data` events still carry
 * chunks their listener owns (a copy), and pause()/resume() still stop and start reading.
 */
import { Socket, type OnReadOpts, type Server } from 'node:net';
import { getSystemErrorName } from 'node:util';
import { atEvent } from './event-time.js';

const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

const READER = Symbol('lbtest.reader');

/** Gets `len` bytes at the start of `data`, which is only lent for the call. */
export type Reader = (data: Buffer, len: number) => void;

interface WithReader {
  [READER]?: Reader;
}

function onRead(this: Socket, bytes: number, buf: Buffer): boolean {
  const reader = (this as WithReader)[READER];
  // the clock is read once for all the read's handling (event-time.ts)
  if (reader !== undefined) atEvent(reader, buf, bytes);
  else this.emit('data', keep(buf, 0, bytes));
  return true;
}

/** A copy of `data`'s bytes [start, end), the caller's own. */
export function keep(data: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe(end - start);
  data.copy(out, 0, start, end);
  return out;
}

/**
 * `reader` gets the socket's data: called directly, with the shared buffer lent, on a socket that
 * reads with SHARED_READS (emit() looked its listener up in a megamorphic property load, ~1% of
 * the balancer's CPU; a copy per read cost ~2% more); through a `data` listener, with the
 * listener's own chunk, otherwise. One reader per socket.
 */
export function readDirect(socket: Socket, reader: Reader): void {
  (socket as WithReader)[READER] = reader;
  socket.on('data', (chunk: Buffer) => reader(chunk, chunk.length));
}

export const SHARED_READS: OnReadOpts = { buffer: READ_BUFFER, callback: onRead };

/** What node:net keeps of a server and its sockets, not in its public types. */
interface ServerInternals {
  _handle: { onconnection?: unknown } | null;
  _connections: number;
  allowHalfOpen?: boolean;
}
interface SocketInternals {
  server: unknown;
  _server: unknown;
}

/**
 * Makes a listening server build the sockets it accepts with SHARED_READS. node:net has no
 * `onread` for them, so the listening handle's connection callback is replaced by one that does
 * what node's does (count the connection, tie the socket to its server, emit `connection`) with
 * the option added — one Socket per connection, as before. Returns false, changing nothing,
 * where the server has no such handle (not listening, or a node:net that works otherwise): its
 * sockets then read as usual. `maxConnections` is not enforced on the replaced path.
 */
export function acceptWithSharedReads(server: Server): boolean {
  const s = server as unknown as ServerInternals;
  const handle = s._handle;
  if (handle === null || typeof handle.onconnection !== 'function') return false;
  handle.onconnection = (err: number, clientHandle: object | undefined): void => {
    if (err === 0 && clientHandle === undefined) return;
    if (err !== 0 || clientHandle === undefined) {
      const e = new Error(`accept ${getSystemErrorName(err)}`) as NodeJS.ErrnoException;
      e.errno = err;
      e.code = getSystemErrorName(err);
      e.syscall = 'accept';
      server.emit('error', e);
      return;
    }
    const socket = new Socket({
      handle: clientHandle, onread: SHARED_READS, allowHalfOpen: s.allowHalfOpen === true, readable: true, writable: true,
    } as unknown as ConstructorParameters<typeof Socket>[0]);
    s._connections++;
    const t = socket as unknown as SocketInternals;
    t.server = server;
    t._server = server;
    server.emit('connection', socket);
  };
  return true;
}
