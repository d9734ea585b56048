/**
 * What holds at each phase: which backends refuse connections, how each behaves, which
 * configuration the balancer runs. Walked once over the phases' actions (offset 0 first, then by
 * `at:`); the rules that depend on it are small named functions below, each recording an issue.
 *
 *   kill     gone += backend           (a kill of a backend already gone is an issue)
 *   revive   gone -= backend           (a revive of a backend not gone is an issue)
 *   switch   kind := to.kind; gone ±= backend as `to` is `dead` or not
 *   reload   config := name
 */
import type { BehaviourKind } from '../backends/behaviour.js';
import type { Issues } from '../backends/spec/source.js';
import { issueAt } from './context.js';
import type { Action, PhaseState } from './model.js';

export interface Walk {
  /** At each phase's start, after its offset-0 actions. */
  readonly atStart: PhaseState[];
  /** Each backend's behaviour kind at each phase's start. */
  readonly kinds: ReadonlyMap<string, BehaviourKind>[];
}

export function walkPhases(
  initial: { gone: readonly string[]; kinds: ReadonlyMap<string, BehaviourKind>; config: string | null },
  phases: readonly { readonly actions: readonly Action[] }[],
  issues: Issues,
): Walk {
  const gone = new Set(initial.gone);
  const kinds = new Map(initial.kinds);
  let config = initial.config;
  const walk: Walk = { atStart: [], kinds: [] };
  for (const phase of phases) {
    const ordered = [...phase.actions].sort((a, b) => a.atMs - b.atMs);
    const apply = (a: Action): void => {
      switch (a.kind) {
        case 'kill':
          if (gone.has(a.backend)) issueAt(issues, 'SUITE_RULE', a, `kill ${a.backend}: ${a.backend} is already dead at this point`);
          gone.add(a.backend);
          break;
        case 'revive':
          if (!gone.has(a.backend) && kinds.has(a.backend)) issueAt(issues, 'SUITE_RULE', a, `revive ${a.backend}: ${a.backend} is not dead at this point; kill it in this or an earlier phase first`);
          gone.delete(a.backend);
          break;
        case 'switch':
          kinds.set(a.backend, a.behaviour.kind);
          if (a.behaviour.kind === 'dead') gone.add(a.backend); else gone.delete(a.backend);
          break;
        case 'reload':
          config = a.config;
          break;
      }
    };
    for (const a of ordered.filter((x) => x.atMs === 0)) apply(a);
    walk.atStart.push({ gone: [...gone].sort(), config });
    walk.kinds.push(new Map(kinds));
    for (const a of ordered.filter((x) => x.atMs > 0)) apply(a);
  }
  return walk;
}

/** A change during the phase (an offset action) that alters what by-weight derives. */
export function changesMidPhase(actions: readonly Action[]): Action | undefined {
  return actions.find((a) => a.atMs > 0 && (a.kind === 'kill' || a.kind === 'revive' || a.kind === 'reload' || (a.kind === 'switch' && a.behaviour.kind === 'dead')));
}

/** Kinds that fail every request in a way a backend records (a dead one records nothing). */
export const FAILING_KINDS: readonly BehaviourKind[] = ['reset', 'close', 'hang', 'status'];
