/**
 * What a bench prints and writes, as pure functions of its run:
 * - the table (text): per mode, one line per target — median req/s, spread, latency percentiles
 *   in µs, ratios to nginx, the target's CPU per request, upstream connections per 1k requests,
 *   errors, flags — then the memory readings, the goals, the skipped targets;
 * - bench.json: options, machine, every round, the summaries, the verdicts;
 * - github-action-benchmark's custom formats: `customBiggerIsBetter` (req/s, ratios of req/s)
 *   and `customSmallerIsBetter` (latency in µs, p99 ratios, memory), arrays of
 *   { name, unit, value, range?, extra? }.
 */
import type { BenchRun } from './run.js';
import { summarize, verdicts, BEHIND_LIMIT, GENERATOR_LIMIT, FOREIGN_LIMIT, type TargetSummary, type Verdict } from './summary.js';
import type { Mode } from './options.js';

export interface GabEntry { readonly name: string; readonly unit: string; readonly value: number; readonly range?: string; readonly extra?: string }

function modeTitle(mode: Mode, rate: number | null): string {
  if (mode === 'rate') return `keep-alive at ${int(rate ?? 0)} req/s offered (open loop; a request the server held up is timed from when it fell due)`;
  return mode === 'keepalive' ? 'keep-alive' : 'new connection per request';
}
const FLAG_TEXT: Record<string, string> = {
  generator: `the generator's event loop was busy >= ${GENERATOR_LIMIT * 100}% of the run: it may have been the limit`,
  closed: 'the server closed kept-alive connections during the run (latency after a close is not comparable)',
  errors: 'requests failed or were answered with a non-2xx status',
  busy: `other programs used >= ${FOREIGN_LIMIT} cores during the run: the number is not the target's alone`,
  time: 'a round hit its time bound before its requests were done',
  behind: `answered less than ${BEHIND_LIMIT * 100}% of the offered rate: the latency holds a backlog`,
};

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (b: number | null): string => (b === null ? 'n/a' : `${(b / 2 ** 20).toFixed(1)} MB`);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
}

function row(s: TargetSummary): string[] {
  return [
    s.target, int(s.requestsPerSecond), `${(s.spread * 100).toFixed(0)}%`, int(s.p50Us), int(s.p90Us), int(s.p99Us), int(s.p999Us),
    s.vsNginx === null ? '-' : `${s.vsNginx.throughput.toFixed(2)}x`, s.vsNginx === null ? '-' : `${s.vsNginx.p99.toFixed(2)}x`,
    s.cpuUsPerRequest === null ? '-' : s.cpuUsPerRequest.toFixed(1), s.target === 'direct' ? '-' : s.backendConnectsPer1k.toFixed(1),
    s.targetCores === null ? '-' : s.targetCores.toFixed(2), s.generatorCores.toFixed(2), s.backendCores.toFixed(2), s.foreignCores.toFixed(2),
    String(s.errors + s.non2xx), s.flags.join(',') || '-',
  ];
}

export function renderText(run: BenchRun): string {
  const o = run.options, m = run.machine;
  const summaries = summarize(run.rounds);
  const lines: string[] = [
    `lbtest bench: ${o.connections} connections, ${int(o.requests)} requests per keep-alive round (a fifth per new-connection round), `
      + `${o.rounds} measured round${o.rounds === 1 ? '' : 's'} after ${o.warmupRounds} warm-up, alternating; generator: ${o.generator === 'lbtest' ? 'lbtest (own client, µs)' : 'autocannon'}`,
    `machine: ${m.cpus} CPUs (${m.cpuModel}), node ${m.node}, ${m.nginx ?? 'nginx: absent'}, ${m.haproxy ?? 'HAProxy: absent'}; load average at start ${m.loadAverage1m.toFixed(2)}`,
    `configuration: ${o.configFile ?? `the default (${o.backends} ok backends, keepalive 32, proxy_http_version 1.1)`}`,
  ];
  for (const mode of o.modes) {
    const ss = summaries.filter((s) => s.mode === mode);
    if (ss.length === 0) continue;
    lines.push('', `${modeTitle(mode, o.rate)} (medians of the rounds; cores = CPU used / wall time)`);
    lines.push(table([
      ['target', 'req/s', 'spread', 'p50 µs', 'p90 µs', 'p99 µs', 'p99.9 µs', 'req/s÷nginx', 'p99÷nginx', 'CPU µs/req', 'upstream conn/1k', 'target cores', 'gen', 'backends', 'other', 'errors', 'flags'],
      ...ss.map(row),
    ]));
  }
  if (run.memory.length > 0) {
    lines.push('', `memory (resident, the target's processes summed) holding ${int(o.hold)} idle kept-alive client connections:`);
    for (const r of run.memory) lines.push(`  ${r.target.padEnd(10)} ${mb(r.heldRssBytes).padStart(9)} (idle ${mb(r.idleRssBytes)}; ${int(r.held)} held)`);
  }
  const v = verdicts(summaries, run.memory);
  if (v.length > 0) {
    lines.push('', 'goals (lbtest against nginx):');
    for (const x of v) lines.push(`  ${x.ok ? 'ok  ' : 'MISS'}  ${x.goal}: ${x.value}`);
  }
  const flags = new Set(summaries.flatMap((s) => s.flags));
  if (flags.size > 0) {
    lines.push('', 'flags:');
    for (const f of flags) lines.push(`  ${f}: ${FLAG_TEXT[f]}`);
  }
  for (const s of run.skipped) lines.push(`skipped ${s.target}: ${s.reason}`);
  return lines.join('\n') + '\n';
}

export function renderJson(run: BenchRun): string {
  const summaries = summarize(run.rounds);
  return JSON.stringify({ ...run, summaries, verdicts: verdicts(summaries, run.memory) }, null, 2) + '\n';
}

/** github-action-benchmark entries: [customBiggerIsBetter, customSmallerIsBetter]. */
export function gabEntries(run: BenchRun): [GabEntry[], GabEntry[]] {
  const bigger: GabEntry[] = [];
  const smaller: GabEntry[] = [];
  for (const s of summarize(run.rounds)) {
    const name = `${s.target} ${s.mode === 'rate' ? `keep-alive at ${run.options.rate} req/s` : modeTitle(s.mode, null)}`;
    const extra = `median of ${s.rounds} rounds, ${run.options.connections} connections; flags: ${s.flags.join(',') || 'none'}`;
    bigger.push({ name: `${name} req/s`, unit: 'req/s', value: Math.round(s.requestsPerSecond), range: `±${((s.spread / 2) * 100).toFixed(1)}%`, extra });
    smaller.push({ name: `${name} p50`, unit: 'µs', value: s.p50Us, extra });
    smaller.push({ name: `${name} p99`, unit: 'µs', value: s.p99Us, extra });
    if (s.vsNginx !== null && !s.target.startsWith('nginx')) {
      bigger.push({ name: `${name} req/s vs nginx`, unit: 'ratio', value: Number(s.vsNginx.throughput.toFixed(3)) });
      smaller.push({ name: `${name} p99 vs nginx`, unit: 'ratio', value: Number(s.vsNginx.p99.toFixed(3)) });
    }
  }
  for (const r of run.memory) {
    if (r.heldRssBytes !== null) smaller.push({ name: `${r.target} RSS holding ${r.connections} connections`, unit: 'MB', value: Number((r.heldRssBytes / 2 ** 20).toFixed(1)) });
  }
  return [bigger, smaller];
}

export function missed(run: BenchRun): Verdict[] {
  return verdicts(summarize(run.rounds), run.memory).filter((v) => !v.ok);
}
