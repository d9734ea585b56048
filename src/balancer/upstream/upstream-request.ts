/**
 * One client request's way through an upstream group: pick -> attempt -> report -> next step,
 * with nginx's decisions (ngx_http_upstream_init_request, _connect, _next, _test_next,
 * _finalize_request as far as the peer is concerned).
 *
 *   start(policy, info)   tries = min(non-down primary + backup peers, proxy_next_upstream_tries)
 *   pick()                a Peer to connect to, or null: no live upstreams (502, $upstream_addr = group)
 *   failed(f)             error / timeout / invalid_header before a header: the peer is marked failed
 *                         (always), then 'retry' if tries are left, the kind is in the mask, a sent
 *                         POST/LOCK/PATCH has non_idempotent, an unbuffered body was not sent, and
 *                         proxy_next_upstream_timeout has not passed; else 'finalize' (502, timeout 504)
 *   responded(status)     a listed 500/502/503/504/403/404/429 with tries > 1 (and the same rules) is
 *                         'retry' and counts as a failure unless 403/404; anything else is 'pass'
 *   finish()              the passed response ended, whole or not: released as a success
 *
 * Invariant: the peer of an attempt is released exactly once; conns balance. Reusable: start()
 * again after 'finalize' / finish(); nothing is allocated per pick. The clock is read once per
 * pick, once per failure, and at start() only when proxy_next_upstream_timeout is set.
 * Must not: touch sockets or the clock other than through the injected Clock.
 */
import type { Clock } from '../../core/clock.js';
import { LbtestError } from '../../core/errors.js';
import type { BalancerMethod } from './method.js';
import type { Peer, PeerSet } from './peers.js';
import { PickState } from './pick-state.js';
import type { ReleaseState } from './health.js';
import { freePeer, takePeer } from './health.js';
import type { FailureKind, RetryPolicy } from './next-upstream.js';
import { DEFAULT_RETRY_POLICY, FT, failureBit, failureStatus, isNonIdempotent, statusBit } from './next-upstream.js';

/** What the proxy does next: pick again, pass the upstream response on, or answer with `status`. */
export type Step = 'retry' | 'pass' | 'finalize';

export type RequestPhase = 'idle' | 'ready' | 'connecting' | 'passing' | 'done';

export interface RequestInfo {
  /** The HTTP method as received (POST, LOCK and PATCH are non-idempotent). */
  readonly method: string;
  /** The client address after realip (ip_hash); null or a non-IP for UNIX-socket clients. */
  readonly clientAddress?: string | null;
  /**
   * The evaluated `hash` key (Balancer.hashKey); '' for none. A byte string, one char per byte, as
   * Node delivers header values: config text in it must be its UTF-8 bytes read as latin1.
   */
  readonly hashKey?: string;
  /** r->request_body_no_buffering: the body is streamed unbuffered, so a sent request is never resent. */
  readonly bodyUnbuffered?: boolean;
}

export interface AttemptFailure {
  readonly kind: FailureKind;
  /** nginx's u->request_sent: writing the request had begun (false when connect() failed or timed out). */
  readonly requestSent: boolean;
  /** The connection came from the keepalive cache: an `error` on it does not use up a try. */
  readonly cached?: boolean;
}

/** $upstream_status when a client closed before an attempt had a status: nginx's 499. */
export const CLIENT_CLOSED_REQUEST = 499;

export class UpstreamRequest {
  readonly #set: PeerSet;
  readonly #method: BalancerMethod;
  readonly #clock: Clock;
  readonly #state: PickState;
  #policy: RetryPolicy = DEFAULT_RETRY_POLICY;
  #tries = 0;
  #startMs = 0;
  #nonIdempotent = false;
  #bodyUnbuffered = false;
  #phase: RequestPhase = 'idle';
  #peer: Peer | null = null;
  #status = 0;
  #disabled: Peer | null = null;
  #count = 0;
  readonly #names: string[] = [];
  readonly #statuses: number[] = [];

  constructor(set: PeerSet, method: BalancerMethod, clock: Clock) {
    this.#set = set;
    this.#method = method;
    this.#clock = clock;
    this.#state = new PickState(set);
  }

