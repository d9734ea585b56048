/**
 * The bundled balancer's upstream selection and passive health, as the proxy uses it.
 * Pure logic: no sockets; time and randomness are injected.
 *
 *   const balancers = createWorkerBalancers(config.http.upstreams, { clock, random });
 *   const policy = compileRetryPolicy(location.settings.proxy);        // once per location
 *   const req = balancers.get(name)!.request();                         // reusable per connection
 *   req.start(policy, { method, clientAddress, hashKey });
 *   for (let peer = req.pick(); peer !== null; peer = req.pick()) {
 *     ... connect and send; then req.failed({ kind, requestSent }) or req.responded(status) ...
 *     'retry' -> loop; 'pass' -> stream the response, then req.finish(); 'finalize' -> answer req.status
 *   }                                                                   // null: answer req.status (502)
 *
 * Must not: export test fixtures (testing.ts, simulate.ts are imported directly by tests).
 */
export { Balancer, createBalancer, createWorkerBalancers } from './balancer.js';
export type { BalancerEnv } from './balancer.js';
export { UpstreamRequest, CLIENT_CLOSED_REQUEST } from './upstream-request.js';
export type { AttemptFailure, RequestInfo, RequestPhase, Step } from './upstream-request.js';
export { compileRetryPolicy, DEFAULT_RETRY_POLICY } from './next-upstream.js';
export type { FailureKind, RetryPolicy } from './next-upstream.js';
export { Peer } from './peers.js';
export type { PeerSet, PeerTier } from './peers.js';
export type { BalancerMethod, MethodEnv, MethodFactory } from './method.js';
