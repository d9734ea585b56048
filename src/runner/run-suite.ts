/**
 * Runs one suite against one target — the only module that knows the whole sequence:
 * backends up → configuration rendered with their addresses → target started → for each phase:
 * actions at its start, traffic (actions at offsets while it runs), the backends' records
 * drained, verdicts → report; then everything stopped, whatever happened. A target that dies,
 * a failed action or an interruption ends the run with what ran so far in the report.
 */
import { startBackendHost, type BackendHost } from '../backends/index.js';
import { renderBalancerConfig } from '../suite/balancer.js';
import type { Action, BalancerConfig, Phase, Suite } from '../suite/model.js';
import { startTraffic } from '../traffic/run.js';
import { epochUs } from '../traffic/results.js';
import { evaluatePhase } from '../verify/evaluate.js';
import { observeBackends, type PhaseEvent, type PhaseObservation } from '../verify/observations.js';
import { startTarget, type Target, type TargetKind } from '../targets/target.js';
import { LbtestError } from '../core/errors.js';
import { summarizePhase } from './summarize.js';
import { freePort } from './ports.js';
import { REPORT_VERSION, type PhaseReport, type RunOutcome, type RunReport } from './report-model.js';
import { TOOL_VERSION } from './version.js';

export interface RunOptions {
  /** `bundled`, `nginx`, or the URL of a running balancer. */
  readonly target: string;
  readonly nginxPath?: string;
  readonly signal?: AbortSignal;
  /** A line of progress (phase, elapsed, req/s); called about once a second during traffic. */
  readonly onProgress?: (line: string) => void;
}

function targetKind(t: string): TargetKind {
  return t === 'bundled' || t === 'nginx' ? t : 'url';
}

/** Main-context lines both balancers need in their prefix: a pid file (readiness) and an error log (reloads). */
export function forTarget(text: string): string {
  const lines: string[] = [];
  if (!/^\s*pid\s/m.test(text)) lines.push('pid logs/nginx.pid;');
  if (!/^\s*error_log\s/m.test(text)) lines.push('error_log logs/error.log notice;');
  return lines.length === 0 ? text : `${lines.join('\n')}\n${text}`;
}

function render(suite: Suite, config: BalancerConfig, host: BackendHost, listen: number): string {
  const backends = new Map(suite.backends.map((b) => [b.name, { host: '127.0.0.1', port: host.info(b.name).port }]));
  return forTarget(renderBalancerConfig(config, suite.file, { listen: { host: '127.0.0.1', port: listen }, backends }).text);
}

async function perform(a: Action, suite: Suite, host: BackendHost, target: Target, listen: number): Promise<void> {
  switch (a.kind) {
    case 'kill': await host.kill(a.backend); return;
    case 'revive': await host.revive(a.backend); return;
    case 'switch': await host.switch(a.backend, a.behaviour); return;
    case 'reload': await target.reload(render(suite, suite.configs.get(a.config)!, host, listen)); return;
  }
}

function skipped(phase: Phase, reason: string): PhaseReport {
  return {
    index: phase.index, name: phase.name, skipped: reason, requests: 0, responses: 0, errors: {}, statuses: {}, durationMs: 0,
    ratePerSec: 0, latency: { p50Us: null, p90Us: null, p99Us: null, maxUs: null, resolutionUs: 1 }, backends: [],
    timeline: { intervalMs: 0, series: {} }, events: [], verdicts: [], notes: [],
  };
}