  /** ngx_http_upstream_init_request: a new client request; the first attempt's start time. */
  start(policy: RetryPolicy, info: RequestInfo): void {
    if (this.#peer !== null) throw misuse('start', this.#phase);
    this.#policy = policy;
    this.#state.reset(info.hashKey ?? '');
    this.#method.initRequest(this.#state, info.clientAddress ?? null);
    const tries = this.#set.tries;
    this.#tries = policy.tries !== 0 && tries > policy.tries ? policy.tries : tries;
    this.#startMs = policy.timeoutMs === 0 ? 0 : this.#clock.nowMs();
    this.#nonIdempotent = isNonIdempotent(info.method);
    this.#bodyUnbuffered = info.bodyUnbuffered === true;
    this.#status = 0;
    this.#disabled = null;
    this.#count = 0;
    this.#phase = 'ready';
  }

  /** ngx_http_upstream_connect's peer selection. null: answer 502, nothing else to do. */
  pick(): Peer | null {
    if (this.#phase !== 'ready') throw misuse('pick', this.#phase);
    const nowSec = Math.floor(this.#clock.nowMs() / 1000);
    const peer = this.#method.pick(this.#state, nowSec);
    if (peer === null) {
      this.#record(this.#set.name, 502);
      this.#finalize(502);
      return null;
    }
    takePeer(this.#state, peer, nowSec);
    this.#record(peer.name, 0);
    this.#peer = peer;
    this.#phase = 'connecting';
    return peer;
  }

  /**
   * The attempt failed before a response header was accepted. After 'pass' (mid-response) the
   * failure is neither counted nor retried: the peer is released as a success and 'finalize' keeps
   * the passed status, so the proxy only closes the client connection (nginx: truncated body).
   */
  failed(failure: AttemptFailure): Step {
    if (this.#phase === 'passing') {
      this.finish();
      return 'finalize';
    }
    if (this.#phase !== 'connecting') throw misuse('failed', this.#phase);
    return this.#next(failureBit(failure.kind), failure.requestSent, failure.cached === true);
  }

  /** A complete response header arrived with `status` (ngx_http_upstream_test_next). */
  responded(status: number): Step {
    if (this.#phase !== 'connecting') throw misuse('responded', this.#phase);
    this.#statuses[this.#count - 1] = status;
    const ft = statusBit(status);
    if (ft !== 0) {
      const mask = this.#nonIdempotent ? ft | FT.nonIdempotent : ft;
      if (this.#tries > 1 && (this.#policy.mask & mask) === mask && !this.#bodyUnbuffered
        && !this.#timedOut()) {
        return this.#next(ft, true, false);
      }
    }
    this.#status = status;
    this.#phase = 'passing';
    return 'pass';
  }

  /** The passed response is over, complete or cut short: the peer is released as a success. */
  finish(): void {
    if (this.#phase !== 'passing') throw misuse('finish', this.#phase);
    this.#release('ok', 0);
    this.#phase = 'done';
  }

  /** The client went away: release any peer as a success (nginx's 499 finalisation). */
  abort(): void {
    if (this.#phase === 'idle' || this.#phase === 'done') return;
    if (this.#peer !== null) this.#release('ok', 0);
    if (this.#phase !== 'passing') this.#status = CLIENT_CLOSED_REQUEST;
    this.#phase = 'done';
  }

  get phase(): RequestPhase { return this.#phase; }
  /** The peer of the attempt in progress (connecting or passing), else null. */
  get peer(): Peer | null { return this.#peer; }
  /** The client's status: the passed response's, or the one to answer with after 'finalize'. */
  get status(): number { return this.#status; }
  /** Tries left (u->peer.tries). */
  get tries(): number { return this.#tries; }
  get attempts(): number { return this.#count; }
  /** The peer the last failure took to max_fails ("upstream server temporarily disabled"), else null. */
  get disabledPeer(): Peer | null { return this.#disabled; }

  /** $upstream_addr: one entry per attempt, ", " separated; the group name where none was selected. */
  upstreamAddr(): string {
    return this.#names.slice(0, this.#count).join(', ');
  }

  /** $upstream_status: one entry per attempt; 502/504 synthesized for failures, `-` for none. */
  upstreamStatus(): string {
    return this.#statuses.slice(0, this.#count).map((s) => (s === 0 ? '-' : String(s))).join(', ');
  }

  /** ngx_http_upstream_next(). */
  #next(ftType: number, requestSent: boolean, cached: boolean): Step {
    const failed = ftType !== FT.http403 && ftType !== FT.http404;
    this.#release(failed ? 'failed' : 'ok', failed ? Math.floor(this.#clock.nowMs() / 1000) : 0);
    if (cached && ftType === FT.error) this.#tries++;
    const status = failureStatus(ftType);
    this.#statuses[this.#count - 1] = status;
    const ft = requestSent && this.#nonIdempotent ? ftType | FT.nonIdempotent : ftType;
    if (this.#tries === 0 || (this.#policy.mask & ft) !== ft || (requestSent && this.#bodyUnbuffered)
      || this.#timedOut()) {
      return this.#finalize(status);
    }
    this.#phase = 'ready';
    return 'retry';
  }

  /** nowSec matters only for a failure: a success release reads no clock (Date.now() allocates). */
  #release(release: ReleaseState, nowSec: number): void {
    const peer = this.#peer!;
    const tier = this.#state.tier;
    this.#peer = null;
    this.#disabled = freePeer(tier, peer, release, nowSec) ? peer : null;
    if (tier.single) this.#tries = 0;
    else if (this.#tries > 0) this.#tries--;
  }

  #timedOut(): boolean {
    return this.#policy.timeoutMs !== 0 && this.#clock.nowMs() - this.#startMs >= this.#policy.timeoutMs;
  }

  #finalize(status: number): 'finalize' {
    this.#status = status;
    this.#phase = 'done';
    return 'finalize';
  }

  #record(name: string, status: number): void {
    if (this.#count < this.#names.length) {
      this.#names[this.#count] = name;
      this.#statuses[this.#count] = status;
    } else {
      this.#names.push(name);
      this.#statuses.push(status);
    }
    this.#count++;
  }
}

function misuse(call: string, phase: RequestPhase): LbtestError {
  return new LbtestError('INTERNAL', `UpstreamRequest.${call}() called in phase "${phase}"`);
}
