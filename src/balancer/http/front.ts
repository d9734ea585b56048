/**
 * The client side: one node:net server per listening address, each connection driven by
 * server/connection.ts (lbtest's own HTTP/1.1 server, read as nginx reads requests), every
 * request handed to the current Site's handler. A reload swaps the Site (new requests see it,
 * requests in flight keep theirs), opens new addresses and closes dropped ones. Malformed
 * requests get nginx's 400, an oversized request line 414, an oversized header 400 "Request
 * Header Or Cookie Too Large"; the process never goes down for a client's bytes.
 *
 * node:http was the server here until its per-request machinery (a stream each way, header
 * validation, a writev per response) showed as the largest cost left in the profile.
 */
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import type { Listen } from '../../config/model.js';
import type { Site } from './site.js';
import { listenKey } from './site.js';
import { RequestHandler, type ConnectionInfo } from './handler.js';
import { ClientConnection, type ConnectionHost, type FrontLimits } from './server/connection.js';
import { acceptWithSharedReads } from '../../core/shared-reads.js';
import { errnoText } from '../proxy/log-text.js';
import { takeConnectionNumber } from '../connection-numbers.js';

interface Bound {
  readonly server: Server;
  readonly listen: Listen;
  readonly connections: Set<ClientConnection>;
}

export class Front {
  #handler: RequestHandler;
  #bound = new Map<string, Bound>();
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

  #limits(l: Listen): FrontLimits {
    const srv = this.site.servers.get([...this.site.servers.keys()].find((s) => s.listens.includes(l))!)!.server;
    const s = srv.settings;
    return {
      headerTimeoutMs: s.clientHeaderTimeoutMs,
      lineMaxBytes: srv.largeClientHeaderBuffers.sizeBytes,
      headMaxBytes: srv.largeClientHeaderBuffers.count * srv.largeClientHeaderBuffers.sizeBytes,
      keepaliveTimeoutMs: s.keepaliveTimeoutMs,
      keepaliveRequests: s.keepaliveRequests,
    };
  }

  async #bind(l: Listen): Promise<void> {
    const limits = this.#limits(l);
    const server = createServer({ noDelay: true });
    const bound: Bound = { server, listen: l, connections: new Set() };
    const host: ConnectionHost = {
      handler: () => this.#handler,
      closing: () => this.#closing,
      gone: (c) => { bound.connections.delete(c); },
    };
    const local = canonicalIpv4(l.host) ? { addr: l.host, port: l.port } : undefined;
    server.on('connection', (socket: Socket) => {
      const info: ConnectionInfo = { id: takeConnectionNumber(), requests: 0, local };
      bound.connections.add(new ClientConnection(socket, info, host, limits));
    });
    server.listen({ host: l.host === '*' ? '0.0.0.0' : l.host, port: l.port });
    await once(server, 'listening');
    // ngx_event_accept(): a failed accept (too many open files...) is logged and the worker goes
    // on; unhandled, the event would end the process
    server.on('error', (e: NodeJS.ErrnoException) => {
      this.site.errorLog.write(e.code === 'ECONNABORTED' ? 'error' : 'alert', `accept4() failed ${errnoText(e)}`);
    });
    acceptWithSharedReads(server);
    this.#bound.set(listenKey(l.host, l.port), bound);
  }

  /** Swaps in a new configuration; binds what is new, closes what was dropped. */
  async reload(site: Site): Promise<void> {
    const old = this.site;
    this.#handler = new RequestHandler(site);
    const wanted = new Set(site.listens.map((l) => listenKey(l.host, l.port)));
    for (const [key, b] of this.#bound) {
      if (!wanted.has(key)) {
        this.#bound.delete(key);
        b.server.close();
        for (const c of b.connections) c.closeIfIdle();
      }
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
    for (const b of servers) for (const c of b.connections) c.closeIfIdle();
    const timer = setTimeout(() => { for (const b of servers) for (const c of b.connections) c.socket.destroy(); }, graceMs);
    timer.unref();
    await Promise.all(closed);
    clearTimeout(timer);
    for (const p of this.site.pools) p.close();
    this.site.files.close();
  }
}

/** An IPv4 address written as the system writes it (a socket's localAddress): 127.0.0.1, not 127.000.0.1. */
function canonicalIpv4(host: string): boolean {
  if (isIP(host) !== 4) return false;
  return host.split('.').every((o) => String(Number(o)) === o);
}
