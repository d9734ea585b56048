/**
 * One upstream TCP or unix-socket connection (nginx's ngx_connection_t for a peer) and its one
 * I/O timer. Socket listeners are attached once, when the socket is created, and route every
 * event to the current `handler`: the exchange that owns the connection, or the keepalive pool
 * while it is idle. Nothing is attached or removed per request.
 *
 * Invariant: at most one of connect/send/read/idle timeouts is armed at a time (nginx arms
 * c->write for connect and send, c->read for reading and for idle keepalive, never both for
 * one phase); `requests` counts the exchanges that used the connection (c->requests).
 * Must not: decide anything about HTTP; log.
 */
import type { Socket } from 'node:net';
import { Deadline } from '../../core/deadline.js';
import { readDirect } from '../../core/shared-reads.js';

export interface ConnHandler {
  onConnect(conn: UpstreamConnection): void;
  /** `lent` is only for the call: its first `len` bytes were read (shared-reads.ts). */
  onData(conn: UpstreamConnection, lent: Buffer, len: number): void;
  /** The upstream closed its side (recv() returned 0). */
  onEnd(conn: UpstreamConnection): void;
  onError(conn: UpstreamConnection, err: NodeJS.ErrnoException): void;
  onDrain(conn: UpstreamConnection): void;
  onTimer(conn: UpstreamConnection): void;
}

export class UpstreamConnection {
  readonly socket: Socket;
  /** The peer's `name` (`127.0.0.1:8081`, `unix:/tmp/s`): the pool matches connections on it. */
  readonly peerKey: string;
  /** c->start_time: when connect() began; keepalive_time is measured from it. */
  readonly startMs: number;
  requests = 0;
  handler: ConnHandler;
  readonly timer: Deadline;
  destroyed = false;
  /** The pool's LRU list: `prev` is more recently used. */
  prev: UpstreamConnection | null = null;
  next: UpstreamConnection | null = null;

  constructor(socket: Socket, peerKey: string, startMs: number, handler: ConnHandler) {
    this.socket = socket;
    this.peerKey = peerKey;
    this.startMs = startMs;
    this.handler = handler;
    this.timer = new Deadline(() => this.handler.onTimer(this));
    socket.on('connect', () => this.handler.onConnect(this));
    readDirect(socket, (data: Buffer, len: number) => this.handler.onData(this, data, len));
    socket.on('end', () => this.handler.onEnd(this));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.destroyed) this.handler.onError(this, err);
    });
    socket.on('drain', () => this.handler.onDrain(this));
    socket.on('close', () => {
      if (this.destroyed) return;
      this.destroyed = true;
      this.timer.dispose();
      this.handler.onEnd(this);
    });
  }

  /** Closes at once (nginx's ngx_close_connection: no lingering, no FIN wait). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.timer.dispose();
    this.socket.destroy();
  }
}
