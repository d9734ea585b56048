/**
 * A tiny node:http server for the traffic tests: 127.0.0.1, port 0. It answers as backends named
 * by `answer` (X-Lbtest-Backend), remembers what each request looked like, and can hold requests
 * until a number of them are in flight. Tests wait on its events, never on time.
 */
import { once, EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly remote: string;
  readonly headers: IncomingMessage['headers'];
  readonly bodyBytes: number;
}

export type Mode =
  | { readonly kind: 'answer' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'destroy' }
  | { readonly kind: 'batch'; readonly size: number };   // hold requests until `size` are waiting, then answer all

export class TestServer extends EventEmitter {
  readonly seen: Seen[] = [];
  peakInflight = 0;
  mode: Mode = { kind: 'answer' };
  #inflight = 0;
  #held: (() => void)[] = [];
  #count = 0;

  private constructor(readonly server: Server, readonly answer: (n: number, req: IncomingMessage) => string) {
    super();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
  }

  static async start(answer: (n: number, req: IncomingMessage) => string = () => 'a'): Promise<TestServer> {
    const server = createServer({ keepAliveTimeout: 60_000 });
    const s = new TestServer(server, answer);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return s;
  }

  get port(): number { return (this.server.address() as AddressInfo).port; }

  async stop(): Promise<void> {
    for (const release of this.#held) release();
    this.server.closeAllConnections();
    if (this.server.listening) { this.server.close(); await once(this.server, 'close'); }
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const n = this.#count++;
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => { bodyBytes += chunk.length; });
    req.on('end', () => {
      this.seen.push({ method: req.method ?? '', url: req.url ?? '', remote: req.socket.remoteAddress ?? '', headers: req.headers, bodyBytes });
      this.#inflight++;
      this.peakInflight = Math.max(this.peakInflight, this.#inflight);
      this.emit('request', n);
      const reply = (): void => {
        this.#inflight--;
        res.setHeader('X-Lbtest-Backend', this.answer(n, req));
        res.end('ok\n');
      };
      switch (this.mode.kind) {
        case 'answer': reply(); break;
        case 'hang': this.#held.push(() => res.destroy()); break;
        case 'destroy': this.#inflight--; req.socket.destroy(); break;
        case 'batch':
          this.#held.push(reply);
          if (this.#held.length >= this.mode.size) { const all = this.#held; this.#held = []; for (const r of all) r(); }
          break;
      }
    });
  }
}
