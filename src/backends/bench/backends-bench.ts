/**
 * Benchmark of the mock backends: npm run bench:backends [-- --requests N --rounds R --only throughput|recording]
 *   1. how many requests per second one `ok` backend serves, in three shapes of traffic:
 *      kept-alive connections one request at a time (a proxy with upstream keepalive), the same
 *      pipelined (capacity), and a new connection per request (nginx's default to upstreams);
 *   2. what recording N requests costs the host, as a share of the run's CPU (recording-cost.ts),
 *      for traffic shaped as a proxy sends it and for the cheapest requests there are (pipelined).
 * Everything binds 127.0.0.1 on ephemeral ports; every run is bounded in requests and time.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { behaviours } from '../behaviour.js';
import { startBackendHost, type BackendHost } from '../client.js';
import { runLoad, type LoadOptions, type LoadResult } from './load-client.js';
import { hostCpuUs, recordingCost } from './recording-cost.js';

interface Run { readonly label: string; readonly load: Omit<LoadOptions, 'port'> }

const MAX_RUN_MS = 20_000;

async function measure(host: BackendHost, port: number, load: Omit<LoadOptions, 'port'>): Promise<LoadResult & { hostCpuUs: number }> {
  const before = await hostCpuUs(host);
  const result = await runLoad({ ...load, port });
  const hostCpu = (await hostCpuUs(host)) - before;
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`bench run failed: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return { ...result, hostCpuUs: hostCpu };
}

async function throughput(requests: number): Promise<void> {
  const host = await startBackendHost();
  try {
    const { port } = await host.define({ name: 'a', port: 0, behaviour: behaviours.ok() });
    await runLoad({ port, connections: 16, pipelining: 1, keepAlive: true, requests: 20_000, maxDurationMs: MAX_RUN_MS });
    const shapes: Run[] = [
      { label: 'keep-alive, 64 connections, 1 request in flight each', load: { connections: 64, pipelining: 1, keepAlive: true, requests, maxDurationMs: MAX_RUN_MS } },
      { label: 'keep-alive, 16 connections, 16 pipelined each', load: { connections: 16, pipelining: 16, keepAlive: true, requests, maxDurationMs: MAX_RUN_MS } },
      { label: 'a new connection per request, 32 at a time', load: { connections: 32, pipelining: 1, keepAlive: false, requests: Math.ceil(requests / 4), maxDurationMs: MAX_RUN_MS } },
    ];
    console.log('\n1. one `ok` backend (recording on), requests per second');
    for (const shape of shapes) {
      const r = await measure(host, port, shape.load);
      // Below a full core, the client (same machine) was the limit: req/s over CPU share estimates the backend's.
      const cpuShare = r.hostCpuUs / 1000 / r.elapsedMs;
      console.log(`   ${shape.label.padEnd(56)} ${fmt(r.requestsPerSecond).padStart(9)} req/s  (${fmt(r.responses)} in ${(r.elapsedMs / 1000).toFixed(2)}s;`
        + ` host CPU ${(cpuShare * 100).toFixed(0)}%, so ~${fmt(r.requestsPerSecond / Math.min(1, cpuShare))} req/s at a full core)`);
    }
    const drained = await host.drain();
    console.log(`   (${fmt(drained.count)} requests recorded and drained)`);
  } finally {
    await host.stop();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const { values } = parseArgs({ options: { requests: { type: 'string' }, rounds: { type: 'string' }, only: { type: 'string' } } });
if (process.env['TAP'] === '1') {
  console.log('1..0 # a benchmark: npm run bench:backends');
} else {
  const requests = Number(values.requests ?? 1_000_000);
  console.log(`backends benchmark: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`);
  const rounds = Number(values.rounds ?? 5);
  if (values.only !== 'recording') await throughput(Math.min(requests, 1_000_000));
  if (values.only !== 'throughput') {
    const proxied = await recordingCost(requests, rounds, { label: 'as a proxy sends: 64 kept-alive connections', load: { connections: 64, pipelining: 1, keepAlive: true } });
    const cheapest = await recordingCost(requests, rounds, { label: 'worst case, the cheapest requests: 16 x 16 pipelined', load: { connections: 16, pipelining: 16, keepAlive: true } });
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    console.log(`\nrecording ${requests.toLocaleString('en-US')} requests costs ${pct(proxied.share)} of the run's CPU as a proxy sends them`
      + ` (directly: ${pct(proxied.directShare)}); ${proxied.share < 0.1 && proxied.directShare < 0.1 ? 'PASS' : 'FAIL'} (< 10%)`);
    console.log(`worst case, pipelined: ${pct(cheapest.share)} (directly: ${pct(cheapest.directShare)}; noise ${pct(cheapest.noise)})`);
  }
}
