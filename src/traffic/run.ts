/**
 * The one entry the runner calls: starts a phase's traffic with the generator the suite chose.
 * Either way the result is a ClientResults and the run stops by itself at its bounds.
 */
import { startAutocannon } from './autocannon.js';
import { startOwnClient, type StartOptions, type TrafficRun } from './client.js';
import type { ClientResults } from './results.js';
import type { TrafficSpec, TrafficTarget } from './spec.js';

export function startTraffic(target: TrafficTarget, spec: TrafficSpec, opts: StartOptions = {}): Promise<TrafficRun> {
  return spec.generator === 'autocannon' ? startAutocannon(target, spec, opts) : startOwnClient(target, spec, opts);
}

export async function runTraffic(target: TrafficTarget, spec: TrafficSpec, opts: StartOptions = {}): Promise<ClientResults> {
  return (await startTraffic(target, spec, opts)).done;
}
