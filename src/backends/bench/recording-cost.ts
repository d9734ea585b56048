/**
 * What recording costs the host, two ways: (a) the host's CPU time (process.cpuUsage in the host)
 * for N requests with recording on — chunks shipped and the final drain included — against
 * recording off, in interleaved rounds after a warm-up, medians compared; (b) directly, the CPU of
 * the recording work itself (same code, this process) plus the host's CPU for the final drain.
 * (a) is the honest whole; on a busy machine its noise can exceed the effect, which (b) does not feel.
 */
import { serialize } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { behaviours } from '../behaviour.js';
import { startBackendHost, type BackendHost } from '../client.js';
import { LastString, Recorder } from '../host/recorder.js';
import { runLoad, type LoadOptions } from './load-client.js';

export interface Shape { readonly label: string; readonly load: Omit<LoadOptions, 'port' | 'requests' | 'maxDurationMs'> }

export interface RecordingCost {
  /** (on - off) / on, host CPU medians. */
  readonly share: number;
  readonly nsPerRequest: number;
  /** Spread of the recording-off runs over their median: the machine's noise. */
  readonly noise: number;
  /** Recording work + final drain over the recording-on median. */
  readonly directShare: number;
}

const WARM_UP_REQUESTS = 100_000;
const MAX_RUN_MS = 120_000;

export async function hostCpuUs(host: BackendHost): Promise<number> {
  const s = await host.stats();
  return s.cpuUserUs + s.cpuSystemUs;
}

/** Median; runs are few, and one disturbed by the machine should not decide. */
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export async function recordingCost(requests: number, rounds: number, shape: Shape): Promise<RecordingCost> {
  const load = { ...shape.load, requests, maxDurationMs: MAX_RUN_MS };
  console.log(`\n2. recording ${fmt(requests)} requests (${shape.label}): host CPU, recording off vs on (drain included), ${rounds} rounds interleaved`);
  const off: number[] = [], on: number[] = [];
  const drainCpu: number[] = [];
  let drainMs = 0, rows = 0;
  for (let round = 0; round < rounds; round++) {
    for (const record of [false, true]) {
      const host = await startBackendHost({ record });
      try {
        const { port } = await host.define({ name: 'a', port: 0, behaviour: behaviours.ok() });
        await runLoad({ ...load, port, requests: WARM_UP_REQUESTS }); // both paths compiled before the clock starts
        await host.drain();
        const before = await hostCpuUs(host);
        const r = await runLoad({ ...load, port });
        if (r.errors > 0 || r.non2xx > 0) throw new Error(`bench run failed: ${r.errors} errors, ${r.non2xx} non-2xx`);
        if (r.responses !== requests) throw new Error(`run ended early: ${r.responses} of ${requests} (raise the time bound)`);
        const drainStart = performance.now();
        const beforeDrain = await hostCpuUs(host);
        const set = await host.drain();
        const cpuUs = (await hostCpuUs(host)) - before;
        if (record) { drainMs = performance.now() - drainStart; rows = set.count; drainCpu.push(cpuUs - (beforeDrain - before)); }
        (record ? on : off).push(cpuUs);
        console.log(`   round ${round + 1}, recording ${record ? 'on ' : 'off'}: host CPU ${(cpuUs / 1e6).toFixed(2)}s for ${fmt(r.responses)} requests (${fmt(r.requestsPerSecond)} req/s)`);
      } finally {
        await host.stop();
      }
    }
  }
  const midOff = median(off), midOn = median(on);
  const share = (midOn - midOff) / midOn;
  console.log(`   medians: off ${(midOff / 1e6).toFixed(2)}s, on ${(midOn / 1e6).toFixed(2)}s -> recording is ${(share * 100).toFixed(1)}% of the run's CPU`
    + ` (${((midOn - midOff) / requests * 1000).toFixed(0)} ns per request); the drain of ${fmt(rows)} rows took ${drainMs.toFixed(0)}ms`);
  const spread = (Math.max(...off) - Math.min(...off)) / midOff;
  const direct = (recordWorkNs(requests) * requests / 1000 + median(drainCpu)) / midOn;
  console.log(`   the machine's noise: recording-off runs spread over ${(spread * 100).toFixed(0)}% of their median`);
  console.log(`   measured directly: recording and shipping (${recordWorkNs(requests).toFixed(0)} ns per request, same code, this process)`
    + ` + the final drain (host CPU ${(median(drainCpu) / 1000).toFixed(0)}ms) = ${(direct * 100).toFixed(1)}% of the run's CPU`);
  return { share, nsPerRequest: (midOn - midOff) / requests * 1000, noise: spread, directShare: direct };
}

let workNs: number | undefined;

/**
 * CPU per request of what the host does to record one: a connection's row stores and repeat-string
 * checks (host/connection.ts #record), on fresh strings as a parsed head gives them, and the
 * serialization of full chunks as main.ts ships them (the 'advanced' IPC serialization is v8's).
 */
function recordWorkNs(rows: number): number {
  if (workNs !== undefined) return workNs;
  const template = 'GET / HTTP/1.1';
  const heads = Array.from({ length: 1024 }, (_, i) => ({ method: `${template} ${i}`.slice(0, 3), url: `${template} ${i}`.slice(4, 5) }));
  const best: number[] = [];
  for (let round = 0; round < 3; round++) {
    let shippedBytes = 0;
    const rec = new Recorder(true, (batch) => { shippedBytes += serialize({ type: 'records', batch }).length; });
    const method = new LastString(), url = new LastString(), xff = new LastString(), real = new LastString();
    const s = rec.strings;
    const start = process.cpuUsage();
    for (let i = 0; i < rows; i++) {
      const h = heads[i & 1023]!;
      rec.add(Math.round(1.7e15 + i * 7.3), 1, i & 63, 1, 2, 40_000, xff.id(s, ''), real.id(s, ''), method.id(s, h.method), url.id(s, h.url), 0, 200);
    }
    const used = process.cpuUsage(start);
    if (shippedBytes === 0 && rows >= 16_384) throw new Error('nothing shipped');
    best.push((used.user + used.system) * 1000 / rows);
  }
  workNs = median(best);
  return workNs;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
