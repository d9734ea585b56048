/**
 * One accepted TCP connection of a backend: reads requests (pipelined ones in order), records
 * each, and carries out the action the backend's current plan decides for it.
 *
 * Invariants: requests on a connection are answered strictly one after another; a request counts
 * as in flight from its head's arrival until its last response byte is handed to the socket, or
 * the connection closes. The plan is read per request, so a switch reaches kept-alive connections.
 * Must not: allocate per request beyond the parsed head's strings; throw from a socket callback.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Action } from './plan.js';
import { LastString, type Recorder } from './recorder.js';
import { BodySkipper, MAX_HEAD_BYTES, findHeadEnd, leadingEmptyLines, parseHead, type RequestHead } from './request-parser.js';
import { CONTINUE_100, badRequest, cutMidBody, type Prepared } from './responses.js';

/** The backend as a connection sees it (backend.ts). */
export interface ConnectionOwner {
  readonly name: string;
  readonly nameId: number;
  readonly recorder: Recorder;
  /** Counts a request in flight; returns the in-flight count, this request included. */
  arrive(): number;
  /** The current plan's action for the next request (numbered by the plan). */
  decide(url: string, nowMs: number): Action;
  delayMs(latency: NonNullable<Extract<Action, { kind: 'reply' }>['latency']>): number;
  depart(): void;
  requestBad(): void;
  closed(conn: Connection): void;
}

const TIME_ORIGIN_US = performance.timeOrigin * 1000;
/** Input bytes held while a request is being answered; beyond this the socket stops reading. */
const MAX_HELD_BYTES = 1024 * 1024;

export class Connection {
  readonly id: number;
  readonly #socket: Socket;
  readonly #owner: ConnectionOwner;
  readonly #peer: number;
  readonly #peerPort: number;
  #buf: Buffer | null = null;
  /** head: reading a head; body: skipping a body; busy: answering; done: no more requests. */
  #phase: 'head' | 'body' | 'busy' | 'done' = 'head';
  #head: RequestHead | null = null;
  #arrivalMs = 0;
  #inflightAtArrival = 0;
  #inFlight = false;
  #skipper: BodySkipper | null = null;
  #timer: NodeJS.Timeout | null = null;
  #peerEnded = false;
  // Requests on one connection tend to repeat these; the last one's id is kept to skip a lookup.
  readonly #method = new LastString();
  readonly #url = new LastString();
  readonly #xff = new LastString();
  readonly #xRealIp = new LastString();

