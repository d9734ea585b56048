/**
 * The idle upstream connections of one upstream group in this worker: nginx's
 * ngx_http_upstream_keepalive_module cache, one LRU list of at most `connections` entries.
 *
 *   take(peer):  the most recently cached connection to that peer's address (nginx scans the
 *                cache from its head the same way), or null: keepalive never changes the peer
 *   put(conn):   at the head; when full, the least recently used one is closed first
 *   idle:        closed after keepalive_timeout, or as soon as the upstream closes it, resets it
 *                or sends anything (ngx_http_upstream_keepalive_close_handler)
 *
 * Whether a connection may be cached at all (complete response, keepalive_requests,
 * keepalive_time...) is decided by the exchange that releases it (`reusable` in exchange.ts).
 * Must not: open connections; keep a closed one; allocate per take or put.
 */
import type { KeepalivePool, KeepaliveSettings } from './exchange-types.js';
import type { ConnHandler, UpstreamConnection } from './upstream-connection.js';

/** Why an idle connection left the pool without being reused (for tests and stats). */
export type DropReason = 'timeout' | 'closed' | 'data' | 'evicted' | 'shutdown';

export class Pool implements KeepalivePool, ConnHandler {
  readonly settings: KeepaliveSettings;
  private head: UpstreamConnection | null = null;
  private tail: UpstreamConnection | null = null;
  private count = 0;
  private closed = false;
  private observer: ((reason: DropReason, peerKey: string) => void) | null = null;

  constructor(settings: KeepaliveSettings) {
    this.settings = settings;
  }

  idleCount(): number {
    return this.count;
  }

  /** Whether put() can still cache (false after close(): nginx's ngx_exiting). */
  get accepting(): boolean {
    return !this.closed && this.settings.connections > 0;
  }

  close(): void {
    this.closed = true;
    while (this.head !== null) this.drop(this.head, 'shutdown');
  }

  /** Calls `fn` whenever an idle connection is closed by the pool. */
  observe(fn: ((reason: DropReason, peerKey: string) => void) | null): void {
    this.observer = fn;
  }

  take(peerKey: string): UpstreamConnection | null {
    for (let c = this.head; c !== null; c = c.next) {
      if (c.peerKey !== peerKey) continue;
      this.unlink(c);
      c.timer.disarm();
      return c;
    }
    return null;
  }

  /** Caches a connection whose exchange ended cleanly; closes it when caching is off. */
  put(conn: UpstreamConnection): void {
    if (!this.accepting || conn.destroyed) {
      conn.destroy();
      return;
    }
    if (this.count >= this.settings.connections && this.tail !== null) this.drop(this.tail, 'evicted');
    conn.handler = this;
    conn.prev = null;
    conn.next = this.head;
    if (this.head !== null) this.head.prev = conn;
    this.head = conn;
    if (this.tail === null) this.tail = conn;
    this.count++;
    if (conn.socket.isPaused()) conn.socket.resume();
    conn.timer.arm(this.settings.timeoutMs);
  }

  private unlink(c: UpstreamConnection): void {
    if (c.prev !== null) c.prev.next = c.next;
    else this.head = c.next;
    if (c.next !== null) c.next.prev = c.prev;
    else this.tail = c.prev;
    c.prev = c.next = null;
    this.count--;
  }

  private drop(c: UpstreamConnection, reason: DropReason): void {
    if (c.handler !== this) return;
    this.unlink(c);
    c.handler = DETACHED;
    c.destroy();
    if (this.observer !== null) this.observer(reason, c.peerKey);
  }

  onConnect(): void { /* an idle connection is connected */ }
  onDrain(): void { /* nothing is written while idle */ }
  onData(c: UpstreamConnection): void { this.drop(c, 'data'); }
  onEnd(c: UpstreamConnection): void { this.drop(c, 'closed'); }
  onError(c: UpstreamConnection): void { this.drop(c, 'closed'); }
  onTimer(c: UpstreamConnection): void { this.drop(c, 'timeout'); }
}

/** The handler of a connection nobody owns any more: every event is ignored. */
export const DETACHED: ConnHandler = {
  onConnect() {}, onData() {}, onEnd() {}, onError() {}, onDrain() {}, onTimer() {},
};
