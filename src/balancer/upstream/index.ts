/**
 * The bundled balancer's upstream selection and passive health, as the proxy uses it.
 * Pure logic: no sockets; time and randomness are injected.
 *
 *   const balancers = createWorkerBalancers(config.http.upstreams, { clock, random });  // per worker, per reload
 *   const policy = compileRetryPolicy(location.settings.proxy);                        // once per location
 *   const req = balancers.get(key)!.request();                                         // reusable: start() again
 *   req.start(policy, { method, clientAddress, hashKey });
 *   for (;;) {
 *     const peer = req.pick();
 *     if (peer === null) break;                 // no live upstreams: answer req.status (502)
 *     const step = gotHeader ? req.responded(status) : req.failed({ kind, requestSent });
 *     if (step === 'retry') continue;
 *     if (step === 'pass') { stream the response; req.finish(); }
 *     break;                                     // 'finalize': nginx's error page with req.status
 *   }
 *   log req.upstreamAddr(), req.upstreamStatus()
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
