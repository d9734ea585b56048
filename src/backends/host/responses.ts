/**
 * Responses rendered to bytes once, when a behaviour takes effect, so that answering a request is
 * one socket.write of a buffer made in advance (no formatting, no allocation per request).
 *
 * Every response carries `X-Lbtest-Backend: NAME` and Content-Length framing; a keep-alive and a
 * close variant exist of each, with and without the body (for HEAD).
 */
import { STATUS_CODES } from 'node:http';
import type { BodySpec, Header, Reply } from '../behaviour.js';

export const BACKEND_HEADER = 'X-Lbtest-Backend';

export interface Prepared {
  readonly status: number;
  /** Head and body, for a connection kept alive / closed after this response. */
  readonly keepAlive: Buffer;
  readonly close: Buffer;
  /** The head alone (for HEAD requests), same two variants. */
  readonly headKeepAlive: Buffer;
  readonly headClose: Buffer;
  readonly body: Buffer;
}

/** The head, then the body: the bytes of `variant` are head + body. */
export function prepare(name: string, status: number, headers: readonly Header[], body: Buffer, contentType: string): Prepared {
  const reason = STATUS_CODES[status] ?? 'Unknown';
  const lines = [`HTTP/1.1 ${status} ${reason}`, `${BACKEND_HEADER}: ${name}`];
  const own = new Set(headers.map(([n]) => n.toLowerCase()));
  if (!own.has('content-type')) lines.push(`Content-Type: ${contentType}`);
  for (const [n, v] of headers) lines.push(`${n}: ${v}`);
  lines.push(`Content-Length: ${body.length}`);
  const base = lines.join('\r\n');
  const headKeepAlive = Buffer.from(`${base}\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
  const headClose = Buffer.from(`${base}\r\nConnection: close\r\n\r\n`, 'latin1');
  return {
    status,
    keepAlive: Buffer.concat([headKeepAlive, body]),
    close: Buffer.concat([headClose, body]),
    headKeepAlive,
    headClose,
    body,
  };
}

/** A reply of a behaviour, for the backend `name`. */
export function prepareReply(name: string, reply: Reply): Prepared {
  return prepare(name, reply.status, reply.headers, renderBody(name, reply.body), 'text/plain; charset=utf-8');
}

/** The body bytes: the name line says who answered; a sized body pads it with a filler pattern. */
export function renderBody(name: string, body: BodySpec): Buffer {
  switch (body.kind) {
    case 'name': return Buffer.from(`${name}\n`);
    case 'text': return Buffer.from(body.text);
    case 'size': {
      const out = Buffer.alloc(body.bodyBytes, FILLER);
      out.write(`${name}\n`, 0, 'utf8');
      return out;
    }
  }
}

const FILLER = 'abcdefghijklmnopqrstuvwxyz0123456789\n';

/** Bytes of a response cut after half of its body (at least one body byte is withheld). */
export function cutMidBody(p: Prepared): Buffer {
  const headBytes = p.close.length - p.body.length;
  return p.close.subarray(0, headBytes + Math.floor(p.body.length / 2));
}

/** `400 Bad Request`, always closing. */
export function badRequest(name: string): Buffer {
  return prepare(name, 400, [], Buffer.from('bad request\n'), 'text/plain; charset=utf-8').close;
}

export const CONTINUE_100 = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n');