export async function runSuite(suite: Suite, opts: RunOptions): Promise<RunReport> {
  const kind = targetKind(opts.target);
  const started = Date.now();
  const phases: PhaseReport[] = [];
  let outcome: RunOutcome = 'passed';
  let error: string | null = null;
  let config: string | null = null;
  let url: string | null = kind === 'url' ? opts.target : null;
  const skip = suite.targets[kind]?.skip ?? null;
  let host: BackendHost | null = null;
  let target: Target | null = null;
  if (skip !== null) {
    outcome = 'skipped';
    error = skip;
  } else {
    try {
      host = await startBackendHost({ record: true });
      await host.defineAll(suite.backends);
      const listen = kind === 'url' ? Number(new URL(opts.target).port || 80) : await freePort();
      if (suite.balancer !== null && kind !== 'url') {
        config = render(suite, suite.balancer, host, listen);
        target = await startTarget({ kind, config, port: listen, ...(opts.nginxPath ? { nginxPath: opts.nginxPath } : {}) });
        url = target.url;
      }
      await host.drain();
      const observed: (PhaseObservation | undefined)[] = [];
      for (const phase of suite.phases) {
        if (opts.signal?.aborted) { outcome = 'interrupted'; break; }
        const phaseSkip = phase.targets[kind]?.skip ?? null;
        if (phaseSkip !== null) { phases.push(skipped(phase, phaseSkip)); observed.push(undefined); continue; }
        const r = await runPhase(suite, phase, { host, target, listen, opts, observed });
        phases.push(r.report);
        observed.push(r.observation);
        if (r.interrupted) { outcome = 'interrupted'; break; }
      }
    } catch (e) {
      outcome = opts.signal?.aborted ? 'interrupted' : 'error';
      error = e instanceof Error ? e.message : String(e);
    } finally {
      await target?.stop().catch(() => undefined);
      await host?.stop().catch(() => undefined);
    }
  }
  if (outcome === 'passed' && phases.some((p) => p.verdicts.some((v) => !v.passed))) outcome = 'failed';
  return {
    version: REPORT_VERSION, tool: { name: 'lbtest', version: TOOL_VERSION },
    suite: { name: suite.name, file: suite.file, description: suite.description },
    target: { kind, url }, config, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started,
    outcome, error, phases, warnings: [...suite.warnings],
  };
}

interface PhaseContext {
  readonly host: BackendHost;
  readonly target: Target | null;
  readonly listen: number;
  readonly opts: RunOptions;
  readonly observed: readonly (PhaseObservation | undefined)[];
}

async function runPhase(suite: Suite, phase: Phase, ctx: PhaseContext): Promise<{ report: PhaseReport; observation: PhaseObservation | undefined; interrupted: boolean }> {
  const { host, target, listen, opts } = ctx;
  const events: PhaseEvent[] = [];
  const act = async (a: Action): Promise<void> => {
    await perform(a, suite, host, target!, listen);
    events.push({ action: a, atUs: epochUs() });
  };
  for (const a of phase.actions) if (a.atMs === 0) await act(a);
  if (phase.traffic === null) {
    for (const a of phase.actions) if (a.atMs > 0) await act(a);
    await host.drain();
    return { report: { ...skipped(phase, 'no traffic: actions only'), events: [] }, observation: undefined, interrupted: false };
  }
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  opts.signal?.addEventListener('abort', onAbort);
  const run = await startTraffic({ host: '127.0.0.1', port: listen }, phase.traffic, { signal: abort.signal });
  const timers: NodeJS.Timeout[] = [];
  const later: Promise<void>[] = [];
  let failed: unknown = null;
  for (const a of phase.actions) {
    if (a.atMs === 0) continue;
    later.push(new Promise<void>((resolve) => {
      timers.push(setTimeout(() => { act(a).catch((e: unknown) => { failed = e; run.stop(); }).finally(resolve); }, a.atMs));
    }));
  }
  const phaseStarted = Date.now();
  const progress = setInterval(() => {
    const s = (Date.now() - phaseStarted) / 1000;
    const n = run.completed();
    opts.onProgress?.(`phase ${phase.index + 1}/${suite.phases.length} ${phase.name}: ${s.toFixed(1)} s, ${n} requests, ${Math.round(n / s)} req/s`);
  }, 1000);
  const died = target === null ? new Promise<never>(() => undefined) : target.died.then((e) => { run.stop(); return e; });
  let deathNote: string | null = null;
  void died.then((e) => { deathNote = `the ${target!.kind} target died (${e.code ?? e.signal}) during phase "${phase.name}"\n${target!.output()}`; });
  const client = await run.done;
  clearInterval(progress);
  for (const t of timers) clearTimeout(t);
  opts.signal?.removeEventListener('abort', onAbort);
  const ranActions = phase.actions.filter((a) => a.atMs > 0 && a.atMs <= client.elapsedMs);
  if (ranActions.length > 0) await Promise.all(later.slice(0, ranActions.length));
  const records = await host.drain();
  const observation: PhaseObservation = { backends: observeBackends(records), client, events };
  if (deathNote !== null) throw new LbtestError('TARGET_DIED', deathNote);
  if (failed !== null) throw failed;
  const interrupted = opts.signal?.aborted === true;
  const verdicts = interrupted ? [] : evaluatePhase(suite, phase, observation, ctx.observed);
  const notes = interrupted ? ['interrupted: the phase did not finish, so no verdict was given'] : [];
  return { report: summarizePhase(suite, phase, observation, verdicts, notes), observation, interrupted };
}
