/**
 * The upstream HTTP client of the bundled balancer: the UpstreamClient of exchange-types.ts over
 * node:net sockets, so that the request line, header order and framing are byte for byte what
 * the request path built (no node:http in between).
 *
 *   const client = createUpstreamClient();
 *   const pool = client.createPool({ connections: 32, requests: 1000, timeMs: 3_600_000, timeoutMs: 60_000 });
 *   const out = await client.exchange({ peer, head, body: null, bodyFraming: 'none', isHead: false,
 *     connectTimeoutMs: 60_000, sendTimeoutMs: 60_000, readTimeoutMs: 60_000, maxHeadBytes: 4096, pool });
 *   if (!out.ok) -> out.failure (kind, requestSent, cached, log, level) to the balancer
 *   else         -> send out.head to the client, then `await out.body.pipe(sink)` (or discard())
 *
 * One client serves a whole worker; one pool per upstream group (nginx's keepalive cache).
 * Must not: hold per-request state (each exchange is its own object).
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { PeerAddress } from '../../config/model.js';
import { systemClock, type Clock } from '../../core/clock.js';
import type { ExchangeRequest, HeadOutcome, HeadOwner, KeepaliveSettings, UpstreamClient } from './exchange-types.js';
import { Exchange, type ClientCore } from './exchange.js';
import { Pool } from './keepalive-pool.js';
import { HeadParser } from './response-parser.js';
import { SHARED_READS } from '../../core/shared-reads.js';

export interface UpstreamClientOptions {
  /** keepalive_time is measured with it (default: the system clock). */
  readonly clock?: Clock;
  /** Opens the socket of a new connection (default: node:net, TCP_NODELAY on). Tests inject failures. */
  readonly connect?: (peer: PeerAddress) => Socket;
  /**
   * `pass` (default, nginx 1.22): a 1xx head is taken as the final response.
   * `skip`: 1xx heads other than 101 are read past, as HTTP/1.1 clients do.
   */
  readonly interim?: 'pass' | 'skip';
}

/**
 * node:net to a peer: TCP with Nagle off, or a unix socket. nginx writes a buffered request in
 * one writev() and needs no TCP_NODELAY; this client writes the head and each body piece apart.
 * `data` events carry chunks the caller owns, as with a plain socket; pause() stops reading.
 */
export function connectPeer(peer: PeerAddress): Socket {
  return peer.kind === 'tcp'
    ? netConnect({ host: peer.host, port: peer.port, noDelay: true, onread: SHARED_READS })
    : netConnect({ path: peer.path, onread: SHARED_READS });
}

export class NetUpstreamClient implements UpstreamClient {
  private readonly core: ClientCore;

  constructor(opts: UpstreamClientOptions = {}) {
    this.core = {
      parser: new HeadParser(),
      clock: opts.clock ?? systemClock,
      connect: opts.connect ?? connectPeer,
      skipInterim: opts.interim === 'skip',
    };
  }

  exchange(req: ExchangeRequest): Promise<HeadOutcome> {
    return new Exchange(this.core, req).run();
  }

  begin(req: ExchangeRequest, owner: HeadOwner): void {
    new Exchange(this.core, req).begin(owner);
  }

  createPool(settings: KeepaliveSettings): Pool {
    return new Pool(settings);
  }
}

export function createUpstreamClient(opts: UpstreamClientOptions = {}): NetUpstreamClient {
  return new NetUpstreamClient(opts);
}
