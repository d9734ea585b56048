/**
 * The bench's load through autocannon 8, for comparison with the own client: the same job, the
 * same counts. Settings, after shared/research/peers-and-autocannon.md §1.5:
 * - closed loop, no rate: autocannon's coordinated-omission correction (which back-fills samples
 *   with a wrong unit, §1.5a) only runs with a rate, and it refuses ignoreCoordinatedOmission
 *   without one; were a rate ever set here, ignoreCoordinatedOmission would have to go with it;
 * - latency from each `response` event's own duration (a float of ms from process.hrtime), not
 *   its histogram, which counts whole milliseconds (§1.5c);
 * - connections the server closes are counted by wrapping each client's reconnect (it reconnects
 *   silently on `end`); after one, its latencies drift (§1.5b), and the result is flagged by it;
 * - a new connection per request is its `reconnectRate: 1`: the client closes after each
 *   response (it has no `Connection: close` mode that does not drift);
 * - bounds: `amount`, and our own timer, since autocannon's `done` waits for its next 1 s tick.
 */
import { createRequire } from 'node:module';
import type { LoadJob } from './load.js';
import type { ClientCounts } from './own-client.js';

interface AutocannonClient { _connect: () => void }
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, durationMs: number) => void): void;
  on(event: 'reqError', fn: (err: Error) => void): void;
  stop(): void;
}
type Autocannon = (opts: Record<string, unknown>, done: (err: Error | null) => void) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export function runAutocannon(job: LoadJob): Promise<ClientCounts> {
  const counts: ClientCounts = { responses: 0, non2xx: 0, errors: 0, serverClosed: 0, connects: 0, latMs: new Float64Array(job.requests), n: 0, stoppedBy: 'requests' };
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err); else resolve(counts);
    };
    const instance = autocannon({
      url: job.ports.map((p) => `http://127.0.0.1:${p}${job.path}`),
      connections: job.connections,
      amount: job.requests,
      timeout: Math.max(1, Math.ceil(job.maxDurationMs / 1000)),
      ...(job.keepAlive ? {} : { reconnectRate: 1 }),
      setupClient: (client: AutocannonClient) => {
        // called before the client's first connect: that one is not a reconnect
        const reconnect = client._connect.bind(client);
        let first = true;
        client._connect = () => {
          if (!first && job.keepAlive) counts.serverClosed++;
          first = false;
          counts.connects++;
          reconnect();
        };
      },
    }, (err) => finish(err));
    instance.on('response', (_c, status, _bytes, durationMs) => {
      if (counts.n < counts.latMs.length) counts.latMs[counts.n++] = durationMs;
      counts.responses++;
      if (status < 200 || status > 299) counts.non2xx++;
      if (counts.responses >= job.requests) { instance.stop(); finish(); }
    });
    instance.on('reqError', () => { counts.errors++; });
    const timer = setTimeout(() => { counts.stoppedBy = 'time'; instance.stop(); finish(); }, job.maxDurationMs);
  });
}
