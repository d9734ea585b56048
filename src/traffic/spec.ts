/**
 * What traffic a phase sends, already normalized (every bound filled in, durations in ms): the
 * suite loader builds it, the generators (client.ts, autocannon.ts) run it. Plain data; nothing
 * here opens a socket.
 *
 * Invariant: every TrafficSpec is bounded twice, in requests AND in time, so a run always stops
 * by itself even when the balancer answers nothing.
 */

/** Which client sends the requests: our own (µs latency, source addresses) or autocannon (load). */
export type Generator = 'own' | 'autocannon';

export interface Bounds {
  readonly maxRequests: number;
  readonly maxDurationMs: number;
}

/**
 * Where requests come from. `bind`: each request binds one of `count` loopback source addresses
 * (sourceAddress(i, perSubnet)); `header`: the same addresses are sent in a header (a realip
 * set-up). `perSubnet` clients share each /24, differing in the last octet only (1: one per /24).
 */
export type Sources =
  | { readonly kind: 'none' }
  | { readonly kind: 'bind'; readonly count: number; readonly perSubnet: number }
  | { readonly kind: 'header'; readonly name: string; readonly count: number; readonly perSubnet: number };

/** Keys sent in a header (`hash $http_x_session`): `key-0` … `key-(count-1)`. */
export type Keys =
  | { readonly kind: 'none' }
  | { readonly kind: 'header'; readonly name: string; readonly count: number };

export type RequestBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'size'; readonly bodyBytes: number };

export type RequestHeader = readonly [name: string, value: string];

/**
 * The requests of a phase. Request number `seq` (0, 1, 2 …, in the order they are issued) uses
 * source seq % sources.count, path seq % paths.length and key seq % keys.count (mix.ts).
 */
export interface RequestMix {
  readonly method: string;
  readonly paths: readonly string[];
  readonly headers: readonly RequestHeader[];
  readonly body: RequestBody;
  readonly sources: Sources;
  readonly keys: Keys;
}

interface Common {
  readonly bounds: Bounds;
  readonly mix: RequestMix;
  /** A request unanswered after this long is abandoned and recorded as a `timeout`. */
  readonly timeoutMs: number;
}

/**
 * sequential: one request at a time on one kept-alive connection (exact sequences);
 * concurrent: `connections` closed loops, each sending its next request when the last one ended;
 * rate: open loop, request i intended at start + i/ratePerSec whatever the answers, at most
 *       `connections` in flight; latency counts from the intended time (no coordinated omission).
 */
export type TrafficSpec =
  | (Common & { readonly kind: 'sequential'; readonly generator: 'own' })
  | (Common & { readonly kind: 'concurrent'; readonly generator: Generator; readonly connections: number })
  | (Common & { readonly kind: 'rate'; readonly generator: Generator; readonly ratePerSec: number; readonly connections: number });

export type TrafficKind = TrafficSpec['kind'];

/** Where the balancer listens. Loopback only: lbtest never sends traffic off the machine. */
export interface TrafficTarget {
  readonly host: string;
  readonly port: number;
}

/** The most distinct source addresses: 127.1-254.0-255.1 (sourceAddress). */
export const MAX_SOURCES = 254 * 256;
/** The most clients per /24: last octets 1 … 254. */
export const MAX_PER_SUBNET = 254;
