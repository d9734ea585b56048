/**
 * Small in-process backends for differential tests: each answers with its name (header
 * X-Lbtest-Backend and body) or misbehaves as told, on 127.0.0.1 with an ephemeral port. A
 * `dead` backend holds a port nobody listens on. Everything is closed by `closeAll`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { freePort } from './balancers.js';

export type MiniBehaviour =
  | { readonly kind: 'ok' }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'close' }          // read the request, close without answering
  | { readonly kind: 'reset' }          // read the request, reset
  | { readonly kind: 'hang' }           // read the request, never answer
  | { readonly kind: 'truncate' }       // headers promising 100 bytes, 10 bytes, then a reset
  | { readonly kind: 'delay'; readonly ms: number }   // answer after a pause (a timer, not a sync sleep)
  | { readonly kind: 'dead' };          // nothing listens

export interface MiniBackend {
  readonly name: string;
  readonly port: number;
  /** Requests that reached it (whole heads read). */
  readonly received: string[];
  /** Emits 'request' with the head as each request arrives. */
  readonly events: EventEmitter;
}

export interface MiniFleet {
  readonly backends: ReadonlyMap<string, MiniBackend>;
  port(name: string): number;
  closeAll(): Promise<void>;
}

const REASON: Record<number, string> = { 200: 'OK', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 403: 'Forbidden' };

function answer(name: string, status: number): Buffer {
  const body = `${name}\n`;
  return Buffer.from(`HTTP/1.1 ${status} ${REASON[status] ?? 'X'}\r\nX-Lbtest-Backend: ${name}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

function onSocket(b: MiniBackend, behaviour: MiniBehaviour, socket: Socket, open: Set<Socket>): void {
  open.add(socket);
  socket.on('close', () => open.delete(socket));
  socket.on('error', () => undefined);
  let buf = '';
  socket.on('data', (chunk: Buffer) => {
    buf += chunk.toString('latin1');
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buf.slice(0, end);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (length !== null && buf.length - end - 4 < Number(length[1])) return;
    b.received.push(head);
    b.events.emit('request', head);
    buf = '';
    switch (behaviour.kind) {
      case 'ok': socket.end(answer(b.name, 200)); break;
      case 'status': socket.end(answer(b.name, behaviour.status)); break;
      case 'close': socket.end(); break;
      case 'reset': socket.resetAndDestroy(); break;
      case 'truncate':
        socket.write(`HTTP/1.1 200 OK\r\nX-Lbtest-Backend: ${b.name}\r\nContent-Length: 100\r\n\r\n0123456789`, () => socket.resetAndDestroy());
        break;
      case 'delay': setTimeout(() => socket.end(answer(b.name, 200)), behaviour.ms); break;
      default: break;
    }
  });
}

export async function startFleet(spec: Record<string, MiniBehaviour>): Promise<MiniFleet> {
  const backends = new Map<string, MiniBackend>();
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  for (const [name, behaviour] of Object.entries(spec)) {
    if (behaviour.kind === 'dead') {
      backends.set(name, { name, port: await freePort(), received: [], events: new EventEmitter() });
      continue;
    }
    const b: MiniBackend = { name, port: 0, received: [], events: new EventEmitter() };
    const srv = createServer((s) => onSocket(b, behaviour, s, sockets));
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    backends.set(name, { ...b, port: (srv.address() as { port: number }).port });
    servers.push(srv);
  }
  return {
    backends,
    port: (name) => backends.get(name)!.port,
    async closeAll() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}
