/**
 * Passive health as nginx does it (ngx_http_upstream_round_robin.c), checked from the arrival
 * times of requests at a backend that fails every request:
 *
 *   on a failure      fails++, checked = now
 *   a pick skips      fails >= max_fails && now − checked <= fail_timeout
 *   a pick of a peer  whose checked is older than fail_timeout sets checked = now (one probe)
 *
 * so the first max_fails failures may arrive at any pace (nothing resets `fails` while every
 * request fails), and after them requests arrive at most one per fail_timeout window: the probe.
 * Without a shared zone each worker keeps its own counters (× workers), and requests already in
 * flight when the failure is counted arrive too (`inFlight`). nginx reads a clock cached per
 * event-loop turn, so a window may look shorter by CLOCK_SLACK_MS.
 *
 * Recovery: the time from a revival (or a switch back) to the first request that reached it.
 */
import { ms, plural, us, verdict, type Verdict } from './verdict.js';

export const CLOCK_SLACK_MS = 250;

export interface EjectionInput {
  readonly backend: string;
  /** Arrivals at the failing backend, µs, ascending. */
  readonly arrivalsUs: ArrayLike<number>;
  readonly maxFails: number;
  readonly failTimeoutMs: number;
  /** Balancer workers that keep their own counters (1: one worker, or a shared zone). */
  readonly workers: number;
  /** Requests that may be on their way when the failure is counted: connections − 1. */
  readonly inFlight: number;
}

export function ejectionVerdict(x: EjectionInput): Verdict {
  const name = `ejection of ${x.backend}`;
  const burstLimit = x.maxFails * x.workers + x.inFlight;
  const expected = `at most ${burstLimit} request${burstLimit === 1 ? '' : 's'} before ${x.backend} is skipped (max_fails=${x.maxFails}${x.workers > 1 ? ` × ${x.workers} workers` : ''}${x.inFlight > 0 ? ` + ${x.inFlight} in flight` : ''}), then at most ${x.workers === 1 ? 'one probe' : `${x.workers} probes`} per fail_timeout=${ms(x.failTimeoutMs)}`;
  const gapUs = Math.max(0, x.failTimeoutMs - CLOCK_SLACK_MS) * 1000;
  const windows = groupWindows(x.arrivalsUs, gapUs);
  const burst = windows[0]?.length ?? 0;
  const probes = windows.slice(1);
  const crowded = probes.find((w) => w.length > x.workers);
  const first = x.arrivalsUs[0] ?? 0;
  const numbers = { arrivals: x.arrivalsUs.length, burst, burstLimit, probeWindows: probes.length, crowdedWindows: probes.filter((w) => w.length > x.workers).length, maxFails: x.maxFails, failTimeoutMs: x.failTimeoutMs };
  const observed = `${burst} before it was skipped, then ${plural(probes.length, 'probe window')}${probes.length > 0 ? ` (${probes.map((w) => `+${us(w[0]! - first)}: ${w.length}`).join(', ')})` : ''}`;
  if (x.maxFails === 0) {
    return verdict({ name, passed: false, expected, observed, numbers, explanation: `max_fails=0 turns failure accounting off for ${x.backend}: nginx never skips it, so there is no ejection to see.` });
  }
  if (x.arrivalsUs.length === 0) {
    return verdict({ name, passed: false, expected, observed, numbers, explanation: `No request reached ${x.backend} in this phase, so its ejection cannot be seen (was it skipped already, or never picked?).` });
  }
  if (burst > burstLimit) {
    return verdict({ name, passed: false, expected, observed, numbers, explanation: `${burst} requests reached ${x.backend} before it was skipped, but max_fails=${x.maxFails} allows ${burstLimit}.` });
  }
  if (crowded !== undefined) {
    return verdict({
      name, passed: false, expected, observed, numbers,
      explanation: `After ${x.backend} was skipped, ${crowded.length} requests reached it within ${us(crowded[crowded.length - 1]! - crowded[0]!)} (at +${us(crowded[0]! - first)}), where fail_timeout=${ms(x.failTimeoutMs)} allows ${x.workers === 1 ? 'one probe' : `${x.workers} probes`} per window.`,
    });
  }
  return verdict({
    name, passed: true, expected, observed, numbers,
    explanation: `${x.backend} was skipped after ${plural(burst, 'failed request')} (max_fails=${x.maxFails}) and then probed ${probes.length === 0 ? 'no more' : `once per window: ${plural(probes.length, 'probe')}`} over ${us((x.arrivalsUs[x.arrivalsUs.length - 1] ?? first) - first)}.`,
  });
}

/** Arrivals split wherever the gap since the previous arrival is at least gapUs. */
function groupWindows(arrivals: ArrayLike<number>, gapUs: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < arrivals.length; i++) {
    const t = arrivals[i]!;
    const last = out[out.length - 1];
    if (last === undefined || t - last[last.length - 1]! >= gapUs) out.push([t]);
    else last.push(t);
  }
  return out;
}

export interface RecoveryInput {
  readonly backend: string;
  /** When it was revived (or switched back), µs on the backends' clock. */
  readonly fromUs: number;
  /** When the phase's traffic ended, µs. */
  readonly endUs: number;
  readonly arrivalsUs: ArrayLike<number>;
  readonly withinMs: number;
}

export function recoveryVerdict(x: RecoveryInput): Verdict {
  const name = `recovery of ${x.backend}`;
  let first = NaN;
  for (let i = 0; i < x.arrivalsUs.length; i++) if (x.arrivalsUs[i]! >= x.fromUs) { first = x.arrivalsUs[i]!; break; }
  const tookUs = first - x.fromUs;
  const expected = `a request reaches ${x.backend} within ${ms(x.withinMs)} of its revival`;
  const numbers = { recoveryMs: tookUs / 1000, withinMs: x.withinMs };
  if (Number.isNaN(first)) {
    return verdict({ name, passed: false, expected, observed: 'none', numbers, explanation: `No request reached ${x.backend} in the ${us(x.endUs - x.fromUs)} after its revival; expected one within ${ms(x.withinMs)}.` });
  }
  const passed = tookUs <= x.withinMs * 1000;
  return verdict({
    name, passed, expected, observed: `after ${us(tookUs)}`, numbers,
    explanation: passed
      ? `${x.backend} got its first request ${us(tookUs)} after its revival, within ${ms(x.withinMs)}.`
      : `${x.backend} got its first request only ${us(tookUs)} after its revival; expected within ${ms(x.withinMs)}.`,
  });
}
