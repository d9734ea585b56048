/**
 * RunReport: everything a run produced, in plain data (JSON-safe), versioned. Reporters are pure
 * functions of it, and `lbtest report` re-renders a saved one, so it holds the suite, the
 * configuration, per-backend counts, time series and latency histograms, and verdicts with their
 * observed and expected values. schema/report.schema.json describes it; a test keeps the two in step.
 *
 * `version` changes only when the meaning of a field changes. Fields may be added within a
 * version: those added after the first reports were written are optional (`?`), so a report saved
 * by an earlier lbtest still re-renders; they are absent only in such reports and on phases that
 * did not run.
 */
import type { Verdict } from '../verify/verdict.js';
export const REPORT_VERSION = 1;

export interface BackendRow {
  readonly name: string;
  /** Requests the backend received (its own records). */
  readonly received: number;
  /** Responses the client got from it. */
  readonly answered: number;
  readonly share: number;
  readonly expectedShare: number | null;
  readonly peakConcurrency: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
  /**
   * Requests it received that did not end as a good answer from it: received but not answered
   * (retried on another peer, cut off) plus answered with a 5xx.
   */
  readonly errors?: number;
}

/**
 * Latencies of whole responses, µs, in buckets: bucket i holds [boundsUs[i-1], boundsUs[i]),
 * bucket 0 everything below boundsUs[0], the last (index boundsUs.length) everything from the
 * last bound up. `byBackend` splits `counts` by the answering backend (responses without a
 * backend, such as the balancer's own error pages, are in `counts` only).
 */
export interface LatencyHistogram {
  readonly boundsUs: readonly number[];
  readonly counts: readonly number[];
  readonly byBackend: Readonly<Record<string, readonly number[]>>;
}

/** A verdict (name, passed, expected, observed, explanation, numbers, warnings) and where it was stated. */
export interface VerdictRow extends Verdict {
  /** Where the expectation was written: `file:line:col` and its key path. */
  readonly at: string;
  readonly path: string;
}

export interface EventRow {
  readonly action: string;
  readonly backend: string | null;
  /** ms since the phase's traffic started (negative: before it). */
  readonly atMs: number;
}

export interface PhaseReport {
  readonly index: number;
  readonly name: string;
  /** Set when the phase did not run against this target, with the reason. */
  readonly skipped: string | null;
  readonly requests: number;
  readonly responses: number;
  readonly errors: Readonly<Record<string, number>>;
  readonly statuses: Readonly<Record<string, number>>;
  readonly durationMs: number;
  readonly ratePerSec: number;
  readonly latency: { readonly p50Us: number | null; readonly p90Us: number | null; readonly p99Us: number | null; readonly maxUs: number | null; readonly resolutionUs: number };
  readonly backends: readonly BackendRow[];
  /**
   * Requests per backend per interval (`intervalMs`, from the start of the phase's traffic), for
   * timelines, by arrival at the backend; `failures`: requests started in each interval that got
   * no response or a 5xx at the client.
   */
  readonly timeline: {
    readonly intervalMs: number;
    readonly series: Readonly<Record<string, readonly number[]>>;
    readonly failures?: readonly number[];
  };
  readonly histogram?: LatencyHistogram;
  readonly events: readonly EventRow[];
  readonly verdicts: readonly VerdictRow[];
  readonly notes: readonly string[];
}

export type RunOutcome = 'passed' | 'failed' | 'skipped' | 'interrupted' | 'error';

export interface RunReport {
  readonly version: typeof REPORT_VERSION;
  readonly tool: { readonly name: 'lbtest'; readonly version: string };
  readonly suite: { readonly name: string; readonly file: string; readonly description: string };
  readonly target: { readonly kind: string; readonly url: string | null };
  /** The nginx configuration the balancer started with, addresses filled in. */
  readonly config: string | null;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: RunOutcome;
  /** Why the run could not finish (a target that died, a backend host that failed), if it did not. */
  readonly error: string | null;
  readonly phases: readonly PhaseReport[];
  readonly warnings: readonly string[];
}

export function verdictCounts(r: RunReport): { passed: number; failed: number } {
  let passed = 0, failed = 0;
  for (const p of r.phases) for (const v of p.verdicts) if (v.passed) passed++; else failed++;
  return { passed, failed };
}
