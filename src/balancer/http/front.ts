/**
 * The client side: one node:http server per listening address, every request handed to the
 * current Site's handler. A reload swaps the Site (new requests see it, requests in flight keep
 * theirs), opens new addresses and closes dropped ones. Malformed requests get nginx's 400, an
 * oversized request line 414, an oversized header 400 "Request Header Or Cookie Too Large";
 * the process never goes down for a client's bytes.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import type { Listen } from '../../config/model.js';
import type { Site } from './site.js';
import { listenKey } from './site.js';
import { RequestHandler, type ConnectionInfo } from './handler.js';
import { errorPage, HEADER_TOO_LARGE, REASONS } from './pages.js';
import { SERVER_SOFTWARE } from './vars.js';

interface Bound {
  readonly server: Server;
  readonly listen: Listen;
  readonly sockets: Set<Socket>;
}

function rawResponse(status: number): Buffer {
  const wire = status === HEADER_TOO_LARGE ? 400 : status;
  const page = errorPage(status);
  return Buffer.concat([
    Buffer.from(`HTTP/1.1 ${wire} ${REASONS[wire] ?? ''}\r\nServer: ${SERVER_SOFTWARE}\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/html\r\nContent-Length: ${page.length}\r\nConnection: close\r\n\r\n`),
    page,
  ]);
}

export class Front {
  #handler: RequestHandler;
  #bound = new Map<string, Bound>();
  #nextConnection = 1;
  #closing = false;

  constructor(site: Site) { this.#handler = new RequestHandler(site); }

  get site(): Site { return this.#handler.site; }

  /** The addresses actually bound (port 0 resolved), keyed as in the configuration. */
  addresses(): { host: string; port: number }[] {
    return [...this.#bound.values()].map((b) => {
      const a = b.server.address();
      return typeof a === 'object' && a !== null ? { host: a.address, port: a.port } : { host: b.listen.host, port: b.listen.port };
    });
  }

  async start(): Promise<void> {
    for (const l of this.site.listens) await this.#bind(l);
  }

  async #bind(l: Listen): Promise<void> {
    const srv = this.site.servers.get([...this.site.servers.keys()].find((s) => s.listens.includes(l))!)!.server;
    const server = createServer({
      maxHeaderSize: srv.largeClientHeaderBuffers.count * srv.largeClientHeaderBuffers.sizeBytes,
      headersTimeout: srv.settings.clientHeaderTimeoutMs,
      requestTimeout: 0,
      keepAliveTimeout: srv.settings.keepaliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, srv.settings.clientHeaderTimeoutMs),
      noDelay: true,
    });
    const bound: Bound = { server, listen: l, sockets: new Set() };
    server.on('connection', (socket: Socket) => {
      const info: ConnectionInfo = { id: this.#nextConnection++, requests: 0 };
      connections.set(socket, info);
      bound.sockets.add(socket);
      socket.once('close', () => bound.sockets.delete(socket));
    });
    const connections = new WeakMap<Socket, ConnectionInfo>();
    server.on('request', (req, res) => {
      const info = connections.get(req.socket) ?? { id: this.#nextConnection++, requests: 0 };
      this.#handler.handle(req, res, info);
      if (this.#closing) res.shouldKeepAlive = false;
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      if (!socket.writable || err.code === 'ECONNRESET') { socket.destroy(); return; }
      let status = 400;
      if (err.code === 'HPE_HEADER_OVERFLOW') {
        const packet = (err as { rawPacket?: Buffer }).rawPacket;
        const eol = packet === undefined ? -1 : packet.indexOf('\n');
        status = eol < 0 || eol > srv.largeClientHeaderBuffers.sizeBytes ? 414 : HEADER_TOO_LARGE;
      } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        socket.destroy();
        return;
      }
      socket.end(rawResponse(status));
    });
    server.listen({ host: l.host === '*' ? '0.0.0.0' : l.host, port: l.port });
    await once(server, 'listening');
    this.#bound.set(listenKey(l.host, l.port), bound);
  }

  /** Swaps in a new configuration; binds what is new, closes what was dropped. */
  async reload(site: Site): Promise<void> {
    const old = this.site;
    this.#handler = new RequestHandler(site);
    const wanted = new Set(site.listens.map((l) => listenKey(l.host, l.port)));
    for (const [key, b] of this.#bound) {
      if (!wanted.has(key)) { this.#bound.delete(key); b.server.close(); b.server.closeIdleConnections(); }
    }
    for (const l of site.listens) if (!this.#bound.has(listenKey(l.host, l.port))) await this.#bind(l);
    for (const p of old.pools) p.close();
    old.files.close();
  }

  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes everything. */
  async close(graceMs = 10_000): Promise<void> {
    this.#closing = true;
    const servers = [...this.#bound.values()];
    this.#bound.clear();
    const closed = servers.map((b) => new Promise<void>((resolve) => b.server.close(() => resolve())));
    for (const b of servers) b.server.closeIdleConnections();
    const timer = setTimeout(() => { for (const b of servers) for (const s of b.sockets) s.destroy(); }, graceMs);
    timer.unref();
    await Promise.all(closed);
    clearTimeout(timer);
    for (const p of this.site.pools) p.close();
    this.site.files.close();
  }
}
