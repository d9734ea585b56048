/**
 * The backends stage as the runner (and a suite loader) sees it; everything else in this folder is
 * internal. A runner reads the `backends:` section, starts a host, defines the backends, acts on
 * them between phases, and drains what they recorded:
 *
 *   const specs = readBackendsOf(src, issues)           // or loadBackendsFile(path)
 *   const host = await startBackendHost()               // teardown: host.stop()
 *   await host.defineAll(specs); host.address('a')      // '127.0.0.1:PORT'
 *   await host.kill('a'); await host.revive('a'); await host.switch('a', behaviours.status(503))
 *   const records = await host.drain(); const stats = await host.stats({ resetPeaks: true })
 */
export { behaviours, describeBehaviour, DEFAULTS } from './behaviour.js';
export type { BackendSpec, Behaviour, BehaviourKind, Fault, Trigger, Reply, Latency, Trickle, Window } from './behaviour.js';
export { startBackendHost, BackendHost, type HostOptions } from './client.js';
export type { BackendInfo, BackendStats, HostStats, RecordBatch } from './protocol.js';
export { RECORD_ACTION } from './protocol.js';
export { RecordSet, type RequestRecord, type RecordActionName } from './records.js';
export { BACKEND_HEADER } from './host/responses.js';
export { loadBackendsFile, parseBackendsText, readBackendsOf, PACKAGE_PROFILE_DIR } from './spec/load.js';
export { BackendsSpecError, Issues, formatIssue, parseSource, type Issue, type Source } from './spec/source.js';