  constructor(owner: ConnectionOwner, socket: Socket, id: number) {
    this.id = id;
    this.#owner = owner;
    this.#socket = socket;
    this.#peer = owner.recorder.strings.id(socket.remoteAddress ?? '');
    this.#peerPort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', () => { /* ECONNRESET and kin: the 'close' that follows is enough */ });
    socket.on('close', () => this.#onClose());
    socket.on('drain', () => { if (this.#phase !== 'busy') socket.resume(); });
  }

  /** Sends a TCP RST now (kill). */
  reset(): void {
    if (!this.#socket.destroyed) this.#socket.resetAndDestroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#phase === 'done') return;
    this.#buf = this.#buf === null ? chunk : Buffer.concat([this.#buf, chunk]);
    if (this.#phase === 'busy') {
      if (this.#buf.length > MAX_HELD_BYTES) this.#socket.pause();
      return;
    }
    this.#pump();
  }

  /** Reads and answers as many requests as the held bytes contain, until one makes us wait. */
  #pump(): void {
    const buf = this.#buf;
    if (buf === null) return;
    const socket = this.#socket;
    let off = 0;
    socket.cork();
    while (off < buf.length && (this.#phase === 'head' || this.#phase === 'body')) {
      if (this.#phase === 'body') {
        const used = this.#skipper!.feed(buf, off);
        if (used < 0) return this.#bad();
        off += used;
        if (!this.#skipper!.done) break;
        this.#phase = 'head';
        this.#dispatch();
        continue;
      }
      off += leadingEmptyLines(buf, off);
      const end = findHeadEnd(buf, off);
      if (end < 0) {
        if (buf.length - off > MAX_HEAD_BYTES) return this.#bad();
        break;
      }
      const head = parseHead(buf, off, end);
      if (head === null) return this.#bad();
      off = end;
      this.#arrive(head);
      if (head.chunked || head.contentLength > 0) {
        this.#skipper ??= new BodySkipper();
        this.#skipper.start(head);
        this.#phase = 'body';
        if (head.expectContinue) socket.write(CONTINUE_100);
        continue;
      }
      this.#dispatch();
    }
    this.#buf = off >= buf.length ? null : buf.subarray(off);
    socket.uncork();
    if (this.#peerEnded && this.#phase === 'head') this.#endQuietly();
  }

  #arrive(head: RequestHead): void {
    this.#head = head;
    this.#arrivalMs = performance.now();
    this.#inflightAtArrival = this.#owner.arrive();
    this.#inFlight = true;
  }

  /** The request is complete (head and body): decide, record, act. */
  #dispatch(): void {
    const head = this.#head!, owner = this.#owner;
    const action = owner.decide(head.url, this.#arrivalMs);
    this.#record(head, action);
    switch (action.kind) {
      case 'reply':
        if (action.latency === null && action.trickle === null) return this.#send(action.response, head);
        this.#phase = 'busy';
        this.#timer = setTimeout(() => this.#slow(action.response, head, action.trickle),
          action.latency === null ? 0 : owner.delayMs(action.latency));
        return;
      case 'reset':
        this.#phase = 'done';
        if (action.at === 'headers') return this.reset();
        this.#socket.write(cutMidBody(action.response), () => this.reset());
        return;
      case 'close':
        this.#phase = 'done';
        if (action.at === 'body') this.#socket.write(cutMidBody(action.response));
        this.#socket.destroySoon();
        return;
      case 'hang':
        this.#phase = 'busy';
        return;
    }
  }

  #record(head: RequestHead, action: Action): void {
    const rec = this.#owner.recorder;
    if (!rec.enabled) return;
    const s = rec.strings;
    rec.add(Math.round(TIME_ORIGIN_US + this.#arrivalMs * 1000), this.#owner.nameId, this.id, this.#inflightAtArrival,
      this.#peer, this.#peerPort, this.#xff.id(s, head.xForwardedFor), this.#xRealIp.id(s, head.xRealIp),
      this.#method.id(s, head.method), this.#url.id(s, head.url), action.record.action, action.record.status);
  }

  /** A whole response at once; the connection reads on (keep-alive) or closes. */
  #send(r: Prepared, head: RequestHead): void {
    const bytes = head.method === 'HEAD' ? (head.keepAlive ? r.headKeepAlive : r.headClose) : (head.keepAlive ? r.keepAlive : r.close);
    if (!this.#socket.write(bytes)) this.#socket.pause();
    this.#finish(head);
  }

  /** After a delay: the whole response, or the head and then the body a chunk per interval. */
  #slow(r: Prepared, head: RequestHead, trickle: Extract<Action, { kind: 'reply' }>['trickle']): void {
    this.#timer = null;
    if (trickle === null || head.method === 'HEAD' || r.body.length === 0) {
      this.#send(r, head);
      return this.#resume();
    }
    this.#socket.write(head.keepAlive ? r.headKeepAlive : r.headClose);
    let sent = 0;
    const next = (): void => {
      const end = Math.min(sent + trickle.chunkBytes, r.body.length);
      this.#socket.write(r.body.subarray(sent, end));
      sent = end;
      if (sent < r.body.length) { this.#timer = setTimeout(next, trickle.intervalMs); return; }
      this.#timer = null;
      this.#finish(head);
      this.#resume();
    };
    this.#timer = setTimeout(next, trickle.intervalMs);
  }

  #finish(head: RequestHead): void {
    this.#inFlight = false;
    this.#owner.depart();
    if (head.keepAlive) {
      this.#phase = 'head';
    } else {
      this.#phase = 'done';
      this.#socket.end();
    }
  }

  /** Back from an asynchronous answer: read what arrived meanwhile. */
  #resume(): void {
    if (this.#phase !== 'head') return;
    this.#socket.resume();
    if (this.#buf !== null) this.#pump();
    else if (this.#peerEnded) this.#endQuietly();
  }

  #bad(): void {
    this.#owner.requestBad();
    this.#phase = 'done';
    this.#buf = null;
    this.#socket.uncork();
    this.#socket.end(badRequest(this.#owner.name));
  }

  #onEnd(): void {
    this.#peerEnded = true;
    if (this.#phase === 'head' && this.#buf === null) this.#endQuietly();
    else if (this.#phase === 'body') this.#endQuietly();
  }

  #endQuietly(): void {
    this.#phase = 'done';
    if (!this.#socket.writableEnded) this.#socket.end();
  }

  #onClose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#phase = 'done';
    if (this.#inFlight) { this.#inFlight = false; this.#owner.depart(); }
    this.#owner.closed(this);
  }
}

