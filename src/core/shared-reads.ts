/**
 * Socket reads into one buffer for the whole process (node:net's `onread`), instead of a fresh
 * 64 KiB allocation per read, shrunk by realloc() and pushed through the socket's Readable.
 * Profiled under keep-alive proxy load: that path (allocator, ArrayBuffer bookkeeping, stream
 * push) cost ~5% of the balancer's CPU on each side of it.
 *
 *   connect({ host, port, onread: SHARED_READS })    a client socket
 *   sharedReads(accepted)                             a server socket, accepted paused
 *
 * `data` events still carry chunks their listener owns (a copy of what was read: the buffer is
 * shared), and pause()/resume() still stop and start reading.
 */
import { Socket, type OnReadOpts } from 'node:net';

const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

function onRead(this: Socket, bytes: number, buf: Buffer): boolean {
  const chunk = Buffer.allocUnsafe(bytes);
  buf.copy(chunk, 0, 0, bytes);
  this.emit('data', chunk);
  return true;
}

export const SHARED_READS: OnReadOpts = { buffer: READ_BUFFER, callback: onRead };

/** What node:net keeps of an accepted socket, not in its public types. */
interface AcceptedInternals {
  _handle: object | null;
  _server: unknown;
  server: unknown;
}

/**
 * An accepted socket (from a server made with `pauseOnConnect: true`) as one that reads with
 * SHARED_READS: node:net has no `onread` for the sockets a server accepts, so the connection's
 * handle is taken over by a socket built with it. The accepted object is left unused (paused,
 * never destroyed); the server's connection count goes with the new socket, which counts down
 * once when it closes. A socket without a handle (already gone) is returned as it was, resumed.
 */
export function sharedReads(accepted: Socket): Socket {
  const old = accepted as unknown as AcceptedInternals;
  const handle = old._handle;
  if (handle === null || accepted.destroyed) {
    accepted.resume();
    return accepted;
  }
  const socket = new Socket({ handle, onread: SHARED_READS, readable: true, writable: true } as unknown as ConstructorParameters<typeof Socket>[0]);
  const taken = socket as unknown as AcceptedInternals;
  taken.server = old.server;
  taken._server = old._server;
  old._server = null;
  return socket;
}
