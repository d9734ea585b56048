/**
 * Exchanges per second of the upstream client over keepalive connections, side by side in one
 * run with node:http's keep-alive Agent doing the same requests: a trivial raw upstream in a
 * worker thread (its own event loop and core) answers every request with a fixed response;
 * both clients run the same number of exchanges at the same concurrency, alternately, after a
 * warm-up, and the best of the rounds counts (the others were spoilt by JIT or GC work).
 *
 *   npm run build && node dist/balancer/proxy/bench/client-bench.js [--exchanges N] [--rounds R]
 *
 * Must not: be imported; it is a measurement script that prints a table.
 */
import { Agent, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { BodySink, ExchangeRequest } from '../exchange-types.js';
import { createUpstreamClient } from '../upstream-client.js';
import type { Pool } from '../keepalive-pool.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const EXCHANGES = arg('--exchanges', 20_000);
const ROUNDS = arg('--rounds', 3);

/** The upstream: counts request heads (a blank line each) and answers each with `body`. */
const SERVER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const responses = {};
for (const size of workerData.sizes) {
  responses[size] = Buffer.from('HTTP/1.1 200 OK\\r\\nServer: bench\\r\\nContent-Length: ' + size + '\\r\\n\\r\\n' + 'x'.repeat(size));
}
const server = net.createServer({ noDelay: true }, (s) => {
  let tail = '';
  s.on('data', (d) => {
    const text = tail + d.toString('latin1');
    let at = 0, n = 0, size = 2;
    for (;;) {
      const end = text.indexOf('\\r\\n\\r\\n', at);
      if (end < 0) break;
      const m = /GET \\/(\\d+)/.exec(text.slice(at, end));
      if (m) size = Number(m[1]);
      at = end + 4;
      s.write(responses[size]);
      n++;
    }
    tail = text.slice(at);
  });
  s.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

interface Result { readonly perSec: number; readonly p50Ms: number; readonly p99Ms: number }

const NULL_WRITABLE = new Writable({ write: (_c, _e, cb) => cb() });
const NULL_SINK: BodySink = { write: () => true, writable: NULL_WRITABLE };

async function runLbtest(port: number, size: number, concurrency: number, n: number, pool: Pool): Promise<Result> {
  const client = createUpstreamClient();
  const req: ExchangeRequest = {
    peer: { kind: 'tcp', host: '127.0.0.1', port, family: 4, name: `127.0.0.1:${port}` },
    head: Buffer.from(`GET /${size} HTTP/1.1\r\nHost: backend\r\n\r\n`),
    body: null, bodyFraming: 'none', isHead: false,
    connectTimeoutMs: 60_000, sendTimeoutMs: 60_000, readTimeoutMs: 60_000, maxHeadBytes: 4096, pool,
  };
  const one = async (): Promise<void> => {
    const out = await client.exchange(req);
    if (!out.ok) throw new Error(out.failure.log);
    const r = await out.body.pipe(NULL_SINK);
    if (!r.complete) throw new Error(r.log);
  };
  return measure(one, concurrency, n);
}

async function runNodeHttp(port: number, size: number, concurrency: number, n: number, agent: Agent): Promise<Result> {
  const one = (): Promise<void> => new Promise((resolve, reject) => {
    const req = httpRequest({ agent, host: '127.0.0.1', port, path: `/${size}`, headers: { Host: 'backend' } }, (res) => {
      res.on('data', () => {});
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return measure(one, concurrency, n);
}

async function measure(one: () => Promise<void>, concurrency: number, n: number): Promise<Result> {
  const latencies = new Float64Array(n);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now();
      await one();
      latencies[i] = performance.now() - t0;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = performance.now() - start;
  latencies.sort();
  return { perSec: n / (elapsed / 1000), p50Ms: latencies[Math.floor(n * 0.5)]!, p99Ms: latencies[Math.floor(n * 0.99)]! };
}

function best(results: Result[]): Result {
  return results.reduce((a, b) => (b.perSec > a.perSec ? b : a));
}

const fmt = (r: Result): string => `${Math.round(r.perSec).toLocaleString('en-US').padStart(9)}/s  p50 ${r.p50Ms.toFixed(3)} ms  p99 ${r.p99Ms.toFixed(3)} ms`;

const CASES: [number, number][] = [[2, 1], [2, 32], [16_384, 1], [16_384, 32]];

async function main(): Promise<void> {
  const worker = new Worker(SERVER, { eval: true, workerData: { sizes: [...new Set(CASES.map(([s]) => s))] } });
  const [port] = (await once(worker, 'message')) as [number];
  console.log(`upstream client vs node:http Agent, keepalive, ${EXCHANGES} exchanges per round, best of ${ROUNDS} (node ${process.version})`);
  for (const [size, concurrency] of CASES) {
    const pool = createUpstreamClient().createPool({ connections: concurrency, requests: 1_000_000, timeMs: 3_600_000, timeoutMs: 60_000 });
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
    await runLbtest(port, size, concurrency, Math.min(EXCHANGES, 5000), pool);
    await runNodeHttp(port, size, concurrency, Math.min(EXCHANGES, 5000), agent);
    const ours: Result[] = [], theirs: Result[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await runLbtest(port, size, concurrency, EXCHANGES, pool));
      theirs.push(await runNodeHttp(port, size, concurrency, EXCHANGES, agent));
    }
    const a = best(ours), b = best(theirs);
    console.log(`body ${String(size).padStart(5)} B, concurrency ${String(concurrency).padStart(2)}`);
    console.log(`  lbtest client  ${fmt(a)}`);
    console.log(`  node:http      ${fmt(b)}   (lbtest ${(a.perSec / b.perSec).toFixed(2)}x)`);
    pool.close();
    agent.destroy();
  }
  await worker.terminate();
}

// a test runner sweeping the build folder finds this file: it is a measurement, not a test
if (process.env.TAP === '1') console.log('1..0 # SKIP client-bench is a benchmark: run it with node');
else await main();
