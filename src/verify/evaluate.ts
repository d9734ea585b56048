/**
 * A phase's expectations against what the phase showed: one Verdict per expectation (sticky
 * with `since:` gives two), each carrying the path and location of the line that stated it.
 * The one entry the runner calls after each phase.
 */
import type { Expectation, Origin, Phase, Suite } from '../suite/model.js';
import { answeredVerdict, connectionsVerdict, errorsVerdict, latencyVerdict, maxConcurrencyVerdict, neverVerdict, onlyVerdict, shareVerdict, statusVerdict, throughputVerdict } from './counts.js';
import { distributionVerdict, sequenceVerdict } from './distribution.js';
import { ejectionVerdict, recoveryVerdict } from './health.js';
import { forwardedVerdict } from './forwarded.js';
import { answersByKey, answersInOrder, answersOf, clientsByBackend, outcomes, responseLatenciesUs, responsesOf, type PhaseObservation } from './observations.js';
import { sharesByWeight } from './shares.js';
import { movedVerdict, stickyVerdict } from './sticky.js';
import type { Verdict } from './verdict.js';

export type PhaseVerdict = Verdict & Origin;

export interface EvaluateOptions {
  /** Balancer workers with their own peer state (nginx without a zone): multiplies max_fails. */
  readonly workers?: number;
}

/**
 * `earlier[i]` is what phase i showed (for `sticky … since:`); undefined for a phase not run.
 */
export function evaluatePhase(suite: Suite, phase: Phase, obs: PhaseObservation, earlier: readonly (PhaseObservation | undefined)[], opts: EvaluateOptions = {}): PhaseVerdict[] {
  const out: PhaseVerdict[] = [];
  for (const e of phase.expect) {
    for (const v of evaluateOne(suite, phase, e, obs, earlier, opts)) out.push({ ...v, path: e.path, location: e.location });
  }
  return out;
}

function evaluateOne(suite: Suite, phase: Phase, e: Expectation, obs: PhaseObservation, earlier: readonly (PhaseObservation | undefined)[], opts: EvaluateOptions): Verdict[] {
  const b = obs.backends;
  switch (e.kind) {
    case 'distribution': {
      const { shares, reason } = e.shares.kind === 'by-weight'
        ? sharesByWeight(e.shares.upstream, e.shares.gone)
        : { shares: e.shares.weights, reason: `stated weights ${[...e.shares.weights].map(([n, w]) => `${n}=${w}`).join(' ')}` };
      return [distributionVerdict({ shares, reason, observed: b.counts, check: e.check })];
    }
    case 'sequence': return [sequenceVerdict(e.pattern, answersInOrder(obs.client))];
    case 'sticky': {
      const mix = phase.traffic!.mix;
      const by = e.by.kind === 'header' ? `header ${e.by.name}` : e.by.kind;
      const noun = e.by.kind === 'header' ? 'key' : e.by.kind;
      const answers = answersByKey(obs.client, mix, e.by);
      const verdicts = [{ ...stickyVerdict(noun, answers), name: `sticky by ${by}` }];
      if (e.moved !== null) {
        const before = earlier[e.moved.sincePhase];
        const sincePhase = suite.phases[e.moved.sincePhase]!;
        verdicts.push(before === undefined || sincePhase.traffic === null
          ? { ...movedVerdict(noun, sincePhase.name, new Map(), answers, e.moved.share), explanation: `Phase "${sincePhase.name}" did not run, so nothing can be compared.` }
          : movedVerdict(noun, sincePhase.name, answersByKey(before.client, sincePhase.traffic.mix, e.by), answers, e.moved.share));
      }
      return verdicts;
    }
    case 'never': return [neverVerdict(e.backends, b.counts)];
    case 'only': return [onlyVerdict(e.backends, b.counts)];
    case 'share': return [shareVerdict(e.backend, e.share, b.counts)];
    case 'ejection': {
      const t = phase.traffic;
      const inFlight = t === null || t.kind === 'sequential' ? 0 : t.connections - 1;
      return [ejectionVerdict({ backend: e.backend, arrivalsUs: b.arrivalsUs.get(e.backend) ?? new Float64Array(0), maxFails: e.maxFails, failTimeoutMs: e.failTimeoutMs, workers: opts.workers ?? 1, inFlight })];
    }
    case 'recovered': {
      const back = obs.events.find((x) => (x.action.kind === 'revive' || (x.action.kind === 'switch' && x.action.behaviour.kind !== 'dead')) && x.action.backend === e.backend);
      const endUs = obs.client.meta.endedUs;
      return [recoveryVerdict({ backend: e.backend, fromUs: back?.atUs ?? obs.client.meta.startedUs, endUs, arrivalsUs: b.arrivalsUs.get(e.backend) ?? new Float64Array(0), withinMs: e.withinMs })];
    }
    case 'maxConcurrency': return [maxConcurrencyVerdict(e.backend, e.max, b.peakInflight.get(e.backend) ?? 0)];
    case 'status': return [statusVerdict(e.status, e.count, outcomes(obs.client))];
    case 'errors': return [errorsVerdict(e.count, outcomes(obs.client), e.of)];
    case 'answered': return [answeredVerdict(e.counts, answersOf(obs.client), obs.client.count)];
    case 'forwarded': return [forwardedVerdict(e.header, clientsByBackend(obs.client, phase.traffic!.mix), b.forwarded[e.header])];
    case 'connections': return [connectionsVerdict(e.backend, e.count, b.connections.get(e.backend) ?? 0, b.counts.get(e.backend) ?? 0)];
    case 'latency': return [latencyVerdict(e.percentile, e.limitUs, responseLatenciesUs(obs.client), obs.client.meta.latencyResolutionUs)];
    case 'throughput': return [throughputVerdict(e.minPerSec, responsesOf(obs.client), obs.client.elapsedMs)];
  }
}
