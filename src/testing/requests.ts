/**
 * A one-request-at-a-time HTTP client for differential tests: each request on its own
 * connection, optionally from a chosen loopback source address, reduced to what is compared
 * (status, answering backend, $upstream_addr / $upstream_status as the balancer reported them).
 */
import { request } from 'node:http';

export interface Probe {
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** A 127.x.y.z source address. */
  readonly from?: string;
}

export interface Seen {
  readonly status: number;
  /** The X-Lbtest-Backend header, or '-' when the balancer answered itself. */
  readonly backend: string;
  readonly upstreamAddr: string;
  readonly upstreamStatus: string;
  /** An `X-Remote` header, where a test adds `add_header X-Remote $remote_addr`. */
  readonly remote: string;
  readonly body: string;
}

export function send(port: number, probe: Probe, timeoutMs = 10_000): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, path: probe.path ?? '/', method: probe.method ?? 'GET', agent: false,
      headers: { Connection: 'close', ...(probe.headers ?? {}) }, ...(probe.from ? { localAddress: probe.from } : {}),
      timeout: timeoutMs,
    }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        backend: String(res.headers['x-lbtest-backend'] ?? '-'),
        upstreamAddr: String(res.headers['x-upstream'] ?? ''),
        upstreamStatus: String(res.headers['x-upstream-status'] ?? ''),
        remote: String(res.headers['x-remote'] ?? ''),
        body,
      }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(probe.body);
  });
}

/** `127.0.0.1:8081, 127.0.0.1:8082` → `a, b` with the fleet's names. */
export function nameAddrs(value: string, ports: ReadonlyMap<number, string>): string {
  return value.replace(/127\.0\.0\.1:(\d+)/g, (m, p: string) => ports.get(Number(p)) ?? m);
}
