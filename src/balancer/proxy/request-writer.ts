/**
 * Streams the client's request body to the upstream after the head, framed as the head
 * declared: passed through for `length`, re-chunked for `chunked` (`<hex> CRLF data CRLF` per
 * piece, `0 CRLF CRLF` at the end). Backpressure both ways: the body stream is paused while the
 * socket's buffer is full, and proxy_send_timeout runs only then (nginx arms c->write's timer
 * only when a write could not complete).
 *
 * Invariant: `requestWritten` is called once, when the last byte was accepted by the socket
 * without waiting or after its `drain` (nginx's u->request_body_sent).
 * Must not: read the response; buffer the body; resume a body it stopped (the request path
 * decides what happens to the rest of it).
 */
import type { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import { CRLF, LAST_CHUNK, chunkSizeLine } from './chunked.js';

export interface WriterOwner {
  /** The whole request is written. */
  requestWritten(): void;
  /** A write is waiting for the socket (true) or the socket drained (false). */
  sendBlocked(blocked: boolean): void;
  /** The body stream failed or closed before its end. */
  bodyFailed(): void;
}

export class RequestWriter {
  private blocked = false;
  private ended = false;
  private stopped = false;
  private readonly onData = (chunk: Buffer): void => this.data(chunk);
  private readonly onEnd = (): void => this.end();
  private readonly onFail = (): void => this.fail();

  constructor(
    private readonly socket: Socket,
    private readonly body: Readable,
    private readonly chunked: boolean,
    private readonly owner: WriterOwner,
  ) {}

  /** Starts after the head was written; `headBlocked`: that write has to drain first. */
  start(headBlocked: boolean): void {
    const body = this.body;
    this.blocked = headBlocked;
    if (headBlocked) this.owner.sendBlocked(true);
    if (body.readableEnded) {
      this.end();
      return;
    }
    if (body.destroyed) {
      this.fail();
      return;
    }
    body.on('data', this.onData);
    body.on('end', this.onEnd);
    body.on('error', this.onFail);
    body.on('close', this.onFail);
    if (headBlocked) body.pause();
    else body.resume();
  }

  /** The socket's `drain`. */
  drained(): void {
    if (!this.blocked || this.stopped) return;
    this.blocked = false;
    this.owner.sendBlocked(false);
    if (this.ended) this.owner.requestWritten();
    else this.body.resume();
  }

  /** The attempt no longer sends (response head arrived, failure, abort): the body is left paused. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.detach();
    if (!this.ended) this.body.pause();
  }

  private data(chunk: Buffer): void {
    if (this.stopped || chunk.length === 0) return;
    const socket = this.socket;
    let ok: boolean;
    if (this.chunked) {
      socket.cork();
      socket.write(chunkSizeLine(chunk.length), 'latin1');
      socket.write(chunk);
      ok = socket.write(CRLF);
      socket.uncork();
    } else {
      ok = socket.write(chunk);
    }
    if (!ok && !this.blocked) {
      this.blocked = true;
      this.body.pause();
      this.owner.sendBlocked(true);
    }
  }

  private end(): void {
    if (this.stopped || this.ended) return;
    this.ended = true;
    this.detach();
    if (this.chunked && !this.socket.write(LAST_CHUNK) && !this.blocked) {
      this.blocked = true;
      this.owner.sendBlocked(true);
    }
    if (!this.blocked) this.owner.requestWritten();
  }

  private fail(): void {
    if (this.stopped || this.ended) return;
    this.stop();
    this.owner.bodyFailed();
  }

  private detach(): void {
    const body = this.body;
    body.removeListener('data', this.onData);
    body.removeListener('end', this.onEnd);
    body.removeListener('error', this.onFail);
    body.removeListener('close', this.onFail);
  }
}
