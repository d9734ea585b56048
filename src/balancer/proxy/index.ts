/**
 * The bundled balancer's upstream HTTP client, as the request path uses it.
 *
 *   const client = createUpstreamClient();                           // one per worker
 *   const pool = client.createPool(settings);                        // one per upstream group with `keepalive N`
 *   const out = await client.exchange({ peer, head, body, bodyFraming, isHead, connectTimeoutMs,
 *     sendTimeoutMs, readTimeoutMs, maxHeadBytes, pool, signal });
 *   if (!out.ok) req.failed(out.failure)      // or req.abort() when out.failure.aborted
 *   else { req.responded(out.head.status) ... const r = await out.body.pipe(sink) }  // or out.body.discard()
 *
 * Must not: export test fixtures (testing.ts is imported directly by tests).
 */
export { createUpstreamClient, connectPeer, NetUpstreamClient } from './upstream-client.js';
export type { UpstreamClientOptions } from './upstream-client.js';
export { Pool } from './keepalive-pool.js';
export type { DropReason } from './keepalive-pool.js';
export type { PipeResult } from './response-body.js';
export type * from './exchange-types.js';
