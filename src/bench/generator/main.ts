/**
 * The load generator's process: it runs the jobs the bench sends over IPC, one at a time, and
 * answers each with its result and its own CPU and event-loop use over the run. A hold job stays
 * held until the bench sends `release`. It exits when the bench's channel closes.
 * Must not: run two jobs at once (the CPU reading would mix them).
 */
import { performance } from 'node:perf_hooks';
import { runOwnClient } from './own-client.js';
import { runAutocannon } from './autocannon.js';
import { holdConnections, type Held } from './hold.js';
import { GENERATOR_FLAG, summarize, type Job, type LoadJob, type LoadResult } from './load.js';

export type ToGenerator = { readonly id: number; readonly job: Job } | { readonly id: number; readonly release: true };
export type FromGenerator = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: string };

async function load(job: LoadJob): Promise<LoadResult> {
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const c = job.generator === 'autocannon' ? await runAutocannon(job) : await runOwnClient(job);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  return {
    kind: 'load', responses: c.responses, non2xx: c.non2xx, errors: c.errors, serverClosed: c.serverClosed,
    connects: c.connects, elapsedMs, latency: summarize(c.latMs, c.n),
    cpuCores: (cpu.user + cpu.system) / 1000 / elapsedMs, loopUtilization: elu.utilization, stoppedBy: c.stoppedBy,
  };
}

let held: Held | null = null;

function serve(): void {
  process.on('message', (m: ToGenerator) => {
    const reply = (msg: FromGenerator): void => { process.send?.(msg); };
    if ('release' in m) {
      held?.release();
      held = null;
      reply({ id: m.id, result: null });
      return;
    }
    const run = m.job.kind === 'load' ? load(m.job) : holdConnections(m.job).then((h) => { held = h; return h.result; });
    run.then((result) => reply({ id: m.id, result }), (err: unknown) => reply({ id: m.id, error: String(err) }));
  });
  process.on('disconnect', () => { held?.release(); process.exit(0); });
  process.send?.({ id: 0, result: 'ready' });
}

// started by the bench with GENERATOR_FLAG; run otherwise (by hand, by a test runner given the folder) it does nothing
if (process.send === undefined || !process.argv.includes(GENERATOR_FLAG)) process.stdout.write("1..0 # SKIP the bench's load generator runs only as the bench's child process\n");
else serve();
