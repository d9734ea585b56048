/**
 * RunReport: everything a run produced, in plain data (JSON-safe), versioned. Reporters are pure
 * functions of it, and `lbtest report` re-renders a saved one, so it holds the suite, the
 * configuration, per-backend counts and verdicts with their observed and expected values.
 */
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
}

export interface VerdictRow {
  readonly name: string;
  readonly passed: boolean;
  readonly expected: string;
  readonly observed: string;
  readonly explanation: string;
  readonly numbers: Readonly<Record<string, number>>;
  readonly warnings: readonly string[];
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
  /** Requests per backend per interval (`intervalMs`), for timelines. */
  readonly timeline: { readonly intervalMs: number; readonly series: Readonly<Record<string, readonly number[]>> };
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
